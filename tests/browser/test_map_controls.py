"""The map's own buttons and its offline basemap, pressed and looked at in the app's component iframe.

Fullscreen fills the screen with the map (the browser's Fullscreen API works inside streamlit-folium's
iframe) and exiting gives the page its map back; the save button downloads ``map.png`` at the map's size,
with the markers in it; on a server started with ``DASHBOARD_BASEMAP=borders`` the offline basemap draws
Natural Earth's borders without a single tile request and saves as a whole. Screenshots of each basemap
and of fullscreen go to test-artifacts/.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest

from .conftest import (ARTIFACTS, MAP_FRAME, VIEWPORT, assert_no_exception, assert_offline, running_server,
                       skip_without_browser, wait_for_map, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

from PIL import Image  # noqa: E402  (Streamlit depends on Pillow)

from dashboard.render.tiles import BORDERS_LOOKS  # noqa: E402

FULLSCREEN = ".leaflet-control-zoom-fullscreen"
SAVE = ".dashboard-save-image a"
BORDERS_PANE = ".leaflet-dashboardBorders-pane"
#: The map's container as its own page sees it (CSS pixels), and whether it is in fullscreen.
MAP_BOX = """() => {
    const box = document.querySelector('.leaflet-container'), rect = box.getBoundingClientRect();
    const map = Object.values(window).find(v => v instanceof L.Map);
    return {width: Math.round(rect.width), height: Math.round(rect.height), inner: [innerWidth, innerHeight],
            leaflet: [map.getSize().x, map.getSize().y], fullscreen: document.fullscreenElement === box,
            enabled: document.fullscreenEnabled, ratio: devicePixelRatio, data: {...box.dataset}};
}"""
#: The widest ring (in degrees of longitude) of Russia's and Fiji's drawn polygons: a ring cut by the
#: antimeridian would run across the whole world.
WIDEST_RING = """() => {
    const map = Object.values(window).find(v => v instanceof L.Map), widest = {};
    const rings = list => list.length && list[0] instanceof L.LatLng ? [list] : list.flatMap(rings);
    map.eachLayer(layer => {
        const name = layer.feature && layer.feature.properties && layer.feature.properties.name;
        if (name === 'Russia' || name === 'Fiji') {
            widest[name] = Math.max(...rings(layer.getLatLngs()).map(ring => {
                const lngs = ring.map(p => p.lng);
                return Math.max(...lngs) - Math.min(...lngs);
            }));
        }
    });
    return widest;
}"""


@pytest.fixture(scope="module")
def borders_app_url():
    """A second server whose map starts on the offline basemap (``DASHBOARD_BASEMAP=borders``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    with running_server(ARTIFACTS / "streamlit-server-borders.log", {"DASHBOARD_BASEMAP": "borders"}) as (base, _):
        yield base


def map_frame(page):
    """The component iframe's frame (the page the map lives in)."""
    page.locator(MAP_FRAME).wait_for()
    return next(frame for frame in page.frames if "streamlit_folium" in frame.url)


def open_map(page, url: str):
    page.goto(url)
    wait_for_map(page)
    wait_until_idle(page)
    return map_frame(page)


def shot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def save_png(page, name: str) -> Image.Image:
    """Press the save button; keep the download as test-artifacts/``name``.png and return it opened as an image."""
    with page.expect_download(timeout=30_000) as info:
        page.frame_locator(MAP_FRAME).locator(SAVE).click()
    download = info.value
    assert download.suggested_filename == "map.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.png").write_bytes(data)
    image = Image.open(io.BytesIO(data))
    image.load()
    return image.convert("RGB")


def share(image: Image.Image, colour: str, tolerance: int = 6) -> float:
    """The share of the image's pixels within ``tolerance`` of ``colour`` (#rrggbb) in each channel."""
    target = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)])
    pixels = np.asarray(image, dtype=int)
    return float((np.abs(pixels - target) <= tolerance).all(axis=2).mean())


def saturated(image: Image.Image) -> float:
    """The share of strongly coloured pixels (markers and the legend's swatches; tiles, borders and text are greys)."""
    pixels = np.asarray(image, dtype=int)
    return float((pixels.max(axis=2) - pixels.min(axis=2) > 80).mean())


