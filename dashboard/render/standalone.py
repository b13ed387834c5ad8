"""One self-contained HTML file of the current view: title, description, map, charts and incident table."""
from __future__ import annotations

import base64
import functools
import html
import json
import re
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import urlsplit

import folium
import pandas as pd

from dashboard.core.data.exports import html_safe_json
from dashboard.core.data.validate import is_http_url, split_sources

from dashboard.render.assets import CHART_SCRIPTS, FOLIUM_LINKS, PROJECT_ROOT, VENDOR_DIR, VENDOR_FILES, assets_installed, vendor_text

PACKAGE_JSON = PROJECT_ROOT / "package.json"
CDN_BASE = "https://cdn.jsdelivr.net/npm/"
#: Vendor files a folium map's ``<script src>`` / ``<link href>`` can be replaced by (the base map's
#: fullscreen and save-as-PNG buttons and its borders' reader included).
MAP_ASSETS = ("leaflet.js", "leaflet.css", "leaflet.markercluster.js", "MarkerCluster.css",
              "MarkerCluster.Default.css", "leaflet_heat.min.js", "jquery.min.js", "Control.FullScreen.umd.js",
              "Control.FullScreen.css", "html-to-image.js", "topojson-client.min.js")
#: Table columns whose parts are sources: http(s) URLs among them become links (the last two are
#: :func:`dashboard.core.view.display.incident_rows`' names).
LINK_COLUMNS = ("sources", "source", "first source", "all sources")
MAP_SANDBOX = "allow-scripts allow-popups allow-popups-to-escape-sandbox"

_TAG = re.compile(
    r"""<script\b[^>]*?\bsrc\s*=\s*(["'])(?P<src>.*?)\1[^>]*>\s*</script\s*>"""
    r"""|<link\b[^>]*?\bhref\s*=\s*(["'])(?P<href>.*?)\3[^>]*>""",
    re.IGNORECASE | re.DOTALL,
)
_JQUERY = re.compile(r"jquery(-\d+(\.\d+)*)?(\.min)?\.js", re.IGNORECASE)
_CSS_IMAGE = re.compile(r"""url\((["']?)images/(?P<name>[\w.-]+\.png)\1\)""")

PAGE_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 1.5rem auto;
       max-width: 1100px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
