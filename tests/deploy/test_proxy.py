"""Two reader processes and the editor behind nginx, started by the launcher users run (deploy/cluster.py).

Sessions opened through the proxy in fresh browser contexts spread over both readers and each stays on its
process (the access log says which process served which affinity cookie); after one reader is killed with
SIGKILL, a new session and a share link opened by a browser that was on the killed process still show the right
figures through the proxy. Expected counts come from geodata/incidents.csv with the csv module
(tests/browser/conftest.rows_between), not from the app's code. The figures (sessions per process, seconds to
recover) are printed and written to test-artifacts/proxy-figures.json.
"""
from __future__ import annotations

import os
import signal
import time
from collections import Counter

import pytest

from tests.browser.conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, assert_no_exception, assert_offline, expect_metric,
                                    open_page_from_nav, rows_between, skip_without_browser, wait_for_map,
                                    wait_until_idle)
from tests.browser.test_charts_page import CHART, CHARTS_ON_PAGE

from .conftest import affinity_of, record_figures, skip_without_nginx

skip_without_browser()
skip_without_nginx()
pytestmark = [pytest.mark.proxy, pytest.mark.slow]

#: Sessions opened before the kill; more (up to MAX_SESSIONS) only if the hash put all of them on one process.
SESSIONS = 6
MAX_SESSIONS = 16
ALL = ("0000-01-01", "9999-12-31")
SHARE = {"start": "2023-11-01", "end": "2024-01-31", "country": "Syria"}
STREAM = "/_stcore/stream"
RECONNECT_TIMEOUT_S = 60


def open_session(new_context, url: str):
    """A page in a fresh context (no cookies) at ``url``; the page is returned as soon as it starts loading."""
    page = new_context().new_page()
    page.goto(url)
    return page


def served_by(cluster, affinity: str, since: int = 0, sockets: bool = True) -> set[str]:
    """The reader addresses that answered the requests of one browser (its affinity cookie) in the log's lines
    from ``since`` on. nginx logs a WebSocket when it closes, so a socket opened before ``since`` can be among
    them: ``sockets=False`` leaves sockets out."""
    return {entry["served_by"] for entry in cluster.log()[since:]
            if entry["affinity"] == affinity and entry["served_by"] != "-"
            and (sockets or entry["path"] != STREAM)}


def sockets_of(cluster, affinity: str, since: int) -> list[str]:
    """The readers that held the WebSockets of one browser closed since line ``since``."""
    return [entry["served_by"] for entry in cluster.log()[since:]
            if entry["affinity"] == affinity and entry["path"] == STREAM]


def track_sockets(page) -> list[float]:
    """Record, in the returned list, when the page opens each WebSocket from now on."""
    opened: list[float] = []
    page.on("websocket", lambda _socket: opened.append(time.monotonic()))
    return opened


def test_the_editor_is_served_at_edit(cluster, new_context, offline):
    total = rows_between(*ALL)
    page = open_session(new_context, cluster.url + "/edit/")
    expect_metric(page, "Incidents", total)
    assert_no_exception(page)
    editor = f"{cluster.editor['address']}:{cluster.editor['port']}"
    assert served_by(cluster, affinity_of(page.context)) == {editor}
    assert page.url.startswith(cluster.url + "/edit/")
    assert_offline(offline)