def test_fullscreen_fills_the_screen_and_exit_gives_the_map_back(page, offline, app_url):
    frame = open_map(page, app_url + "/")
    before = frame.evaluate(MAP_BOX)
    assert before["enabled"], "the component iframe does not allow fullscreen"
    assert before["width"] < VIEWPORT["width"] and before["height"] < VIEWPORT["height"]

    page.frame_locator(MAP_FRAME).locator(FULLSCREEN).click()
    frame.wait_for_function("() => document.fullscreenElement !== null", timeout=10_000)
    page.wait_for_function("() => document.fullscreenElement && document.fullscreenElement.tagName === 'IFRAME'",
                           timeout=10_000)
    frame.wait_for_function("([w, h]) => { const b = document.querySelector('.leaflet-container');"
                            " return b.clientWidth === w && b.clientHeight === h; }",
                            arg=[VIEWPORT["width"], VIEWPORT["height"]], timeout=10_000)
    full = frame.evaluate(MAP_BOX)
    assert full["fullscreen"]
    assert (full["width"], full["height"]) == (VIEWPORT["width"], VIEWPORT["height"]), full
    assert full["leaflet"] == [VIEWPORT["width"], VIEWPORT["height"]], "Leaflet did not take its new size"
    shot(page, "map-fullscreen")

    page.frame_locator(MAP_FRAME).locator(FULLSCREEN).click()
    frame.wait_for_function("() => document.fullscreenElement === null", timeout=10_000)
    frame.wait_for_function("([w, h]) => { const b = document.querySelector('.leaflet-container');"
                            " return b.clientWidth === w && b.clientHeight === h; }",
                            arg=[before["width"], before["height"]], timeout=10_000)
    after = frame.evaluate(MAP_BOX)
    assert (after["width"], after["height"]) == (before["width"], before["height"])
    assert after["leaflet"] == before["leaflet"]
    assert page.evaluate("() => document.fullscreenElement") is None
    assert_no_exception(page)
    assert_offline(offline)


def test_save_button_downloads_the_map_as_png(page, offline, app_url):
    frame = open_map(page, app_url + "/")
    box = frame.evaluate(MAP_BOX)
    shot(page, "map-osm")

    image = save_png(page, "map-saved-osm")

    ratio = box["ratio"]
    assert image.size == (round(box["width"] * ratio), round(box["height"] * ratio))
    assert "saved" in frame.evaluate(MAP_BOX)["data"]
    colours = image.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50, f"{len(colours)} colours: the image is (nearly) blank"
    # the offline tiles are one light grey; markers, legend, scale and attribution are the rest
    tile_grey = share(image, "#eeeeee", tolerance=2)
    assert 0.3 < tile_grey < 0.97, f"{tile_grey:.0%} of the image is the tiles' grey"
    assert share(image, "#ffffff", tolerance=12) > 0.01, "no legend box (white) in the image"
    on_screen = saturated(Image.open(io.BytesIO(page.locator(MAP_FRAME).screenshot())).convert("RGB"))
    assert on_screen > 0.005 and 0.5 < saturated(image) / on_screen < 2, \
        f"markers: {saturated(image):.2%} of the image, {on_screen:.2%} of the map on screen"
    assert_no_exception(page)
    assert_offline(offline)


def test_borders_basemap_draws_without_tiles_and_saves_whole(page, offline, borders_app_url):
    frame = open_map(page, borders_app_url + "/")
    frame.wait_for_function("() => { const d = document.querySelector('.leaflet-container').dataset;"
                            " return d.borders || d.bordersError; }", timeout=30_000)
    box = frame.evaluate(MAP_BOX)
    assert "bordersError" not in box["data"], box["data"]
    assert int(box["data"]["borders"]) > 200
    paths = frame.locator(f"{BORDERS_PANE} path")
    drawn = paths.evaluate_all("paths => paths.filter(p => (p.getAttribute('d') || '').length > 20).length")
    assert paths.count() > 200 and drawn >= 10, f"{paths.count()} border paths, {drawn} drawn in view"
    widest = frame.evaluate(WIDEST_RING)
    assert 150 < widest["Russia"] < 180 and widest["Fiji"] < 5, f"rings cut at the antimeridian: {widest}"
    assert frame.locator("img.leaflet-tile").count() == 0
    shot(page, "map-borders")

    image = save_png(page, "map-saved-borders")

    ratio = box["ratio"]
    assert image.size == (round(box["width"] * ratio), round(box["height"] * ratio))
    look = BORDERS_LOOKS["light"]
    sea, land = share(image, look.sea), share(image, look.land)
    assert sea > 0.05 and land > 0.2, f"sea {sea:.0%}, land {land:.0%}: the basemap is not in the image"
    assert len(image.getcolors(maxcolors=1 << 20)) > 50
    assert offline.tiles == 0, f"{offline.tiles} tile requests with the offline basemap"
    assert_no_exception(page)
    assert_offline(offline)
