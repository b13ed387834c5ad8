"""The data URLs through Starlette's test client, on the bundled data: answers, errors, versions, limits, CORS.

The server wiring (``streamlit run`` serving them beside the pages) is tested in test_live_server.py.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dashboard.core.data.dataset import load_dataset

from dashboard.api.endpoints import MAX_CELLS, DataApi, ServedData
from dashboard.api.limits import ApiSettings
from dashboard.api.openapi import ENDPOINTS, PAGING
from dashboard.api.spool import Spool
from dashboard.core.data.dataset import data_folder, load_dataset
from dashboard.core.query import counts, rows
from dashboard.core.query.store import source_for
from dashboard.core.view.share import PARAMETERS
from tests.browser.conftest import rows_between

CHANGED = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def served():
    dataset = load_dataset(data_folder())
    source = source_for(dataset)
    return ServedData(source=source, sites=dataset.sites, official_counts=dataset.official_counts,
                      vocabulary=counts.vocabulary(source, dataset.sites), version="0123456789abcdef",
                      changed=CHANGED)


def client_for(served, tmp_path, **settings) -> TestClient:
    api = DataApi(lambda: served, ApiSettings(**{"rate_per_minute": 10_000, "burst": 10_000, **settings}),
                  spool=Spool(tmp_path / "spool", 50 << 20))
    return TestClient(Starlette(routes=api.routes()))


@pytest.fixture
def client(served, tmp_path):
    return client_for(served, tmp_path)


def incident_ids(collection: dict) -> set[str]:
    """Incidents an answer holds: those placed (one feature per site) and those listed as unmapped."""
    return {f["properties"]["incident_id"] for f in collection["features"]} | set(collection["unmapped"]["incident_ids"])


VIEWS = ["", "country=Syria", "start=2023-10-17&end=2023-11-23", "country=Iraq&type=rocket",
         "site=IQ-ASAD,SY-TANF&status=US-official", "start=2024-01-01&end=2024-03-31&country=Jordan"]


@pytest.mark.parametrize("query", VIEWS)
def test_geojson_csv_and_counts_agree_for_each_view(client, served, query):
    collection = client.get(f"/api/incidents.geojson?{query}").json()
    table = list(csv.DictReader(io.StringIO(client.get(f"/api/incidents.csv?{query}").content.decode("utf-8-sig"))))
    figures = client.get(f"/api/counts.json?{query}").json()["headline"]
    assert len(incident_ids(collection)) == len(table) == figures["Incidents"] == collection["numberMatched"]
    assert incident_ids(collection) == {row["incident_id"] for row in table}
    assert collection["unmapped"]["count"] == figures["Not mapped"]


def test_counts_equal_an_independent_count_of_the_csv_file(client):
    assert len(incident_ids(client.get("/api/incidents.geojson?start=2023-10-17&end=2023-11-23").json())) == \
        rows_between("2023-10-17", "2023-11-23")
    assert len(incident_ids(client.get("/api/incidents.geojson?country=Syria").json())) == \
        rows_between("0000-01-01", "9999-12-31", "Syria")


def test_geojson_is_rfc7946_points_at_the_gazetteers_coordinates(client, served):
    response = client.get("/api/incidents.geojson?site=IQ-ASAD")
    assert response.headers["content-type"] == "application/geo+json"
    collection = response.json()
    asad = served.sites.set_index("site_id").loc["IQ-ASAD"]
    mine = [f for f in collection["features"] if f["properties"]["site_id"] == "IQ-ASAD"]
    assert mine and all(f["geometry"] == {"type": "Point", "coordinates": [asad["lon"], asad["lat"]]} for f in mine)
    assert all(f["properties"]["coord_precision"] == asad["coord_precision"] for f in mine)
    assert "crs" not in collection  # RFC 7946: WGS 84 longitude, latitude, no crs member


def test_csv_is_the_download_with_formulas_neutralised(client, served):
    from dashboard.core.data.exports import incidents_csv
    from dashboard.core.view.filters import Filters

    body = client.get("/api/incidents.csv?country=Iraq").content
    assert body == incidents_csv(rows.all_rows(served.source, Filters(countries=("Iraq",))), served.sites)
    assert body.startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("query, parameter, value", [
    ("country=Narnia", "country", "Narnia"),
    ("start=2024-02-30", "start", "2024-02-30"),
    ("start=2024-03-01&end=2024-01-01", "start", "2024-03-01"),
    ("type=banana", "type", "banana"),
    ("status=rumour", "status", "rumour"),
    ("site=XX-NOWHERE", "site", "XX-NOWHERE"),
    ("period=fortnight", "period", "fortnight"),
    ("colour=red", "colour", "red"),
    ("limit=0", "limit", "0"),
    ("limit=ten", "limit", "ten"),
    ("offset=-3", "offset", "-3"),
    ("limit=5&limit=6", "limit", "5,6"),
    ("start=2031-01-01", "start", "2031-01-01"),
    ("map=99/1/1", "map", "99/1/1"),
])
def test_an_invalid_parameter_is_a_400_naming_it(client, query, parameter, value):
    response = client.get(f"/api/incidents.geojson?{query}")
    assert response.status_code == 400
    body = response.json()
    problem = body["problems"][0]
    assert (problem["parameter"], problem["value"]) == (parameter, value)
    assert problem["expected"] and parameter in problem["message"]
    assert "Traceback" not in response.text
    assert response.headers["x-dataset-version"] == "0123456789abcdef"


def test_every_problem_is_listed(client):
    problems = client.get("/api/counts.json?country=Narnia&type=banana").json()["problems"]
    assert [p["parameter"] for p in problems] == ["country", "type"]
    assert "Iraq" in problems[0]["expected"]


def test_dates_outside_the_data_are_not_errors(client):
    assert client.get("/api/incidents.geojson?start=2001-01-01").status_code == 200
    assert client.get("/api/incidents.geojson?end=2099-01-01").status_code == 200


def test_a_share_links_own_parameters_are_accepted(client):
    query = "country=Syria&view=incidents&period=month&focus=SY-TANF&map=7/33.8/42.4&layers=heat&step=month"
    assert client.get(f"/api/incidents.geojson?{query}").json()["numberMatched"] == \
        client.get("/api/incidents.geojson?country=Syria").json()["numberMatched"]


def test_pages_are_slices_of_the_whole_with_a_next_link(client):
    whole = [f["properties"]["incident_id"] for f in client.get("/api/incidents.geojson").json()["features"]]
    total = len(load_dataset(None).incidents)  # every bundled incident has a site or a country: one feature each
    url, seen = "/api/incidents.geojson?limit=20", []
    pages = 0
    while url:
        response = client.get(url)
        page = response.json()
        assert page["numberReturned"] <= 20 and page["numberMatched"] == total
        seen += [f["properties"]["incident_id"] for f in page["features"]]
        following = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if following:
            assert f'<{following[0]}>; rel="next"' in response.headers["link"]
        url = following[0] if following else None
        pages += 1
    assert pages == -(-total // 20) and seen == whole


def test_csv_pages_have_a_link_header_and_a_header_row_each(client):
    total = len(load_dataset(None).incidents)
    first = client.get("/api/incidents.csv?limit=50")
    assert 'rel="next"' in first.headers["link"] and first.headers["x-total-count"] == str(total)
    offset = (total - 1) // 50 * 50  # the last page
    last = client.get(f"/api/incidents.csv?limit=50&offset={offset}")
    rows_ = list(csv.DictReader(io.StringIO(last.content.decode("utf-8-sig"))))
    assert len(rows_) == total - offset and 'rel="next"' not in last.headers.get("link", "")


def test_etag_and_304(client):
    first = client.get("/api/counts.json?country=Syria")
    tag = first.headers["etag"]
    assert first.headers["x-dataset-version"] == "0123456789abcdef"
    assert first.headers["last-modified"] == "Mon, 30 Nov 2026 12:00:00 GMT"
    again = client.get("/api/counts.json?country=Syria", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    assert client.get("/api/counts.json?country=Syria", headers={"If-None-Match": f"W/{tag}"}).status_code == 304
    assert client.get("/api/counts.json?country=Iraq", headers={"If-None-Match": tag}).status_code == 200
    assert client.get("/api/incidents.geojson?country=Syria").headers["etag"] != tag
    streamed = client.get("/api/incidents.geojson?country=Syria")
    assert client.get("/api/incidents.geojson?country=Syria",
                      headers={"If-None-Match": streamed.headers["etag"]}).status_code == 304
    assert client.get("/api/sites.geojson", headers={"If-Modified-Since": "Tue, 01 Dec 2026 00:00:00 GMT"}) \
        .status_code == 304
    assert client.get("/api/sites.geojson", headers={"If-Modified-Since": "Sun, 29 Nov 2026 00:00:00 GMT"}) \
        .status_code == 200


def test_a_new_dataset_version_changes_the_etag(served, tmp_path):
    from dataclasses import replace

    before = client_for(served, tmp_path).get("/api/sites.geojson").headers["etag"]
    after = client_for(replace(served, version="fedcba9876543210"), tmp_path).get("/api/sites.geojson")
    assert after.headers["etag"] != before and after.json()["dataset_version"] == "fedcba9876543210"


def test_too_many_requests_get_429_with_retry_after(served, tmp_path):
    client = client_for(served, tmp_path, rate_per_minute=6, burst=3)
    answers = [client.get("/api/sites.geojson").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = client.get("/api/sites.geojson")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "6 requests a minute" in refused.json()["message"]


def test_the_rate_limit_is_per_client_address(served, tmp_path):
    api = DataApi(lambda: served, ApiSettings(rate_per_minute=60, burst=1, trusted_proxies=("testclient",)),
                  spool=Spool(tmp_path, 1 << 20))
    client = TestClient(Starlette(routes=api.routes()))
    assert client.get("/api/sites.geojson", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 200
    assert client.get("/api/sites.geojson", headers={"X-Forwarded-For": "198.51.100.1"}).status_code == 429
    assert client.get("/api/sites.geojson", headers={"X-Forwarded-For": "198.51.100.2"}).status_code == 200


def test_the_endpoints_are_read_only(client):
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)("/api/incidents.geojson")
        assert response.status_code == 405 and response.headers["allow"] == "GET, HEAD, OPTIONS"


def test_an_unknown_data_url_is_a_json_404(client):
    response = client.get("/api/incidents.shp")
    assert response.status_code == 404 and "/api/incidents.geojson" in response.json()["message"]


def test_cors_is_off_by_default_and_one_setting_allows_an_origin(client, served, tmp_path):
    assert "access-control-allow-origin" not in client.get("/api/sites.geojson").headers
    allowed = client_for(served, tmp_path, cors_origin="https://news.example.org")
    response = allowed.get("/api/sites.geojson", headers={"Origin": "https://news.example.org"})
    assert response.headers["access-control-allow-origin"] == "https://news.example.org"
    assert "ETag" in response.headers["access-control-expose-headers"]
    preflight = allowed.options("/api/incidents.csv", headers={"Origin": "https://news.example.org",
                                                               "Access-Control-Request-Method": "GET"})
    assert preflight.status_code == 204 and "GET" in preflight.headers["access-control-allow-methods"]


def test_head_and_byte_ranges_are_answered_from_a_whole_file(client):
    head = client.head("/api/incidents.geojson?country=Syria")
    whole = client.get("/api/incidents.geojson?country=Syria").content
    assert head.status_code == 200 and int(head.headers["content-length"]) == len(whole)
    part = client.get("/api/incidents.geojson?country=Syria", headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == whole[:100]
    assert part.headers["etag"] == head.headers["etag"]


def test_counts_json_holds_the_charts_and_the_officials_totals(client):
    body = client.get("/api/counts.json?period=month&by=type").json()
    assert body["view"]["period"] == "month" and body["view"]["by"] == "type"
    assert {"period", "type", "count"} <= set(body["over_time"][0])
    assert sum(r["count"] for r in body["per_type"]) == body["headline"]["Incidents"]
    official = body["attacks_against_officials"]
    assert official["official_counts"] and {"date_reported", "sources", "reported_by"} <= set(official["official_counts"][0])
    assert official["comparison"]
    json.dumps(body, allow_nan=False)


@pytest.mark.parametrize("query", ["zoom=5", "cell=0.5", "map=7/33.8/42.4", ""])
def test_cells_count_every_placed_incident(client, query):
    body = client.get(f"/api/cells.geojson?{query}").json()
    placed = client.get("/api/counts.json").json()["headline"]
    assert body["features"] and body["cell_size_deg"] > 0
    assert sum(f["properties"]["count"] for f in body["features"]) >= placed["Incidents"] - placed["Not mapped"]


def test_cells_refuse_a_cell_that_is_not_a_map_cell_or_both_settings(client):
    assert client.get("/api/cells.geojson?cell=0.3").json()["problems"][0]["parameter"] == "cell"
    assert client.get("/api/cells.geojson?zoom=5&cell=0.5").status_code == 400
    assert client.get("/api/cells.geojson?zoom=42").json()["problems"][0]["parameter"] == "zoom"
    assert MAX_CELLS >= 10_000


def test_sites_geojson_counts_the_selection(client, served):
    body = client.get("/api/sites.geojson?country=Syria").json()
    assert len(body["features"]) == len(served.sites)
    by_id = {f["id"]: f["properties"]["incidents"] for f in body["features"]}
    with open(data_folder() / "incidents.csv", newline="", encoding="utf-8") as handle:
        syria = [row for row in csv.DictReader(handle) if "Syria" in [c.strip() for c in row["country"].split(";")]]
    for site in ("SY-TANF", "IQ-ASAD", "JO-TOWER22"):
        assert by_id[site] == sum(site in [s.strip() for s in row["site_id"].split(";")] for row in syria), site
    assert by_id["SY-TANF"] > 0


def test_openapi_lists_every_endpoint_and_parameter(client):
    document = client.get("/api").json()
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/api"} | {f"/api/{name}" for name in ENDPOINTS}
    for name, (_summary, _media, extra) in ENDPOINTS.items():
        names = {p["name"] for p in document["paths"][f"/api/{name}"]["get"]["parameters"]}
        assert names == set(PARAMETERS) | set(extra)
    assert set(PAGING) == {"limit", "offset"}
    # every documented parameter is accepted by its endpoint
    examples = {"limit": "5", "offset": "0", "by": "site", "zoom": "6", "cell": "1", "start": "2024-01-01",
                "end": "2024-01-31", "country": "Iraq", "site": "IQ-ASAD", "type": "drone", "status": "US-official",
                "view": "incidents", "period": "month", "focus": "IQ-ASAD", "map": "6/33/43", "layers": "none",
                "basemap": "borders", "step": "month", "at": "2024-01-01"}
    for name, (_summary, _media, extra) in ENDPOINTS.items():
        for parameter in set(PARAMETERS) | set(extra):
            if name == "cells.geojson" and parameter == "cell":
                continue  # zoom and cell exclude each other; each alone below
            query = f"{parameter}={examples[parameter]}"
            assert client.get(f"/api/{name}?{query}").status_code == 200, (name, query)
    assert client.get("/api/cells.geojson?cell=1").status_code == 200


def test_a_failure_is_a_500_that_names_no_path(tmp_path):
    def broken():
        raise RuntimeError("cannot open /srv/secret/geodata/incidents.csv")

    api = DataApi(broken, ApiSettings(), spool=Spool(tmp_path, 1 << 20))
    response = TestClient(Starlette(routes=api.routes()), raise_server_exceptions=False).get("/api/sites.geojson")
    assert response.status_code == 500
    assert "/srv" not in response.text and "Traceback" not in response.text
    assert response.json()["error"] == "internal error"


def test_a_whole_answer_frees_its_slot_however_it_ends(served, tmp_path):
    api = DataApi(lambda: served, ApiSettings(streams=1), spool=Spool(tmp_path, 50 << 20))
    client = TestClient(Starlette(routes=api.routes()))
    for _ in range(3):  # read to the end: the slot comes back each time
        assert client.get("/api/incidents.csv").status_code == 200
    assert client.head("/api/incidents.geojson").status_code == 200  # written to the spool: slot back
    from starlette.requests import Request

    scope = {"type": "http", "method": "GET", "path": "/api/incidents.csv", "query_string": b"", "headers": [],
             "client": ("192.0.2.9", 1)}
    unread = api._incidents(Request(scope), "192.0.2.9", "csv")  # a client that leaves before the first byte
    assert not api.limiter.open_stream("192.0.2.9")  # its one slot is taken while the answer exists
    del unread
    assert api.limiter.open_stream("192.0.2.9")  # and free once the answer is dropped


def test_byte_ranges_of_a_kept_answer_are_not_counted_but_making_it_is(served, tmp_path):
    client = client_for(served, tmp_path, rate_per_minute=1, burst=2)
    url = "/api/incidents.geojson?country=Iraq"
    assert client.get(url, headers={"Range": "bytes=0-9"}).status_code == 206  # made: counted (1 of 2)
    for start in range(0, 5000, 500):  # GDAL reading the kept answer piece by piece: free
        assert client.get(url, headers={"Range": f"bytes={start}-{start + 499}"}).status_code == 206
    assert client.get("/api/sites.geojson", headers={"Range": "bytes=0-9"}).status_code == 200  # counted (2 of 2)
    assert client.get("/api/counts.json", headers={"Range": "bytes=0-9"}).status_code == 429  # no free pass there
    assert client.get("/api/incidents.csv", headers={"Range": "bytes=0-9"}).status_code == 429  # a new answer


def test_the_spool_keeps_no_lock_for_answers_already_written(tmp_path):
    spool = Spool(tmp_path, 1 << 20)
    for n in range(5):
        assert spool.keep(f"{n:032x}", ".csv", [b"a", b"b"]).read_bytes() == b"ab"
    assert spool._locks == {}
