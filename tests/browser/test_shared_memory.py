"""Sessions share one dataset: five more visitors on 100,000 incidents add less than 50 MB to the server.

A server is started on a generated folder of 100,000 incidents. One session opens the map and the charts
(the data is converted, loaded into the engine, every query shape compiled); then five new sessions open
other views (other dates and countries) and stay open. The server's resident memory (``VmRSS``) is read
before and after the five: before the query layer every session held its own unpickled copy of the data
(320-346 MB each at this size). The server runs with ``MALLOC_ARENA_MAX=2``, as ``scripts/run.sh`` starts
it: with glibc's default the same five sessions measured 42-47 MB, most of it per-thread malloc arenas.
"""
from __future__ import annotations

import json
import statistics
import time

import pytest

from tests.browser.conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, assert_no_exception, running_server,
                                    skip_without_browser, wait_for_map, wait_until_idle)
from tests.generated import generated_folder
from tests.memory import rss_kb

skip_without_browser()
pytestmark = [pytest.mark.browser, pytest.mark.slow]

INCIDENTS = 100_000
LIMIT_MB = 50
WARM_UP = "?start=2024-02-01&end=2024-05-31&country=Syria"
VIEWS = ["?start=2024-06-01&end=2024-08-31&country=Iraq", "?start=2024-09-01&end=2024-12-31&country=Jordan",
         "?start=2025-01-01&end=2025-03-31&country=Syria", "?start=2025-04-01&end=2025-06-30&country=Iraq",
         "?start=2023-11-01&end=2024-01-31&country=Iraq,Syria"]


def resident_mb(pid: int) -> float:
    resident = rss_kb(pid)
    assert resident, f"no VmRSS for process {pid}"
    return resident / 1024


def settled_mb(pid: int, samples: int = 5) -> float:
    """The median of a few readings a second apart (the server finishes a run's clean-up after the page is drawn)."""
    readings = []
    for _ in range(samples):
        time.sleep(1)  # the interval between readings, not a wait for readiness
        readings.append(resident_mb(pid))
    return statistics.median(readings)


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    folder = generated_folder(tmp_path_factory.mktemp("data-1e5"), INCIDENTS)
    cache = tmp_path_factory.mktemp("cache")
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(ARTIFACTS / "streamlit-server-1e5.log",
                        {"DASHBOARD_DATA": str(folder), "DASHBOARD_CACHE": str(cache),
                         "MALLOC_ARENA_MAX": "2"}) as (base, process):  # as scripts/run.sh starts the server
        yield base, process.pid


def open_view(context, url: str) -> None:
    page = context.new_page()
    page.goto(url, timeout=LOAD_TIMEOUT_MS)
    wait_for_map(page)
    wait_until_idle(page)
    assert_no_exception(page)
    page.get_by_role("link", name="Charts", exact=True).click()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    assert_no_exception(page)


def test_five_more_sessions_add_less_than_50_mb(big_server, new_context, offline):
    base, pid = big_server
    for _ in range(2):  # the first sessions load the data and compile each shape of query once
        warm = new_context()
        open_view(warm, base + "/" + WARM_UP)
        warm.close()
    before = settled_mb(pid)
    sessions, steps = [], []
    for view in VIEWS:
        context = new_context()
        open_view(context, base + "/" + view)
        sessions.append(context)
        steps.append(round(resident_mb(pid), 1))
    after = settled_mb(pid)
    (ARTIFACTS / "shared-memory.json").write_text(json.dumps(
        {"incidents": INCIDENTS, "sessions": len(VIEWS), "vmrss_before_mb": round(before, 1),
         "vmrss_after_each_session_mb": steps, "growth_mb": round(after - before, 1)}, indent=2) + "\n")
    assert after - before < LIMIT_MB, f"VmRSS grew {after - before:.0f} MB ({before:.0f} -> {after:.0f}) for 5 sessions"
    assert offline.blocked == []
