"""The data URLs on the app's own server (`streamlit run streamlit_app.py`), read as a GIS user reads them.

For a table of views (share links), the GeoJSON answer holds the incidents the page's Incidents metric counts
(AppTest of the same link), the CSV answer has that many rows (pandas.read_csv on the URL), and an
independent count of geodata/incidents.csv agrees. GDAL reads the URL as QGIS does (pyogrio, through
/vsicurl/: a HEAD for the size, then byte ranges), and the README's geopandas line works as written.
"""
from __future__ import annotations

import csv
import json
import urllib.error
import urllib.request

import geopandas
import pandas as pd
import pyogrio
import pytest

from tests.browser.conftest import running_server
from tests.conftest import ROOT
from tests.ui.test_app import metric, open_app

INCIDENTS_CSV = ROOT / "geodata" / "incidents.csv"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    log = tmp_path_factory.mktemp("api-server") / "streamlit.log"
    # GDAL reads a URL in many byte ranges, and these tests ask ~40 URLs from one address: the rate limit (tested
    # on its own in test_endpoints.py) is raised so that it does not decide what these tests see.
    env = {"DASHBOARD_CACHE": str(tmp_path_factory.mktemp("api-cache")), "DASHBOARD_API_RATE": "100000",
           "DASHBOARD_API_BURST": "100000"}
    with running_server(log, env) as (base, process):
        yield base


def independent_count(params: dict[str, str]) -> int:
    """Rows of geodata/incidents.csv the filters select, counted with the csv module."""
    def listed(cell: str) -> set[str]:
        return {part.strip() for part in cell.split(";") if part.strip()}

    def wanted(name: str) -> set[str]:
        return set(params[name].split(",")) if name in params else set()

    with open(INCIDENTS_CSV, newline="", encoding="utf-8") as handle:
        selected = 0
        for row in csv.DictReader(handle):
            if params.get("start", "0000") > row["date"] or params.get("end", "9999") < row["date"]:
                continue
            if wanted("country") and not listed(row["country"]) & wanted("country"):
                continue
            if wanted("site") and not listed(row["site_id"]) & wanted("site"):
                continue
            if wanted("type") and row["event_type"] not in wanted("type"):
                continue
            if wanted("status") and row["confirmation"] not in wanted("status"):
                continue
            selected += 1
    return selected


VIEWS = [
    {},
    {"country": "Syria"},
    {"start": "2023-10-17", "end": "2023-11-23"},
    {"country": "Iraq", "type": "rocket"},
    {"site": "IQ-ASAD,SY-TANF", "status": "US-official"},
    {"start": "2024-01-01", "end": "2024-03-31", "country": "Jordan,Syria"},
    {"type": "us_strike"},
]


def query(params: dict[str, str]) -> str:
    return "&".join(f"{key}={value}" for key, value in params.items())


@pytest.mark.parametrize("params", VIEWS, ids=lambda p: query(p) or "all")
def test_each_view_counts_the_same_on_the_page_in_geojson_and_in_csv(server, params):
    page_metric = int(metric(open_app(params), "Incidents").replace(",", ""))
    with urllib.request.urlopen(f"{server}/api/incidents.geojson?{query(params)}", timeout=60) as response:
        collection = json.load(response)
    placed = {feature["properties"]["incident_id"] for feature in collection["features"]}
    in_geojson = len(placed | set(collection["unmapped"]["incident_ids"]))
    table = pd.read_csv(f"{server}/api/incidents.csv?{query(params)}")
    assert page_metric == in_geojson == len(table) == independent_count(params) == collection["numberMatched"]
    assert list(table.columns[:2]) == ["incident_id", "date"]  # the byte-order mark is read as such


@pytest.mark.parametrize("params", [{"country": "Syria"}, {"start": "2023-10-17", "end": "2023-11-23"}])
def test_gdal_reads_the_url_as_qgis_does(server, params):
    url = f"{server}/api/incidents.geojson?{query(params)}"
    frame = pyogrio.read_dataframe(url)
    with urllib.request.urlopen(url, timeout=60) as response:
        collection = json.load(response)
    assert len(frame) == len(collection["features"]) > 0
    assert frame.crs.to_epsg() == 4326
    assert frame["incident_id"].nunique() + collection["unmapped"]["count"] == independent_count(params)
    first = collection["features"][0]
    assert (frame.geometry.iloc[0].x, frame.geometry.iloc[0].y) == tuple(first["geometry"]["coordinates"])


def test_the_readmes_python_lines_work(server):
    sites = geopandas.read_file(f"{server}/api/sites.geojson")
    incidents = geopandas.read_file(f"{server}/api/incidents.geojson?country=Syria&start=2024-01-01")
    counts = pd.read_csv(f"{server}/api/incidents.csv?country=Syria&start=2024-01-01")
    assert len(sites) == len(pd.read_csv(ROOT / "geodata" / "sites.csv"))
    assert incidents["incident_id"].nunique() <= len(counts) == independent_count({"country": "Syria",
                                                                                    "start": "2024-01-01"})


def test_an_invalid_link_is_a_400_with_json_from_the_server(server):
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(f"{server}/api/incidents.geojson?country=Narnia", timeout=30)
    assert raised.value.code == 400
    body = json.loads(raised.value.read())
    assert body["problems"][0]["parameter"] == "country" and body["problems"][0]["value"] == "Narnia"


def test_the_pages_still_load_beside_the_data_urls(server):
    with urllib.request.urlopen(f"{server}/", timeout=30) as response:
        assert response.status == 200 and b"<html" in response.read().lower()
    with urllib.request.urlopen(f"{server}/api", timeout=30) as response:
        assert json.load(response)["openapi"].startswith("3.1")


@pytest.mark.parametrize("setting, value, named", [("DASHBOARD_API_RATE", "lots", "DASHBOARD_API_RATE"),
                                                   ("DASHBOARD_API_CORS_ORIGIN", "news.example.org/path",
                                                    "DASHBOARD_API_CORS_ORIGIN")])
def test_a_bad_data_url_setting_stops_the_server_with_a_sentence(tmp_path, setting, value, named):
    from tests.browser.conftest import ServerFailed, app_env, streamlit_server

    log = tmp_path / "streamlit.log"
    with pytest.raises(ServerFailed) as failed:
        with streamlit_server("streamlit_app.py", ROOT, app_env({setting: value}), log, timeout_s=60):
            pass
    text = str(failed.value)
    assert f"The data URLs cannot start: {named} was '{value}'" in text
