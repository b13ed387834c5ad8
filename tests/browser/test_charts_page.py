"""The Charts page in a real browser: whole-number count axes, one legend for the officials' chart, bars for a short
range, the note under the figures per country, and no text cut or overlapping, at 1400 px and at a narrow width.

The charts are drawn as SVG (charts.finish), so their labels are text in the page. Screenshots of each view go to
test-artifacts/charts-<view>-<width>.png. Expected figures come from geodata/incidents.csv (csv module).
"""
from __future__ import annotations

import csv
import re

import pytest

from .conftest import (ARTIFACTS, INCIDENTS_CSV, LOAD_TIMEOUT_MS, assert_no_exception, assert_offline, metric,
                       skip_without_browser, wait_until_idle)

skip_without_browser()
pytestmark = pytest.mark.browser

VIEWS = {"week": "?start=2024-01-22&end=2024-01-28", "syria": "?country=Syria"}
WIDTHS = [1400, 560]  # 560: Streamlit stacks the page's columns, the narrowest layout it has
CHART = '[data-testid="stVegaLiteChart"]'
OFFICIALS = "Attacks in the dataset vs. officials' running totals"
FONT_SLACK = 3.0
CHARTS_ON_PAGE = 6  # over time, against the officials, per site, per type, per country, casualties

#: Every visible text of every chart, with its box, the box of its chart's SVG and of the chart's element.
TEXTS = """() => Array.from(document.querySelectorAll('[data-testid="stVegaLiteChart"]')).map(element => {
    const svg = element.querySelector('svg.marks');
    const title = svg.querySelector('.role-title-text text');
    const box = r => ({left: r.left, right: r.right, top: r.top, bottom: r.bottom});
    const texts = Array.from(svg.querySelectorAll('text'))
        .filter(t => t.textContent.trim() && Number(getComputedStyle(t).opacity) > 0
                     && Number(getComputedStyle(t.parentElement).opacity) > 0)
        .map(t => ({text: t.textContent, role: (t.closest('g.mark-text') || t.parentElement).getAttribute('class'),
                    box: box(t.getBoundingClientRect())}));
    return {title: title ? title.textContent : '', svg: box(svg.getBoundingClientRect()),
            element: box(element.getBoundingClientRect()), texts: texts,
            lines: svg.querySelectorAll('g.mark-line.role-mark').length,
            bars: svg.querySelectorAll('g.mark-rect.role-mark path').length};
})"""


def multi_country_rows(country: str) -> tuple[int, int]:
    """Rows naming ``country``, and how many of them name another country too."""
    with open(INCIDENTS_CSV, newline="", encoding="utf-8") as handle:
        named = [{c.strip() for c in row["country"].split(";") if c.strip()} for row in csv.DictReader(handle)]
    chosen = [countries for countries in named if country in countries]
    return len(chosen), sum(1 for countries in chosen if len(countries) > 1)


def open_charts(page, app_url: str, query: str, width: int) -> list[dict]:
    page.set_viewport_size({"width": width, "height": 1000})
    page.goto(app_url + "/charts" + query)
    page.locator(CHART).first.wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    page.wait_for_function("n => document.querySelectorAll('[data-testid=\"stVegaLiteChart\"] svg.marks').length >= n",
                           arg=CHARTS_ON_PAGE, timeout=LOAD_TIMEOUT_MS)
    drawn = page.evaluate(TEXTS)
    assert len(drawn) == CHARTS_ON_PAGE, [chart["title"] for chart in drawn]
    return drawn


def whole_page_shot(page, name: str) -> None:
    """The whole page (Streamlit scrolls inside its main area, so the viewport is made as tall for the shot)."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": min(int(height), 8000)})
    try:
        page.wait_for_function("() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
                               " return m.scrollHeight <= m.clientHeight + 1; }", timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True, animations="disabled")
    finally:
        page.set_viewport_size(size)


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["left"] >= outer["left"] - slack and inner["right"] <= outer["right"] + slack
            and inner["top"] >= outer["top"] - slack and inner["bottom"] <= outer["bottom"] + slack)


def overlap(a: dict, b: dict, slack: float = 1.0) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def by_title(drawn: list[dict], start: str) -> dict:
    found = [chart for chart in drawn if chart["title"].startswith(start)]
    assert len(found) == 1, [chart["title"] for chart in drawn]
    return found[0]


def check_layout(drawn: list[dict]) -> None:
    """No text cut (ellipsis, or outside its chart), none on top of another, no tick between whole numbers.

    Boxes are those of the fonts' line boxes, a little taller than the letters: ``FONT_SLACK`` pixels allowed.
    """
    problems = []
    for chart in drawn:
        name = chart["title"]
        if not inside(chart["svg"], chart["element"]):
            problems.append(f"{name!r} is wider than its place")
        texts = chart["texts"]
        for text in texts:
            if "…" in text["text"]:
                problems.append(f"cut text in {name!r}: {text['text']!r}")
            if not inside(text["box"], chart["svg"], FONT_SLACK):
                problems.append(f"{text['text']!r} is outside {name!r}: {text['box']} not in {chart['svg']}")
            if "role-axis-label" in text["role"] and re.search(r"\d\.\d", text["text"]):
                problems.append(f"tick {text['text']!r} in {name!r}")
        for i, first in enumerate(texts):
            for second in texts[i + 1:]:
                if overlap(first["box"], second["box"], FONT_SLACK):
                    problems.append(f"{first['text']!r} overlaps {second['text']!r} in {name!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width", WIDTHS)
def test_one_week(page, offline, app_url, width):
    drawn = open_charts(page, app_url, VIEWS["week"], width)
    whole_page_shot(page, f"charts-week-{width}")
    check_layout(drawn)
    officials = by_title(drawn, OFFICIALS)
    legend = [t["text"] for t in officials["texts"] if "role-legend-label" in t["role"]]
    assert legend[0] == "attacks in this dataset" and legend[1:], legend
    assert all(label.startswith("officials' total: ") for label in legend[1:]), legend
    for title in ("Incidents per week", "Killed and injured per week"):
        chart = by_title(drawn, title)
        assert chart["lines"] == 0 and chart["bars"] >= 1, chart
    counts = [t["text"] for t in by_title(drawn, "Incidents per country")["texts"] if "role-axis-label" in t["role"]]
    assert {"0", "1", "2", "3"} <= set(counts)  # whole numbers even where the counts are small
    assert page.get_by_text("more than one country").count() == 0  # no incident of that week names two
    assert_no_exception(page)
    assert_offline(offline)


@pytest.mark.parametrize("width", WIDTHS)
def test_one_country(page, offline, app_url, width):
    drawn = open_charts(page, app_url, VIEWS["syria"], width)
    whole_page_shot(page, f"charts-syria-{width}")
    check_layout(drawn)
    in_syria, also_iraq = multi_country_rows("Syria")
    assert metric(page, "Incidents in Syria") == str(in_syria)
    assert metric(page, "Incidents in Iraq") == str(also_iraq)
    note = page.get_by_text(re.compile("more than one country"))
    assert note.inner_text().strip() == (f"{also_iraq} of the selected incidents name more than one country, "
                                         "so they also count under Iraq.")
    officials = by_title(drawn, OFFICIALS)
    legend = [t["text"] for t in officials["texts"] if "role-legend-label" in t["role"]]
    assert legend == ["attacks in this dataset"] + [f"officials' total: {w}"
                                                    for w in ("exactly", "at least", "about", "more than")]
    assert officials["lines"] == 1
    assert_no_exception(page)
    assert_offline(offline)
