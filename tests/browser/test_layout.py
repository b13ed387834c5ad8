"""The map leads: at a laptop's 1440×900 the whole map is on the first screen, on a 390×844 phone it starts in the
upper half; no headline figure is cut; the app follows a dark system setting, the map with it. The screenshots
of the first screen go to docs/screenshots/ (linked from the README) once the assertions passed.
"""
from __future__ import annotations

import time

import pytest

from .conftest import (ARTIFACTS, LOAD_TIMEOUT_MS, MAP_FRAME, SCREENSHOTS, assert_no_exception, assert_offline,
                       skip_without_browser, wait_for_map, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

#: Metric labels and values whose text does not fit their box (an ellipsis or a clipped line).
CUT_TEXT = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *,'
    + ' [data-testid="stMetricLabel"], [data-testid="stMetricValue"]')]
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
    .map(e => e.textContent.trim())"""

LUMINANCE = """e => { const rgb = getComputedStyle(e).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255; }"""
BACKGROUND = """selector => {
    const rgb = getComputedStyle(document.querySelector(selector)).backgroundColor.match(/\\d+/g).map(Number);
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}"""


def open_first_screen(new_context, app_url: str, width: int, height: int, scheme: str | None = None):
    context = new_context()
    page = context.new_page()
    if scheme:
        page.emulate_media(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/")
    wait_for_map(page)
    wait_until_idle(page)
    page.wait_for_timeout(500)  # the map's fit and the metric boxes' layout settle after the run
    return page


@pytest.mark.parametrize("width, height, whole", [(1440, 900, True), (390, 844, False)])
def test_the_map_is_the_first_thing_a_visitor_sees(new_context, offline, app_url, width, height, whole):
    page = open_first_screen(new_context, app_url, width, height)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"first-screen-{width}x{height}.png"))  # kept when an assertion fails
    box = page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    assert box["y"] < height / 2, f"the map starts {box['y']:.0f} px down a {height} px screen"
    if whole:
        assert box["y"] + box["height"] <= height, f"the map ends {box['y'] + box['height']:.0f} px down"
    assert box["width"] >= 0.6 * width if not whole else box["width"] >= 700
    assert page.evaluate(CUT_TEXT) == []
    # on a phone the legend starts folded, so it does not cover the map
    legend_open = page.frame_locator(MAP_FRAME).locator("details.dashboard-legend").evaluate("e => e.open")
    assert legend_open is whole
    assert_no_exception(page)
    assert_offline(offline)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"map-{width}x{height}.png"))


def test_a_dark_system_setting_gives_a_dark_app_and_map(new_context, offline, app_url):
    page = open_first_screen(new_context, app_url, 1440, 900, scheme="dark")
    assert page.evaluate(BACKGROUND, '[data-testid="stApp"]') < 0.3
    frame = page.frame_locator(MAP_FRAME)
    frame.locator(".leaflet-control-zoom").wait_for(timeout=LOAD_TIMEOUT_MS)
    legend = frame.locator(".dashboard-legend")
    luminance = legend.evaluate(LUMINANCE)
    assert luminance < 0.4, f"the legend's background is light ({luminance:.2f}) in the dark theme"
    assert_no_exception(page)
    assert_offline(offline)
    page.screenshot(path=str(SCREENSHOTS / "map-dark-1440x900.png"))


def test_the_theme_toggle_switches_the_app_and_the_map(new_context, offline, app_url):
    """Streamlit's menu (⋮) holds the toggle: System, Light, Dark; the app reruns and the map follows."""
    page = open_first_screen(new_context, app_url, 1440, 900)
    legend = page.frame_locator(MAP_FRAME).locator(".dashboard-legend")
    assert page.evaluate(BACKGROUND, '[data-testid="stApp"]') > 0.8
    assert legend.evaluate(LUMINANCE) > 0.8
    page.locator('[data-testid="stMainMenu"]').click()
    page.locator('[data-testid="stMainMenuItem-theme-Dark"]').click()
    page.wait_for_function(f"() => ({BACKGROUND})('[data-testid=\"stApp\"]') < 0.3", timeout=LOAD_TIMEOUT_MS)
    # the map is drawn again in the dark theme (a new base map, so a new frame): wait for its legend to turn dark
    deadline = time.monotonic() + LOAD_TIMEOUT_MS / 1000
    luminance = 1.0
    while time.monotonic() < deadline and luminance >= 0.4:
        page.wait_for_timeout(250)
        try:
            luminance = page.frame_locator(MAP_FRAME).locator(".dashboard-legend").evaluate(LUMINANCE, timeout=2000)
        except Exception:  # the frame is being replaced
            continue
    assert luminance < 0.4, f"the legend stayed light ({luminance:.2f}) after switching to Dark"
    assert_no_exception(page)
    assert_offline(offline)
