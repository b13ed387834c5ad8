"""Browser-test fixtures: one `streamlit run` for the session, Debian's chromium through Playwright, offline routing.

The network is closed, so every request that does not go to the app on 127.0.0.1 is answered here:
map tiles get a blank 256 px PNG made in code, anything else is aborted and recorded in
``offline.blocked``; the tests assert that list is empty (and the ``page`` fixture checks it again after a
passing test). A failing test leaves a screenshot of each open page and the server log in test-artifacts/.
The end of the module holds the helpers the test modules share (waiting for a script run or the map, reading
metrics and widgets, the README screenshots).
"""
from __future__ import annotations

import csv
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 1000}
STARTUP_TIMEOUT_S = 60
TILE = re.compile(r"tile.*\.png")
NOT_LOCAL = re.compile(r"^(?!https?://127\.0\.0\.1[:/]).+")
#: Environment variables that would point the app away from the bundled data or the default basemap, or let
#: the article page write into the data folder (the tests expect saving to be switched off).
APP_ENV = ("DASHBOARD_DATA", "DASHBOARD_EVENTS", "DASHBOARD_BASEMAP", "DASHBOARD_IN_MEMORY", "DASHBOARD_TILES_URL",
           "DASHBOARD_TILES_ATTRIBUTION", "DASHBOARD_ALLOW_WRITE", "DASHBOARD_API_RATE", "DASHBOARD_API_BURST",
           "DASHBOARD_API_STREAMS", "DASHBOARD_API_CORS_ORIGIN", "DASHBOARD_TRUSTED_PROXIES", "DASHBOARD_API_SPOOL_MB")


def skip_without_browser() -> None:
    """Skip the calling test module when Debian's chromium or Playwright is missing (call at module level)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (Debian's chromium; scripts/test.sh installs it with apt-get); "
                    "the browser tests need it because `playwright install` cannot download browsers here",
                    allow_module_level=True)
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed in this venv")


def blank_png(size: int = 256) -> bytes:
    """A light-grey greyscale PNG tile, built in code."""
    raw = b"".join(b"\x00" + b"\xee" * size for _ in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Terminate the server's process group, then kill it if it does not go within 10 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="session")
def server_log() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / "streamlit-server.log"


class ServerFailed(RuntimeError):
    """`streamlit run` exited, or was not healthy in time; the message holds its log."""


@contextmanager
def streamlit_server(script: str | Path, cwd: Path, env: dict, log_path: Path, timeout_s: float = STARTUP_TIMEOUT_S):
    """Run `streamlit run script` from ``cwd`` on a free loopback port with ``env``; yield ``(base URL, process)``.

    Polls the health endpoint; raises ServerFailed with the log when the server exits or is not healthy
    within ``timeout_s``. The process group is stopped on leaving, however the block ends.
    """
    port = _free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if process.poll() is not None:
                raise ServerFailed(f"streamlit exited with code {process.returncode} before it was healthy:\n"
                                   + log_path.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise ServerFailed(f"streamlit was not healthy after {timeout_s:g} s:\n"
                                   + log_path.read_text(errors="replace"))
            time.sleep(0.2)  # poll interval, not a wait for readiness
        yield base, process
    finally:
        _stop(process)


def app_env(extra_env: dict | None = None) -> dict:
    """The environment the app runs in: this one without the app's own settings, plus ``extra_env``."""
    env = {key: value for key, value in os.environ.items() if key not in APP_ENV}
    env["PYTHONPATH"] = str(ROOT)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    env.update(extra_env or {})
    return env


@contextmanager
def running_server(log_path: Path, extra_env: dict | None = None):
    """Run `streamlit run streamlit_app.py` on a free loopback port; yield ``(base URL, process)``."""
    try:
        with streamlit_server("streamlit_app.py", ROOT, app_env(extra_env), log_path) as started:
            yield started
    except ServerFailed as exc:  # raised only while starting; the test's own failures pass through
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def app_url(server_log: Path):
    """Start `streamlit run streamlit_app.py` on the bundled data; yield its base URL."""
    with running_server(server_log) as (base, _process):
        yield base


# `browser` (one Chromium for the whole session) lives in tests/conftest.py: Playwright's sync API runs one
# instance per thread, so tests/spark and tests/deploy, which borrow these fixtures, must share that one.


class OfflineRoutes:
    """Answers every request not addressed to 127.0.0.1: tiles get a blank PNG, the rest is aborted and recorded."""

    def __init__(self) -> None:
        self.png = blank_png()
        self.tiles = 0
        self.blocked: list[str] = []

    def handle(self, route) -> None:
        url = route.request.url
        if TILE.search(url.split("?")[0]):
            self.tiles += 1
            route.fulfill(status=200, body=self.png, headers={"content-type": "image/png",
                                                              "access-control-allow-origin": "*"})
        else:
            self.blocked.append(url)
            route.abort()


@pytest.fixture
def offline() -> OfflineRoutes:
    return OfflineRoutes()


@pytest.fixture
def new_context(browser, offline: OfflineRoutes):
    """A factory of fresh browser contexts (empty cache and storage) with the offline routes installed."""
    contexts = []

    def make():
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        context.route(NOT_LOCAL, offline.handle)
        context.on("page", _collect_page_errors)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def _collect_page_errors(page) -> None:
    """Keep the page's uncaught JavaScript errors in ``page.js_errors`` (checked by the tests)."""
    page.js_errors = []
    page.on("pageerror", lambda error: page.js_errors.append(str(error)))


