"""The hostile-visitor repros of issue 8 against a live server, timed in a browser, with the server's memory.

Starts ``streamlit run`` on 127.0.0.1 (bundled data), samples the VmRSS of the server process and of its
children (the extraction worker) every 50 ms, and drives Debian's chromium through Playwright, offline:

1. a 1.5 KB pasted article ("A" and 1,500 spaces; 71 s of server CPU before), and a 1 MB one;
2. an upload of a zip holding one valid ACLED CSV that unpacks to 2.2 GB (12 GB of server memory before);
3. the link /charts?start=0001-01-01&end=9999-12-31&period=day (30 s and 3.57 GB before), against the
   plain /charts?period=day in the same run (both timed until all six charts are drawn);
4. an upload whose header is "x," 16,000 times (34.6 s before).

Each is timed from the click (or the navigation) to the clear message on the page; medians of ``--runs``
runs with min and max, and the highest VmRSS seen during the repro. The "before" column quotes the
figures measured on the same kind of machine and written in issue 8 (running the old code again would
take the machine to 12 GB). Usage:

    .venv/bin/python benchmarks/bench_hostile.py [--runs 3] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.memory import PeakSampler, rss_kb  # noqa: E402
TIMEOUT_MS = 120_000
BEFORE = {"paste 1.5 KB": "71 s", "paste 1 MB": "> 150 s (5 MB)", "zip to 2.2 GB": "145 s, 12 GB",
          "charts, plain link (baseline)": "(same run)", "charts 0001-9999 by day": "30 s, 3.57 GB", "header x, 16,000 times": "34.6 s"}


def rss_mb(pid: int) -> float:
    """VmRSS of ``pid`` and its children, in MB."""
    return rss_kb(pid) / 1024


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("DASHBOARD_")}
    env["PYTHONPATH"] = str(ROOT)
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless",
                                "true", "--server.address", "127.0.0.1", "--server.port", str(port),
                                "--server.fileWatcherType", "none"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def make_files(folder: Path) -> dict[str, Path]:
    from tests.core.importers.conftest import acled_row, acled_text

    header = acled_text([]).encode()
    row = acled_text([acled_row(1)]).split("\n", 1)[1]
    block = (row * (1_000_000 // len(row))).encode()
    bomb = folder / "events.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        info = zipfile.ZipInfo("events.csv")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            member.write(header)
            for _ in range(2_200):
                member.write(block)
    wide = folder / "wide.csv"
    wide.write_text("x," * 16_000 + "\n1,2\n", encoding="utf-8")
    return {"bomb": bomb, "wide": wide}


def paste(page, base: str, text: str, answer: str) -> None:
    page.goto(base + "/add-article")
    area = page.locator('[data-testid="stTextArea"] textarea')
    area.click()
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    page.keyboard.press("Control+V")
    page.wait_for_function("n => document.querySelector('[data-testid=\"stTextArea\"] textarea').value.length == n",
                           arg=len(text), timeout=TIMEOUT_MS)
    return lambda: (page.get_by_role("button", name="Extract", exact=True).click(),
                    page.locator('[data-testid="stAlert"], [data-testid="stMarkdown"]').filter(
                        has_text=re.compile(answer)).first.wait_for(timeout=TIMEOUT_MS))


def upload(page, base: str, path: Path, answer: str):
    page.goto(base + "/import")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name=f"Remove {path.name}", exact=True).wait_for(timeout=TIMEOUT_MS)
    return lambda: (page.get_by_role("button", name="Import", exact=True).click(),
                    page.locator('[data-testid="stAlert"]').filter(has_text=re.compile(answer)).first.wait_for(
                        timeout=TIMEOUT_MS))


def charts(page, base: str, query: str, warning: str | None):
    """Open the Charts page with ``query``; done when all six charts are drawn (and the warning shown)."""
    def act():
        page.goto(base + "/charts" + query)
        page.locator('[data-testid="stVegaLiteChart"]').nth(5).locator("canvas, svg").first.wait_for(timeout=TIMEOUT_MS)
        if warning:
            page.locator('[data-testid="stAlert"]').filter(has_text=warning).first.wait_for(timeout=TIMEOUT_MS)
    return act


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    files = make_files(folder)
    print(f"zip: {files['bomb'].stat().st_size / 1e6:.1f} MB, unpacking to "
          f"{zipfile.ZipFile(files['bomb']).infolist()[0].file_size / 1e9:.2f} GB", file=sys.stderr)
    process, base = start_server()
    results = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                 args=["--headless", "--no-sandbox", "--disable-gpu"])
            repros = {
                "paste 1.5 KB": lambda page: paste(page, base, "A" + " " * 1_500, "No incident was found"),
                "paste 1 MB": lambda page: paste(page, base, "A" + " " * 1_000_000, "the extractor reads at most"),
                "zip to 2.2 GB": lambda page: upload(page, base, files["bomb"], "was not imported"),
                "charts, plain link (baseline)": lambda page: charts(page, base, "?period=day", None),
                "charts 0001-9999 by day": lambda page: charts(page, base, "?start=0001-01-01&end=9999-12-31&period=day",
                                                               "9999"),
                "header x, 16,000 times": lambda page: upload(page, base, files["wide"], "columns in its first line"),
            }
            idle = rss_mb(process.pid)
            for name, prepare in repros.items():
                times, peaks = [], []
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    context.grant_permissions(["clipboard-read", "clipboard-write"])
                    context.route(re.compile(r"^(?!https?://127\.0\.0\.1[:/]).+"), lambda route: route.abort())
                    page = context.new_page()
                    page.goto(base)
                    page.locator('[data-testid="stMetric"]').first.wait_for(timeout=TIMEOUT_MS)
                    act = prepare(page)
                    sampler = PeakSampler(process.pid)
                    sampler.start()
                    started = time.monotonic()
                    act()
                    times.append(time.monotonic() - started)
                    peaks.append(sampler.stop() / 1024)
                    context.close()
                results[name] = {"median_s": statistics.median(times), "min_s": min(times), "max_s": max(times),
                                 "peak_rss_mb": max(peaks), "before": BEFORE[name]}
            results["_server"] = {"idle_rss_mb": idle, "end_rss_mb": rss_mb(process.pid)}
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"Server VmRSS (with its worker): {results['_server']['idle_rss_mb']:.0f} MB at start, "
          f"{results['_server']['end_rss_mb']:.0f} MB at the end. {args.runs} runs each.\n")
    print("| repro | to the message, median (min-max) | peak server VmRSS | before (issue 8) |")
    print("|---|---|---|---|")
    for name, row in results.items():
        if not name.startswith("_"):
            print(f"| {name} | {row['median_s']:.2f} s ({row['min_s']:.2f}-{row['max_s']:.2f}) | "
                  f"{row['peak_rss_mb']:.0f} MB | {row['before']} |")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