def test_sessions_spread_over_readers_and_survive_a_killed_one(cluster, new_context, offline):
    total = rows_between(*ALL)
    readers = {f"{app['address']}:{app['port']}": app for app in cluster.readers}

    # Several viewers at once, each in a fresh context: nginx gives each a cookie, the cookie picks a reader.
    started = time.monotonic()
    pages = [open_session(new_context, cluster.url + "/") for _ in range(SESSIONS)]
    for page in pages:
        expect_metric(page, "Incidents", total)
    all_shown_s = time.monotonic() - started
    sessions = {affinity_of(page.context): page for page in pages}
    while len({reader for affinity in sessions for reader in served_by(cluster, affinity)}) < len(readers):
        assert len(sessions) < MAX_SESSIONS, f"{len(sessions)} sessions all went to one reader: {cluster.log()}"
        page = open_session(new_context, cluster.url + "/")
        expect_metric(page, "Incidents", total)
        sessions[affinity_of(page.context)] = page
    placed = {}
    for affinity in sessions:
        answered = served_by(cluster, affinity)
        assert len(answered) == 1, f"the requests of one browser went to {answered} (not sticky)"
        placed[affinity] = answered.pop()
    per_process = Counter(placed.values())
    assert set(per_process) == set(readers), per_process
    for page in sessions.values():
        assert_no_exception(page)

    started = time.monotonic()
    baseline = open_session(new_context, cluster.url + "/")
    expect_metric(baseline, "Incidents", total)
    baseline_s = time.monotonic() - started

    # Kill one reader the hard way; its browsers keep their cookies, which still hash to it.
    killed, survivor = sorted(readers, key=lambda address: -per_process[address])
    stranded = next(page for affinity, page in sessions.items() if placed[affinity] == killed)
    new_sockets = track_sockets(stranded)
    log_mark = len(cluster.log())
    os.kill(readers[killed]["pid"], signal.SIGKILL)
    killed_at = time.monotonic()

    fresh = open_session(new_context, cluster.url + "/")
    expect_metric(fresh, "Incidents", total)
    new_session_s = time.monotonic() - killed_at
    assert served_by(cluster, affinity_of(fresh.context), log_mark, sockets=False) == {survivor}
    assert_no_exception(fresh)

    # A share link opened by a browser whose cookie points to the killed reader.
    share_url = cluster.url + "/?" + "&".join(f"{key}={value}" for key, value in SHARE.items())
    started = time.monotonic()
    shared = stranded.context.new_page()
    shared.goto(share_url)
    expect_metric(shared, "Incidents", rows_between(SHARE["start"], SHARE["end"], SHARE["country"]))
    share_s = time.monotonic() - started
    share_after_kill_s = time.monotonic() - killed_at
    assert served_by(cluster, affinity_of(stranded.context), log_mark, sockets=False) == {survivor}
    wait_for_map(shared)  # the map's component and its scripts came through the proxy from the survivor too
    wait_until_idle(shared)
    assert_no_exception(shared)
    shared.screenshot(path=str(ARTIFACTS / "proxy-after-kill.png"))

    # The page that was open on the killed reader reconnects by itself, to the survivor, which knows nothing of
    # its session: the page keeps what it showed, and its next click runs on the survivor.
    deadline = killed_at + RECONNECT_TIMEOUT_S
    while not new_sockets:
        assert time.monotonic() < deadline, f"the open page did not reconnect in {RECONNECT_TIMEOUT_S} s"
        stranded.wait_for_timeout(100)  # lets Playwright deliver the page's events meanwhile
    reconnect_s = new_sockets[0] - killed_at
    started = time.monotonic()
    open_page_from_nav(stranded, "Charts")
    # the Charts page draws six charts (the map page one, under the map): only a script run can draw them
    stranded.wait_for_function(f"() => document.querySelectorAll('{CHART} svg.marks').length >= {CHARTS_ON_PAGE}",
                               timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(stranded)
    expect_metric(stranded, "Incidents", total)
    click_s = time.monotonic() - started
    assert_no_exception(stranded)

    # Closing the pages closes their sockets, which nginx logs then: each was held by the survivor.
    socket_mark = len(cluster.log())
    for page in (fresh, shared):
        affinity = affinity_of(page.context)
        page.close()
        closed_at = time.monotonic()
        while not sockets_of(cluster, affinity, socket_mark):
            assert time.monotonic() < closed_at + 10, f"no WebSocket of {affinity} in the access log"
            time.sleep(0.1)  # poll the log
        assert set(sockets_of(cluster, affinity, socket_mark)) == {survivor}
    assert cluster.process.poll() is None, "the launcher stopped although one reader is still up"
    assert_offline(offline)

    moved = [entry for entry in cluster.log()[log_mark:] if entry["upstream"].startswith(killed + ",")]
    record_figures({
        "sessions": len(sessions),
        "sessions_per_process": {app["name"]: per_process[address] for address, app in readers.items()},
        "sessions_all_shown_s": round(all_shown_s, 2),
        "killed": readers[killed]["name"],
        "new_session_load_before_kill_s": round(baseline_s, 2),
        "new_session_after_kill_s": round(new_session_s, 2),
        "share_link_load_after_kill_s": round(share_s, 2),
        "share_link_shown_after_kill_s": round(share_after_kill_s, 2),
        "open_page_reconnected_after_kill_s": round(reconnect_s, 2),
        "open_page_next_click_shown_s": round(click_s, 2),
        "requests_refused_by_the_killed_process_then_served_by_the_survivor": len(moved),
    })
