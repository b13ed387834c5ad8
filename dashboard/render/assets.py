"""The map's and charts' JavaScript and CSS, served by the app itself instead of public CDNs.

`scripts/setup.sh` installs Leaflet, its plugins (clustering, heat, fullscreen), the
map's PNG export (html-to-image), the offline basemap's data (Natural Earth via
world-atlas, read with topojson-client) and Vega from npm (see ``package.json``)
and runs ``python -m dashboard assets``, which copies the files below into
``static/vendor/``. Streamlit serves that folder at ``app/static/vendor/``.
When the folder is absent (for example on a host without npm) the map keeps
folium's CDN links, and the map's own links point at jsDelivr.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import folium

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"
FOLIUM_TEMPLATES = Path(folium.__file__).parent / "templates"

#: vendor file -> where it comes from: a path inside node_modules, or ``folium:`` + a folium template.
VENDOR_FILES: dict[str, str] = {
    "jquery.min.js": "jquery/dist/jquery.min.js",
    "leaflet.js": "leaflet/dist/leaflet.js",
    "leaflet.css": "leaflet/dist/leaflet.css",
    "images/layers.png": "leaflet/dist/images/layers.png",
    "images/layers-2x.png": "leaflet/dist/images/layers-2x.png",
    "images/marker-icon.png": "leaflet/dist/images/marker-icon.png",
    "images/marker-icon-2x.png": "leaflet/dist/images/marker-icon-2x.png",
    "images/marker-shadow.png": "leaflet/dist/images/marker-shadow.png",
    "leaflet.markercluster.js": "leaflet.markercluster/dist/leaflet.markercluster.js",
    "MarkerCluster.css": "leaflet.markercluster/dist/MarkerCluster.css",
    "MarkerCluster.Default.css": "leaflet.markercluster/dist/MarkerCluster.Default.css",
    "leaflet_heat.min.js": "folium:leaflet_heat.min.js",
    "Control.FullScreen.umd.js": "leaflet.fullscreen/dist/Control.FullScreen.umd.js",
    "Control.FullScreen.css": "leaflet.fullscreen/dist/Control.FullScreen.css",
    "html-to-image.js": "html-to-image/dist/html-to-image.js",
    "topojson-client.min.js": "topojson-client/dist/topojson-client.min.js",
    "countries-50m.json": "world-atlas/countries-50m.json",
    "vega.min.js": "vega/build/vega.min.js",
    "vega-lite.min.js": "vega-lite/build/vega-lite.min.js",
    "vega-embed.min.js": "vega-embed/build/vega-embed.min.js",
}

#: folium's names for its CDN links (and the names the base map's own elements give theirs) -> the
#: vendor file that replaces it; None drops a link the dashboard's maps do not use (Bootstrap,
#: Font Awesome, awesome-markers). jQuery stays: folium's popups are created with it.
FOLIUM_LINKS: dict[str, str | None] = {
    "leaflet": "leaflet.js",
    "leaflet_css": "leaflet.css",
    "markerclusterjs": "leaflet.markercluster.js",
    "markerclustercss": "MarkerCluster.css",
    "markerclusterdefaultcss": "MarkerCluster.Default.css",
    "leaflet-heat.js": "leaflet_heat.min.js",
    "jquery": "jquery.min.js",
    "leaflet.fullscreen": "Control.FullScreen.umd.js",
    "leaflet.fullscreen_css": "Control.FullScreen.css",
    "html-to-image": "html-to-image.js",
    "topojson-client": "topojson-client.min.js",
    "bootstrap": None,
    "bootstrap_css": None,
    "glyphicons_css": None,
    "awesome_markers": None,
    "awesome_markers_css": None,
    "awesome_markers_font_css": None,
    "awesome_rotate_css": None,
}

CHART_SCRIPTS = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")

#: Where the vendor folder is, seen from the page streamlit-folium draws the map in
#: (``<app>/component/streamlit_folium.st_folium/index.html``); relative, so it also works
#: when the app is served under a path prefix behind a proxy.
COMPONENT_BASE_URL = "../../app/static/vendor/"


def assets_installed(folder: Path = VENDOR_DIR) -> bool:
    """True when every vendor file is present."""
    return all((folder / name).is_file() for name in VENDOR_FILES)


def install_assets(node_modules: str | Path, target: str | Path = VENDOR_DIR) -> list[Path]:
    """Copy the vendor files from an npm ``node_modules`` folder (and folium) into ``target``.

    Raises FileNotFoundError naming every file that is missing, before copying anything.
    """
    node_modules, target = Path(node_modules), Path(target)
    sources = {name: _source_path(origin, node_modules) for name, origin in VENDOR_FILES.items()}
    missing = [f"{name} (from {path})" for name, path in sources.items() if not path.is_file()]
    if missing:
        raise FileNotFoundError(
            f"`node_modules` was {str(node_modules)!r}, where these files are missing: {', '.join(missing)}; "
            "run `npm ci` first"
        )
    copied = []
    for name, path in sources.items():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
        copied.append(destination)
    return copied


def _source_path(origin: str, node_modules: Path) -> Path:
    if origin.startswith("folium:"):
        return FOLIUM_TEMPLATES / origin.removeprefix("folium:")
    return node_modules / origin


def _elements(root):
    yield root
    for child in getattr(root, "_children", {}).values():
        yield from _elements(child)


def localise_links(root, base_url: str) -> list[str]:
    """Point every JS/CSS link of a folium element tree at ``base_url`` + vendor file.

    Links are replaced on each element instance, not on folium's classes.
    Returns the links that are not known here and so stay as they were.
    """
    unknown = []
    for element in _elements(root):
        for attribute in ("default_js", "default_css"):
            links = getattr(element, attribute, None)
            if not links:
                continue
            local = []
            for name, url in links:
                if name not in FOLIUM_LINKS:
                    unknown.append(url)
                    local.append((name, url))
                elif FOLIUM_LINKS[name] is not None:
                    local.append((name, base_url + FOLIUM_LINKS[name]))
            setattr(element, attribute, local)
    return unknown


def vendor_text(name: str, folder: Path = VENDOR_DIR) -> str:
    """The text of one vendor file, for inlining into a standalone HTML export."""
    if name not in VENDOR_FILES:
        raise KeyError(f"`name` was {name!r} but is expected to be one of {sorted(VENDOR_FILES)}")
    return (folder / name).read_text(encoding="utf-8")
