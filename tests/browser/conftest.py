"""Browser-test fixtures: one `streamlit run` for the session, Debian's chromium through Playwright, offline routing.

The network is closed, so every request that does not go to the app on 127.0.0.1 is answered here:
map tiles get a blank 256 px PNG made in code, anything else is aborted and recorded in
``offline.blocked``; the tests assert that list is empty (and the ``page`` fixture checks it again after a
passing test). A failing test leaves a screenshot of each open page and the server log in test-artifacts/.
"""
from __future__ import annotations

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
#: Environment variables that would point the app away from the bundled data or the default basemap.
APP_ENV = ("DASHBOARD_DATA", "DASHBOARD_TILES_URL", "DASHBOARD_TILES_ATTRIBUTION")


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


@pytest.fixture(scope="session")
def app_url(server_log: Path):
    """Start `streamlit run streamlit_app.py` on a free loopback port; yield its base URL."""
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key not in APP_ENV}
    env["PYTHONPATH"] = str(ROOT)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port), "--server.fileWatcherType", "none"]
    base = f"http://127.0.0.1:{port}"
    with open(server_log, "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with code {process.returncode} before it was healthy:\n"
                            + server_log.read_text(errors="replace"))
            try:
                with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit was not healthy after {STARTUP_TIMEOUT_S} s:\n"
                            + server_log.read_text(errors="replace"))
            time.sleep(0.2)  # poll interval, not a wait for readiness
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


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
