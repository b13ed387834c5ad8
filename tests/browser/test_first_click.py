"""One real pointer click on a marker opens its popup and the site's card, also when the map is only partly on
screen (a laptop at 1440×900, a phone at 390×844): the first click used to scroll the page to the map's iframe
between mousedown and mouseup, and was lost.

The click is Playwright's mouse at the marker's position on the screen, as a user's would be, not an event fired
on the Leaflet layer.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import (LOAD_TIMEOUT_MS, MAP_FRAME, MARKER, assert_no_exception, assert_offline,
                       skip_without_browser, wait_for_map, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

SIZES = {"1400x1000": (1400, 1000), "1440x900": (1440, 900), "390x844": (390, 844)}

#: Scroll the page so that ``y`` (a coordinate in the viewport) moves to ``target`` px from the top edge.
SCROLL_TO = """([y, target]) => {
    const main = document.querySelector('[data-testid="stMain"]');
    const scroller = [main, ...main.querySelectorAll('*')].find(e => e.scrollHeight > e.clientHeight + 2
        && getComputedStyle(e).overflowY !== 'visible') || document.scrollingElement;
    scroller.scrollTop += y - target;
    return scroller.scrollTop;
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_one_click_on_a_marker_opens_its_popup_and_card(new_context, offline, app_url, size):
    width, height = SIZES[size]
    context = new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    page.goto(app_url + "/?country=Jordan")
    wait_for_map(page)
    wait_until_idle(page)
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator(MARKER).first
    box = marker.bounding_box()
    assert box is not None
    # put the marker near the top (laptop) or the bottom (phone) of the screen, so that part of the map is off
    # screen (the case that failed: the first click scrolled the page to the map's frame)
    target = 60 if height < 900 and width < 600 else 40
    page.evaluate(SCROLL_TO, [box["y"] + box["height"] / 2, height - target if width < 600 else target])
    page.wait_for_timeout(300)  # let the scroll settle before reading the marker's place again
    box = marker.bounding_box()
    map_box = page.locator(MAP_FRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert 0 < y < height, f"the marker is not on screen at {size}: y={y}"
    assert map_box["y"] + map_box["height"] > height or map_box["y"] < 0, "the map is entirely on screen"

    page.mouse.click(x, y)

    expect(frame.locator(".leaflet-popup-content")).to_contain_text("Tower 22", timeout=10_000)
    expect(page.locator('[data-testid="stMain"] h3', has_text="Tower 22")).to_be_visible(timeout=LOAD_TIMEOUT_MS)
    expect(page).to_have_url(re.compile(r"focus=JO-TOWER22"))
    assert_no_exception(page)
    assert_offline(offline)