.description { color: #444; margin-top: 0; }
iframe.map { width: 100%; height: 70vh; border: 1px solid #ccc; }
.chart { margin: 1rem 0; }
#table { overflow-x: auto; }
table.incidents { border-collapse: collapse; font-size: .85rem; width: 100%; }
table.incidents th, table.incidents td { border: 1px solid #ddd; padding: .25rem .4rem; vertical-align: top;
                                         text-align: left; }
table.incidents th { background: #f3f3f3; position: sticky; top: 0; }
.note { color: #666; font-size: .8rem; }
"""

#: vega-embed makes the element it draws in an inline-block, which shrinks to its content: a spec sized to its
#: container (``"width": "container"``, as the app's charts are) then measured a container as wide as the
#: actions button, 38 px. As a block of the page's width, every chart is as wide as the text column.
CHART_STYLE = ".chart.vega-embed { display: block; width: 100%; }"

CHART_LOADER = """
(function () {
  var specs = JSON.parse(document.getElementById("chart-specs").textContent);
  specs.forEach(function (spec, i) {
    var target = document.getElementById("chart-" + i);
    vegaEmbed(target, spec, {actions: {export: true, source: false, compiled: false, editor: false}})
      .catch(function (error) { target.textContent = "This chart could not be drawn: " + error.message; });
  });
})();
"""


def standalone_html(
    title: str,
    description: str,
    map_html: str | None,
    charts: Sequence[Mapping],
    table: pd.DataFrame | None,
    inline_assets: bool = True,
) -> str:
    """One HTML file that shows the current view without the app.

    Parameters
    ----------
    title, description : str
        Heading and the sentence that says what the view shows; escaped.
    map_html : str or None
        A whole folium page (``folium.Map(...).get_root().render()``), shown in an iframe
        through ``srcdoc`` so its scripts and styles stay apart from the page's. None: no map.
    charts : sequence of dict
        Vega-Lite specs (``chart.to_dict()``), drawn with vega-embed. Their JSON is embedded
        with ``<``, ``>`` and ``&`` escaped, so ``</script>`` in data cannot end the script.
    table : pandas.DataFrame or None
        Rows to list; every cell escaped, and parts of the ``sources`` / ``source`` columns
        that are http(s) URLs made links.
    inline_assets : bool
        When True and ``static/vendor`` is installed, Leaflet, jQuery and Vega are written into
        the file (:func:`inline_map_assets`), so it opens without network; only map tiles are
        fetched. Otherwise scripts come from jsDelivr, at the versions in ``package.json``.

    Returns
    -------
    str
        The HTML document.
    """
    for name, value in (("title", title), ("description", description)):
        if not isinstance(value, str):
            raise TypeError(f"`{name}` was {value!r} but is expected to be a str")
    if map_html is not None and not isinstance(map_html, str):
        raise TypeError(f"`map_html` was a {type(map_html).__name__} but is expected to be a str or None")
    charts = list(charts or ())
    for index, spec in enumerate(charts):
        if not isinstance(spec, Mapping):
            raise TypeError(f"`charts[{index}]` was a {type(spec).__name__} but is expected to be a "
                            "Vega-Lite spec dict (chart.to_dict())")
    if table is not None and not isinstance(table, pd.DataFrame):
        raise TypeError(f"`table` was a {type(table).__name__} but is expected to be a pandas DataFrame or None")
    inline = bool(inline_assets) and assets_installed()

    head = [f"<title>{html.escape(title)}</title>", f"<style>{PAGE_STYLE}</style>"]
    if charts:
        head += [f"<style>{CHART_STYLE}</style>"] + [_script_tag(name, inline) for name in CHART_SCRIPTS]
    body = [f"<h1>{html.escape(title)}</h1>", f'<p class="description">{html.escape(description)}</p>']
    if map_html:
        page = inline_map_assets(map_html) if inline else map_html
        body.append(f'<section id="map"><iframe class="map" title="Map" sandbox="{MAP_SANDBOX}" '
                    f'srcdoc="{html.escape(page, quote=True)}"></iframe></section>')
    if charts:
        body.append('<section id="charts">'
                    + "".join(f'<div class="chart" id="chart-{i}"></div>' for i in range(len(charts)))
                    + "</section>")
        body.append(f'<script type="application/json" id="chart-specs">{html_safe_json(charts)}</script>')
        body.append(f"<script>{CHART_LOADER}</script>")
    if table is not None:
        body.append(f'<section id="table">{table_html(table)}</section>')
    body.append('<p class="note">' + ("Everything but the map tiles is inside this file." if inline else
                                      "The map and charts load their scripts from the internet.") + "</p>")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            + "\n".join(head) + "\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


def inline_map_assets(map_html: str, folder: Path = VENDOR_DIR, drop_unused: bool = True) -> str:
    """Replace a folium page's links to Leaflet, its plugins and jQuery by the vendor files' text.

    Parameters
    ----------
    map_html : str
        A folium page; its links may point at CDNs or at the app's ``static/vendor``.
    folder : Path
        The vendor folder.
    drop_unused : bool
        Also remove folium's links to Bootstrap, Font Awesome and awesome-markers, which the
        dashboard's maps do not use (the same list :func:`~dashboard.render.assets.localise_links`
        drops); a map drawn with ``folium.Icon`` would lose its icons.

    Returns
    -------
    str
        The page. A ``<script src>`` / ``<link href>`` whose file name is one of
        :data:`MAP_ASSETS` (``jquery-3.7.1.min.js`` counts as ``jquery.min.js``) becomes an inline
        ``<script>`` / ``<style>``. Leaflet's CSS images (layer-control and default-marker icons)
        become ``data:`` URIs, and the default marker icon is pointed at them, so nothing but
        tiles is fetched. Links whose vendor file is missing stay as they were.
    """
    unused = _unused_links() if drop_unused else frozenset()

    def replace(match: re.Match) -> str:
        url = html.unescape(match.group("src") or match.group("href"))
        name = _vendor_name(url)
        if name and (folder / name).is_file():
            text = vendor_text(name, folder)
            if name.endswith(".css"):
                return f"<style>{_with_data_images(text, folder)}</style>"
            script = f"<script>{_script_safe(text)}</script>"
            return script + _icon_fix(folder) if name == "leaflet.js" else script
        return "" if url in unused else match.group(0)

    return _TAG.sub(replace, map_html)


def table_html(table: pd.DataFrame) -> str:
    """An HTML table of ``table``: cells escaped, http(s) sources as links, dates as ``YYYY-MM-DD``."""
    head = "".join(f"<th>{html.escape(str(column))}</th>" for column in table.columns)
    rows = []
    for values in table.itertuples(index=False, name=None):
        cells = []
        for column, value in zip(table.columns, values):
            cell = _sources_html(value) if column in LINK_COLUMNS else html.escape(_cell_text(value))
            cells.append(f"<td>{cell}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    count = len(table)
    return (f'<table class="incidents"><caption>{count} row{"" if count == 1 else "s"}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def cdn_url(name: str) -> str:
    """The jsDelivr URL of a vendor file, at the version ``package.json`` pins."""
    if name not in VENDOR_FILES or VENDOR_FILES[name].startswith("folium:"):
        raise KeyError(f"`name` was {name!r} but is expected to be an npm vendor file, one of "
                       f"{sorted(n for n, o in VENDOR_FILES.items() if not o.startswith('folium:'))}")
    origin = VENDOR_FILES[name]
    parts = origin.split("/")
    size = 2 if origin.startswith("@") else 1
    package, path = "/".join(parts[:size]), "/".join(parts[size:])
    versions = _package_versions()
    if package not in versions:
        raise KeyError(f"`name` was {name!r}, from npm package {package!r}, which {PACKAGE_JSON} does not list")
    return f"{CDN_BASE}{package}@{versions[package]}/{path}"


@functools.lru_cache(maxsize=1)
def _package_versions() -> dict[str, str]:
    dependencies = json.loads(PACKAGE_JSON.read_text(encoding="utf-8")).get("dependencies", {})
    return {package: version.lstrip("^~=") for package, version in dependencies.items()}


@functools.lru_cache(maxsize=1)
def _unused_links() -> frozenset[str]:
    """URLs of folium's default links that the dashboard's maps do not use."""
    links = list(folium.Map.default_js) + list(folium.Map.default_css)
    return frozenset(url for name, url in links if name in FOLIUM_LINKS and FOLIUM_LINKS[name] is None)


def _vendor_name(url: str) -> str | None:
    base = urlsplit(url.strip()).path.rsplit("/", 1)[-1]
    if base in MAP_ASSETS:
        return base
    return "jquery.min.js" if _JQUERY.fullmatch(base) else None


def _script_safe(text: str) -> str:
    """Text for inside ``<script>``/``<style>``: a closing tag in it could end the element early."""
    return re.sub(r"</(script|style)", r"<\\/\1", text, flags=re.IGNORECASE)


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _with_data_images(css: str, folder: Path) -> str:
    def replace(match: re.Match) -> str:
        path = folder / "images" / match.group("name")
        return f'url("{_data_uri(path)}")' if path.is_file() else match.group(0)

    return _script_safe(_CSS_IMAGE.sub(replace, css))


def _icon_fix(folder: Path) -> str:
    """Point Leaflet's default marker at ``data:`` URIs (it otherwise derives a path from its CSS)."""
    names = {"iconUrl": "marker-icon.png", "iconRetinaUrl": "marker-icon-2x.png", "shadowUrl": "marker-shadow.png"}
    paths = {option: folder / "images" / name for option, name in names.items()}
    if not all(path.is_file() for path in paths.values()):
        return ""
    options = json.dumps({option: _data_uri(path) for option, path in paths.items()})
    return f'<script>L.Icon.Default.imagePath = ""; L.Icon.Default.mergeOptions({options});</script>'


def _script_tag(name: str, inline: bool) -> str:
    if inline:
        return f"<script>{_script_safe(vendor_text(name))}</script>"
    return f'<script src="{html.escape(cdn_url(name), quote=True)}"></script>'


def _missing(value) -> bool:
    if isinstance(value, (tuple, list)):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _cell_text(value) -> str:
    if isinstance(value, (tuple, list)):
        return "; ".join(_cell_text(v) for v in value)
    if _missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d") if value == value.normalize() else value.isoformat()
    return str(value)


def _sources_html(value) -> str:
    if isinstance(value, (tuple, list)):
        parts = [str(v).strip() for v in value if str(v).strip()]
    else:
        parts = split_sources(_cell_text(value))
    links = []
    for part in parts:
        if is_http_url(part):
            url = html.escape(part, quote=True)
            links.append(f'<a href="{url}" rel="noopener noreferrer" target="_blank">{html.escape(part)}</a>')
        else:
            links.append(html.escape(part))
    return "<br>".join(links)