@pytest.fixture
def context(new_context):
    return new_context()


@pytest.fixture
def page(request, context, offline: OfflineRoutes, server_log: Path):
    """A page in a fresh context; on failure a screenshot and the server log go to test-artifacts/."""
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_failure(request.node.name, context, server_log)
    elif report is not None and report.passed:
        assert offline.blocked == [], f"requests outside 127.0.0.1 (other than tiles): {offline.blocked}"


def _save_failure(name: str, context, server_log: Path) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    for number, open_page in enumerate(context.pages):
        try:
            path = ARTIFACTS / f"failure-{safe}-{number}.png"
            open_page.screenshot(path=str(path), full_page=True, timeout=10_000)
            print(f"screenshot of {open_page.url}: {path}")
        except Exception as exc:  # the page may be gone; the log below still helps
            print(f"no screenshot of page {number}: {exc}")
    if server_log.exists():
        print(f"--- {server_log} ---\n" + server_log.read_text(errors="replace")[-20_000:])


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can tell whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --- helpers shared by the browser test modules -------------------------------------------------------

INCIDENTS_CSV = ROOT / "geodata" / "incidents.csv"
SCREENSHOTS = ROOT / "docs" / "screenshots"
TIMINGS = ARTIFACTS / "timings.json"
MAP_FRAME = 'iframe[src*="streamlit_folium"]'
MARKER = "path.leaflet-interactive"
LOAD_TIMEOUT_MS = 60_000


def rows_between(start: str, end: str, country: str | None = None) -> int:
    """Incident rows dated start..end (inclusive), optionally naming ``country`` among their countries."""
    with open(INCIDENTS_CSV, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return sum(1 for row in rows if start <= row["date"] <= end
               and (country is None or country in [c.strip() for c in row["country"].split(";")]))


def record_timing(name: str, seconds: float) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    timings = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    timings[name] = round(seconds, 3)
    TIMINGS.write_text(json.dumps(timings, indent=2, sort_keys=True) + "\n")


def wait_for_map(page) -> None:
    """Wait until the st_folium iframe has drawn at least one site marker."""
    page.frame_locator(MAP_FRAME).locator(MARKER).first.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)


def wait_until_idle(page) -> None:
    """Wait until the script run has finished (Streamlit shows its running indicator while it runs)."""
    page.locator('[data-testid="stMain"]').wait_for(timeout=LOAD_TIMEOUT_MS)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                           " && !document.querySelector('[data-stale=\"true\"]')", timeout=LOAD_TIMEOUT_MS)


def metric_box(page, label: str):
    """The locator of the st.metric labelled ``label`` (exact label match)."""
    return page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def metric(page, label: str) -> str:
    """The value shown by the st.metric labelled ``label`` (exact label match)."""
    box = metric_box(page, label)
    box.first.wait_for(timeout=LOAD_TIMEOUT_MS)
    assert box.count() == 1, f"{box.count()} metrics labelled {label!r}"
    return box.locator('[data-testid="stMetricValue"]').inner_text().strip()


def expect_metric(page, label: str, value) -> None:
    """Wait (up to the load timeout) until the metric labelled ``label`` shows ``value``: for values that change
    with a rerun the test has just triggered, where reading once could see the previous run's figure."""
    from playwright.sync_api import expect

    expect(metric_box(page, label).locator('[data-testid="stMetricValue"]')).to_have_text(
        str(value), timeout=LOAD_TIMEOUT_MS)


def widget(page, testid: str, label: str):
    """The Streamlit widget (``data-testid`` ``testid``) whose label is ``label``."""
    return page.locator(f'[data-testid="{testid}"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=label))


def open_page_from_nav(page, title: str) -> None:
    """Click the sidebar navigation link ``title`` (same session, so session state such as an upload is kept)."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title, exact=True).click()


def assert_no_exception(page) -> None:
    """No Streamlit exception box on the page and no uncaught JavaScript error so far."""
    exceptions = page.locator('[data-testid="stException"]')
    assert exceptions.count() == 0, exceptions.first.inner_text()
    assert page.js_errors == [], page.js_errors


def assert_offline(offline) -> None:
    assert offline.blocked == [], f"requests outside 127.0.0.1 other than tiles: {offline.blocked}"


#: The tallest screenshot taken, in CSS pixels.
MAX_SHOT_HEIGHT = 8000


def save_screenshot(page, name: str) -> Path:
    """A screenshot of the whole page at 1400 px wide.

    Streamlit scrolls its main area and sidebar inside fixed containers, so Playwright's ``full_page`` only
    sees the viewport; the viewport is made as tall as the taller of the two for the shot, then put back.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(
        ...['stMain', 'stSidebarContent'].map(id => document.querySelector(`[data-testid="${id}"]`))
            .filter(Boolean).map(e => e.scrollHeight), window.innerHeight)""")
    page.set_viewport_size({"width": size["width"], "height": min(int(height), MAX_SHOT_HEIGHT)})
    try:
        if height <= MAX_SHOT_HEIGHT:  # a taller page is shot down to the cap: it cannot stop scrolling
            page.wait_for_function("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                                   " return m.scrollHeight <= m.clientHeight + 1; }", timeout=10_000)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)
    return path
