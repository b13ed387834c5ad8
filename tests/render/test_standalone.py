"""The standalone HTML export: everything escaped, charts safe against </script>, no network but tiles."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import altair as alt
import folium
import pandas as pd
import pytest
from folium.plugins import HeatMap, MarkerCluster

from dashboard.core.data.dataset import load_dataset
from dashboard.core.view.filters import Filters
from dashboard.render.assets import PROJECT_ROOT, assets_installed
from dashboard.render.standalone import cdn_url, inline_map_assets, standalone_html, table_html

PAYLOAD = "<img src=x onerror=alert(1)>]]></description><script>alert(1)</script>"
TITLE_PAYLOAD = "Attacks</script><script>alert(1)</script>"
needs_assets = pytest.mark.skipif(not assets_installed(), reason="static/vendor is not installed")


class Links(HTMLParser):
    """Collects script src, link href and iframe srcdoc (attribute values arrive unescaped)."""

    def __init__(self):
        super().__init__()
        self.urls, self.srcdocs, self.iframes = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("href"):
            self.urls.append(attrs["href"])
        if tag == "iframe":
            self.iframes.append(attrs)
            if "srcdoc" in attrs:
                self.srcdocs.append(attrs["srcdoc"])


def parse(page: str) -> Links:
    parser = Links()
    parser.feed(page)
    parser.close()
    return parser


def all_urls(page: str) -> list[str]:
    found = parse(page)
    return found.urls + [url for doc in found.srcdocs for url in all_urls(doc)]


@pytest.fixture
def incidents(mini_data):
    frame = load_dataset(mini_data).incidents
    frame.loc[0, "notes"] = PAYLOAD
    frame.loc[0, "sources"] = ("https://example.org/a", "javascript:alert(1)", "Wire report, 3 Nov")
    return frame


@pytest.fixture
def map_html() -> str:
    fmap = folium.Map(location=[33.5, 40.0], zoom_start=5)
    cluster = MarkerCluster().add_to(fmap)
    folium.Marker([33.8, 42.4]).add_to(cluster)
    HeatMap([[33.8, 42.4], [36.7, 40.6]]).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    return fmap.get_root().render()


@pytest.fixture
def chart() -> dict:
    frame = pd.DataFrame({"day": ["2023-10-18", "2023-10-25"], "n": [2, 1], "note": [PAYLOAD, "ok"]})
    return alt.Chart(frame, title=TITLE_PAYLOAD).mark_bar().encode(x="day:T", y="n:Q", tooltip=["note"]).to_dict()


@pytest.fixture
def page(incidents, map_html, chart) -> str:
    return standalone_html(PAYLOAD, "6 incidents & " + PAYLOAD, map_html, [chart], incidents)


def test_payloads_are_escaped(page):
    assert PAYLOAD not in page
    assert "<img src=x" not in page and "]]></description>" not in page  # vega-embed's own code has "<img"
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script") == page.count("</script>")


def test_chart_title_cannot_close_the_script(page, chart):
    assert TITLE_PAYLOAD not in page and "</script><script>alert(1)" not in page
    specs = re.search(r'<script type="application/json" id="chart-specs">(.*?)</script>', page, re.S).group(1)
    assert json.loads(specs) == [chart]
    assert json.loads(specs)[0]["title"] == TITLE_PAYLOAD


def test_source_links_only_from_http_urls(incidents):
    cells = table_html(incidents)
    assert '<a href="https://example.org/a" rel="noopener noreferrer" target="_blank">' in cells
    assert 'href="javascript' not in cells and "javascript:alert(1)" in cells
    assert "Wire report, 3 Nov" in cells
    assert "<td>2023-10-18</td>" in cells and "<caption>6 rows</caption>" in cells


def test_map_is_isolated_in_a_sandboxed_srcdoc(incidents, map_html):
    page = standalone_html("t", "d", map_html, [], incidents, inline_assets=False)
    found = parse(page)
    assert len(found.iframes) == 1 and found.iframes[0]["sandbox"] == "allow-scripts allow-popups allow-popups-to-escape-sandbox"
    assert found.srcdocs == [map_html]  # escaped in the attribute, exactly the map once parsed
    assert "vega" not in page  # no chart, no chart scripts


@needs_assets
def test_inline_page_loads_nothing_but_tiles(page):
    assert all_urls(page) == []
    assert "https://tile.openstreetmap.org" in parse(page).srcdocs[0]
    assert "url(images/" not in parse(page).srcdocs[0]


def test_cdn_page_uses_package_json_versions(incidents, map_html, chart):
    page = standalone_html("t", "d", map_html, [chart], incidents, inline_assets=False)
    versions = json.loads((PROJECT_ROOT / "package.json").read_text())["dependencies"]
    scripts = parse(page).urls
    assert scripts == [f"https://cdn.jsdelivr.net/npm/{name}@{versions[name]}/build/{name}.min.js"
                       for name in ("vega", "vega-lite", "vega-embed")]
    assert cdn_url("leaflet.css") == f"https://cdn.jsdelivr.net/npm/leaflet@{versions['leaflet']}/dist/leaflet.css"


@needs_assets
@pytest.mark.parametrize("tag, inlined", [
    ('<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>', "<script>"),
    ('<script src="../../app/static/vendor/leaflet.js"></script>', "L.Icon.Default.imagePath"),
    ('<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>', "<script>"),
    ('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>', "data:image/png;base64,"),
    ('<link rel="stylesheet" href="https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css"/>',
     "<style>"),
    ("<script src='https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js'>"
     "</script>", "<script>"),
    ('<script src="https://cdn.jsdelivr.net/npm/leaflet.fullscreen@5.3.3/dist/Control.FullScreen.umd.js"></script>',
     "<script>"),
    ('<link rel="stylesheet" '
     'href="https://cdn.jsdelivr.net/npm/leaflet.fullscreen@5.3.3/dist/Control.FullScreen.css"/>', "<style>"),
    ('<script src="https://cdn.jsdelivr.net/npm/html-to-image@1.11.13/dist/html-to-image.js"></script>', "<script>"),
    ('<script src="https://cdn.jsdelivr.net/npm/topojson-client@3.1.0/dist/topojson-client.min.js"></script>',
     "<script>"),
])
def test_vendor_links_are_inlined(tag, inlined):
    out = inline_map_assets(f"<head>{tag}</head>")
    assert tag not in out and inlined in out and all_urls(out) == []


@pytest.mark.parametrize("tag, kept", [
    ('<script src="https://example.org/other.js"></script>', True),
    ('<link rel="stylesheet" href="https://example.org/leaflet.css.map"/>', True),
    ('<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js"></script>', False),
    ('<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css"/>',
     False),
])
def test_other_links_are_kept_or_dropped(tag, kept):
    assert (tag in inline_map_assets(tag)) is kept


@pytest.mark.parametrize("kwargs, message", [
    ({"title": None}, "`title` was None"),
    ({"map_html": 3}, "`map_html` was a int"),
    ({"charts": [alt.Chart(pd.DataFrame())]}, r"`charts\[0\]` was a Chart"),
    ({"table": [1]}, "`table` was a list"),
])
def test_bad_arguments_are_named(kwargs, message):
    arguments = {"title": "t", "description": "d", "map_html": None, "charts": [], "table": None, **kwargs}
    with pytest.raises(TypeError, match=message):
        standalone_html(**arguments)


def test_charts_take_the_page_width(page):
    """vega-embed makes its element an inline-block; a spec as wide as its container then measured 38 px."""
    style = "".join(re.findall(r"<style>(.*?)</style>", page.split("<body>")[0], re.S))
    rule = re.search(r"\.chart\.vega-embed\s*\{([^}]*)\}", style)
    assert rule, "no rule for the charts' vega-embed element"
    assert "display: block" in rule.group(1) and "width: 100%" in rule.group(1)


def test_the_report_table_links_its_sources(mini_data):
    from dashboard.core.view.display import incident_rows

    frame = load_dataset(mini_data).incidents.head(2).copy()
    frame["sources"] = [("https://example.org/a", "javascript:alert(1)"), ("Wire report", "http://example.org/b")]
    cells = table_html(incident_rows(frame, {"IQ-A": "Alpha <b>"}))
    links = re.findall(r'<a href="([^"]*)"', cells)
    assert links == ["https://example.org/a", "https://example.org/a", "http://example.org/b", "http://example.org/b"]
    assert "javascript:alert(1)" in cells and 'href="javascript' not in cells
    assert "Alpha &lt;b&gt;" in cells


@pytest.mark.parametrize("filters, fitted", [(Filters(), True), (Filters(sites=("SY-C",)), False)],
                         ids=["several places", "one place"])
def test_the_exported_map_fits_again_once_it_has_a_size(mini_data, filters, fitted):
    """The map in the report's frame is drawn before the frame is laid out; it fits again when it has a size."""
    from dashboard.core.query.page_data import map_data
    from dashboard.core.query.store import source_for
    from dashboard.render.maps import build_incident_map

    dataset = load_dataset(mini_data)
    data = map_data(source_for(dataset), filters, "sites")
    page = build_incident_map(data, dataset.sites).get_root().render()
    call = re.search(r"watcher\.observe\(map\.getContainer\(\)\);\s*\}\)\((map_[0-9a-f]+), (.*?), (\{.*?\})\);",
                     page, re.S)
    assert call, "no refit script"
    assert re.search(rf"var {call.group(1)} = L\.map\(", page)
    south, west, north, east = data.extent
    if fitted:
        assert json.loads(call.group(2)) == [[south, west], [north, east]]
        assert json.loads(call.group(3))["maxZoom"] == 9
        assert page.index(f"{call.group(1)}.fitBounds(") < call.start()
    else:
        assert json.loads(call.group(2)) is None  # one place: the map is centred on it, not fitted
