"""The Data page's downloads: each button's callable makes its file from its arguments alone, after the run.

Streamlit calls a download button's callable when the button is pressed, in a server thread, outside the
page's script run. The app test records the callables the page registers and calls them the same way: in
another thread, once the run is over.
"""
from __future__ import annotations

import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.query import rows
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters
from dashboard.ui import exports_box
from dashboard.ui.exports_box import ReportView, placements_with_country, report_html
from tests.conftest import ROOT

KML = "{http://www.opengis.net/kml/2.2}"
LABELS = ["CSV (spreadsheets)", "GeoJSON", "KML (Google Earth)", "HTML page (map + charts)"]


def strict_json(text: str):
    """JSON as JavaScript's JSON.parse reads it: NaN and Infinity are errors."""
    def refuse(name):
        raise ValueError(f"{name} in the JSON")
    return json.loads(text, parse_constant=refuse)


def chart_specs(page: str) -> list:
    return strict_json(re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', page,
                                 re.S).group(1))


class Parts(HTMLParser):
    """The links of the report's table and the srcdoc of its map frame."""

    def __init__(self):
        super().__init__()
        self.links, self.srcdoc, self.in_table = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.in_table = True
        if tag == "a" and self.in_table:
            self.links.append(attrs["href"])
        if tag == "iframe":
            self.srcdoc = attrs.get("srcdoc")


def parts(page: str) -> Parts:
    parser = Parts()
    parser.feed(page)
    return parser


def run_later(make):
    """Call a download's callable as Streamlit does when its button is pressed: in another thread, after the run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(make).result()


@pytest.fixture
def registered(monkeypatch) -> dict:
    """The callables the download buttons register, by file name."""
    callables = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        callables[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return callables


@pytest.mark.parametrize("params", [{}, {"country": "Syria", "start": "2023-10-17", "end": "2023-12-31"}],
                         ids=["default", "filtered"])
def test_every_download_is_made_after_the_run(registered, params):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("dashboard/app_pages/data_page.py")
    at.run()
    assert not at.exception
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == LABELS
    assert all(b.proto.ignore_rerun for b in buttons), "a download that reruns the page can revoke its own file"
    total = int(next(m.value for m in at.metric if m.label == "Incidents").replace(",", ""))
    stem = "incidents_" + params.get("start", "all") + "_" + params.get("end", "all")
    assert set(registered) == {f"{stem}.{ext}" for ext in ("csv", "geojson", "kml", "html")}

    made = {name.rsplit(".", 1)[1]: run_later(make) for name, make in registered.items()}
    table = pd.read_csv(io.BytesIO(made["csv"]), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert len(table) == total
    if "country" in params:
        assert all("Syria" in value.split(";") for value in table["country"])
    collection = json.loads(made["geojson"])
    placed = {feature["properties"]["incident_id"] for feature in collection["features"]}
    assert placed | set(collection["unmapped"]["incident_ids"]) == set(table["incident_id"])
    assert all(feature["properties"]["site_country"] for feature in collection["features"])
    kml = ET.fromstring(made["kml"])
    assert len(list(kml.iter(f"{KML}Placemark"))) == len(collection["features"])
    page = made["html"]
    assert f"{total} incident" in page and "Exported" in page
    assert len(chart_specs(page)) >= 6
    found = parts(page)
    assert found.srcdoc and "fitBounds" in found.srcdoc
    assert found.links and all(link.startswith(("http://", "https://")) for link in found.links)


@pytest.fixture
def mini(mini_data):
    dataset = load_dataset(mini_data)
    return dataset, source_for(dataset)


def view(**changes) -> ReportView:
    fields = dict(sentence="6 incidents, 18 Oct 2023 – 20 Nov 2023", link="https://example.org/app?country=Syria",
                  period="week", mode="sites", start="2023-10-18", end="2023-11-20", total=6)
    return ReportView(**{**fields, **changes})


def test_report_is_made_from_its_arguments(mini):
    dataset, source = mini
    page = report_html(source, Filters(), dataset.sites, dataset.official_counts, view(), dt.date(2024, 1, 2))
    assert ("6 incidents, 18 Oct 2023 – 20 Nov 2023. Exported 02 Jan 2024 from "
            "https://example.org/app?country=Syria.") in page
    specs = chart_specs(page)
    nameless = [row for spec in specs for values in spec.get("datasets", {}).values() for row in values
                if row.get("site_id") == ""]
    assert nameless, "no chart counts the incident naming no site"
    assert all(row["name"] == "(no site named)" and row["country"] == "" for row in nameless), nameless
    found = parts(page)
    assert found.links == ["https://example.org/report"] * 12  # 6 rows, the first source and all sources
    assert '"paddingBottomRight"' in found.srcdoc and "ResizeObserver" in found.srcdoc


def test_report_note_without_a_link_and_over_the_table_size():
    note = exports_box.report_note(view(link="", total=exports_box.HTML_TABLE_ROWS + 1), dt.date(2024, 1, 2))
    assert note.startswith("6 incidents, 18 Oct 2023 – 20 Nov 2023. Exported 02 Jan 2024 from the dashboard.")
    assert f"first {exports_box.HTML_TABLE_ROWS:,} of the {exports_box.HTML_TABLE_ROWS + 1:,} incidents" in note


def test_the_callables_touch_no_streamlit(mini, monkeypatch):
    """Nothing but the arguments: any use of ``st`` or of the session's view state fails the test."""
    dataset, source = mini

    class Untouchable:
        def __getattr__(self, name):
            raise AssertionError(f"a download callable used {name}")

    monkeypatch.setattr(exports_box, "st", Untouchable())
    monkeypatch.setattr(exports_box, "view_state", Untouchable())
    monkeypatch.setattr(exports_box, "data", Untouchable())
    filters = Filters(countries=("Syria",))
    csv_text = run_later(lambda: exports_box.csv_file(source, filters, dataset.sites))
    assert csv_text.count(b"\n") == 5  # the header, I-2, I-3, I-5 and I-6
    assert json.loads(run_later(lambda: exports_box.geojson_file(source, filters, dataset.sites)))["features"]
    assert ET.fromstring(run_later(lambda: exports_box.kml_file(source, filters, dataset.sites, "t")))
    assert "<iframe" in run_later(lambda: report_html(source, filters, dataset.sites, dataset.official_counts,
                                                      view(total=4)))


def test_placements_get_the_country_of_their_place(mini):
    dataset, source = mini
    incidents = rows.all_rows(source, Filters())
    placements = rows.all_placements(source, Filters())
    assert "country" not in placements.columns
    placed = placements_with_country(placements, incidents, dataset.sites)
    assert dict(zip(placed["site_id"], placed["country"])) == {"IQ-A": "Iraq", "SY-B": "Syria", "SY-C": "Syria"}
    place = pd.DataFrame({"incident_id": ["I-5"], "site_id": ["33.10,40.20"], "place_kind": ["place"]})
    assert placements_with_country(place, incidents, dataset.sites)["country"].tolist() == ["Syria"]
    assert placements_with_country(placed, incidents, dataset.sites) is placed
