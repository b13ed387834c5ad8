"""The data URLs at the size users bring: 1,000,000 generated incidents, streamed whole and paged.

The app server streams the whole selection as CSV and as GeoJSON while a thread samples the server's
resident memory every 50 ms: the growth over the server's memory before the request must stay bounded
(:data:`MEMORY_BOUND_MB`; a full copy of the answer would be over 600 MB). The test reads the answers a piece
at a time and keeps only the incident ids. The GeoJSON holds every incident (placed or listed as unmapped),
and pages from ``limit``/``offset`` are the same slices of the order the whole answer has.
Figures go to test-artifacts/api-scale.json.
"""
from __future__ import annotations

import http.client
import json
import re
import time
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import ARTIFACTS, running_server
from tests.generated import generated_folder
from tests.memory import PeakSampler, rss_kb

pytestmark = pytest.mark.slow

ROWS = 1_000_000
#: The most the server's resident memory may grow while it streams a whole answer.
MEMORY_BOUND_MB = 350
FEATURE = re.compile(rb'"incident_id": "(GEN-\d{8})"')


@pytest.fixture(scope="module")
def big_server(tmp_path_factory):
    from dashboard.core.query.store import open_data

    base = tmp_path_factory.mktemp("api-scale")
    folder = generated_folder(base / "data", ROWS)
    open_data(folder, root=base / "cache")
    env = {"DASHBOARD_DATA": str(folder), "DASHBOARD_CACHE": str(base / "cache")}
    with running_server(base / "streamlit.log", env) as (url, process):
        yield url, process.pid


def rss_mb(pid: int) -> float:
    return rss_kb(pid) / 1024


def fetch(url: str, sink) -> dict:
    """GET ``url`` reading 1 MB at a time into ``sink(piece)``; time to first byte, total time, bytes."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    started = time.perf_counter()
    connection.request("GET", parts.path + "?" + parts.query)
    response = connection.getresponse()
    assert response.status == 200, response.read()[:500]
    first, size = None, 0
    while piece := response.read(1 << 20):
        first = first or time.perf_counter()
        size += len(piece)
        sink(piece)
    connection.close()
    return {"ttfb_s": round((first or time.perf_counter()) - started, 3),
            "total_s": round(time.perf_counter() - started, 1), "mb": round(size / 2 ** 20, 1),
            "headers": dict(response.getheaders())}


def streamed(url: str, pid: int, sink) -> dict:
    before = rss_mb(pid)
    sampler = PeakSampler(pid)
    sampler.start()
    try:
        figures = fetch(url, sink)
    finally:
        peak = sampler.stop() / 1024
    figures.update(rss_before_mb=round(before, 1), rss_peak_mb=round(peak, 1), growth_mb=round(peak - before, 1))
    return figures


class Ids:
    """Incident ids found in a stream (a match may straddle two pieces: the tail is kept)."""

    def __init__(self, pattern: re.Pattern):
        self.pattern, self.ids, self.tail = pattern, [], b""

    def __call__(self, piece: bytes) -> None:
        text = self.tail + piece
        last = 0
        for match in self.pattern.finditer(text):
            self.ids.append(match.group(1).decode())
            last = match.end()
        self.tail = text[max(last, len(text) - 64):]


def test_a_million_incidents_stream_whole_in_bounded_memory_and_page_correctly(big_server):
    url, pid = big_server
    fetch(f"{url}/api/incidents.geojson?limit=10", lambda piece: None)  # the data loaded once, as a page does
    figures = {}

    rows = Ids(re.compile(rb"\n(GEN-\d{8}),"))
    figures["csv"] = streamed(f"{url}/api/incidents.csv", pid, rows)
    assert len(rows.ids) == ROWS == len(set(rows.ids))

    features = Ids(FEATURE)
    unmapped_tail = bytearray()

    def geojson_sink(piece: bytes) -> None:
        features(piece)
        unmapped_tail.extend(piece)
        if len(unmapped_tail) > 64 << 20:  # keep only the end, where the unmapped list and counts are
            del unmapped_tail[:len(unmapped_tail) - (48 << 20)]

    figures["geojson"] = streamed(f"{url}/api/incidents.geojson", pid, geojson_sink)
    text = bytes(unmapped_tail)
    unmapped = json.loads("{" + text[text.rindex(b'"unmapped": {'):].decode())
    placed = set(features.ids) - set(unmapped["unmapped"]["incident_ids"])
    assert unmapped["numberMatched"] == unmapped["numberReturned"] == ROWS
    assert len(placed) + unmapped["unmapped"]["count"] == ROWS
    assert set(features.ids) | set(unmapped["unmapped"]["incident_ids"]) == set(rows.ids)
    first_seen = list(dict.fromkeys(features.ids))
    assert first_seen == [i for i in rows.ids if i in placed]  # features in the CSV's order

    for name in ("csv", "geojson"):
        assert figures[name]["growth_mb"] < MEMORY_BOUND_MB, figures[name]

    pages = {}
    for offset in (0, 499_500, ROWS - 1000):
        page = Ids(FEATURE)
        body = bytearray()
        pages[offset] = fetch(f"{url}/api/incidents.geojson?limit=1000&offset={offset}",
                              lambda piece: (page(piece), body.extend(piece)))
        collection = json.loads(bytes(body))
        got = set(page.ids) | set(collection["unmapped"]["incident_ids"])
        assert got == set(rows.ids[offset:offset + 1000])
        assert collection["numberReturned"] == 1000
        following = [link for link in collection["links"] if link["rel"] == "next"]
        assert bool(following) == (offset + 1000 < ROWS)
        csv_page = Ids(re.compile(rb"\n(GEN-\d{8}),"))
        fetch(f"{url}/api/incidents.csv?limit=1000&offset={offset}", csv_page)
        assert csv_page.ids == rows.ids[offset:offset + 1000]

    ARTIFACTS.mkdir(exist_ok=True)
    report = {name: {k: v for k, v in f.items() if k != "headers"} for name, f in figures.items()}
    report["pages_ttfb_s"] = {str(offset): f["ttfb_s"] for offset, f in pages.items()}
    (ARTIFACTS / "api-scale.json").write_text(json.dumps(report, indent=2))
