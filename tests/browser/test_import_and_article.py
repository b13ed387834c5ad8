"""The two data-entry pages in a real browser: import an event file for the session, and extract incidents from a
pasted news article (saving stays switched off: the test server never gets DASHBOARD_ALLOW_WRITE).

The import's expected figures come from ``dashboard.core.importers.import_events`` run here on the same file; the
bundled count from geodata/incidents.csv with the csv module. Screenshots docs/screenshots/import.png and
article.png are written once the assertions passed.
"""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from .conftest import (LOAD_TIMEOUT_MS, MAP_FRAME, MARKER, ROOT, assert_no_exception, assert_offline,
                       expect_metric, metric, open_page_from_nav, record_timing, rows_between, save_screenshot,
                       skip_without_browser, wait_for_map, wait_until_idle, widget)

skip_without_browser()
pytestmark = pytest.mark.browser

UCDP_FILE = ROOT / "tests" / "data" / "importers" / "ucdp_ged_hdx_iraq.csv"
#: A wire-style report written for this test: two sites in the gazetteer, a weekday, an injury and a running total.
ARTICLE = (
    "WASHINGTON (AP) — Iran-backed militants launched a one-way attack drone at Ain al-Asad air base in western "
    "Iraq on Wednesday and fired rockets at U.S. troops at Tall Baydar in northeastern Syria, the Pentagon said. "
    "In the attack on Ain al-Asad, one US service member suffered minor injuries and has since returned to duty.\n\n"
    "U.S. and coalition forces have come under at least 62 attacks since Oct. 17, 29 in Iraq and 33 in Syria, "
    "according to the Defense Department."
)
PUBLISHED = ("2023", "11", "23")
#: The Wednesday before Thursday 23 Nov 2023, the date the extractor should give both attacks.
ATTACK_DATE = "2023-11-22"


def extract_article(page) -> None:
    """Fill the article page's form with :data:`ARTICLE` (published :data:`PUBLISHED`, by AP) and press Extract."""
    widget(page, "stTextArea", "Article text").locator("textarea").fill(ARTICLE)
    published = widget(page, "stDateInput", "Published")
    for part, value in zip(("year", "month", "day"), PUBLISHED):
        segment = published.get_by_role("spinbutton", name=f"{part}, Published")
        segment.click()
        segment.press_sequentially(value)
    expect(published.locator('input[type="date"]')).to_have_value("-".join(PUBLISHED))
    widget(page, "stTextInput", "Publisher or wire").locator("input").fill("AP")
    page.get_by_role("button", name="Extract", exact=True).click()


def upload(page, path) -> None:
    """Put ``path`` into the "Event file" uploader and wait until the browser has sent it to the server."""
    uploader = widget(page, "stFileUploader", "Event file")
    uploader.locator('input[type="file"]').set_input_files(str(path))
    # the file is sent as soon as it is chosen; its chip's button reads "Cancel upload of …" until the request
    # returned, then "Remove …"
    uploader.get_by_role("button", name=f"Remove {path.name}", exact=True).wait_for(timeout=LOAD_TIMEOUT_MS)


def grid(page, column: str):
    """The accessible table of the st.dataframe / st.data_editor that has a column headed ``column``."""
    return page.locator('[data-testid="stDataFrame"] [role="grid"]').filter(
        has=page.locator('[role="columnheader"]', has_text=re.compile(rf"^{re.escape(column)}$")))


def column_values(table, column: str) -> list[str]:
    """The cells of ``column`` in an accessible glide-data-grid table (the rows and columns it has drawn)."""
    headers = [text.strip() for text in table.locator('[role="columnheader"]').all_inner_texts()]
    index = headers.index(column) + 1
    return [text.strip() for text in table.locator(f'[role="gridcell"][aria-colindex="{index}"]').all_inner_texts()]


def test_upload_journey(page, offline, app_url):
    from dashboard.core.importers import import_events

    report = import_events(UCDP_FILE).report
    bundled = rows_between("0000", "9999")
    assert report["rows_imported"] > 0

    started = time.monotonic()
    page.goto(app_url + "/import")
    upload(page, UCDP_FILE)
    page.get_by_role("button", name="Import", exact=True).click()
    expect_metric(page, "Rows read", f"{report['rows_read']:,}")
    wait_until_idle(page)
    record_timing("import_ucdp_sample_s", time.monotonic() - started)

    assert metric(page, "Format") == report["source_dataset"]
    assert metric(page, "Imported") == f"{report['rows_imported']:,}"
    assert metric(page, "Rejected") == f"{report['rows_rejected']:,}"
    assert metric(page, "Linked to a site") == f"{report['linked_to_sites']:,}"
    attribution = page.locator('[data-testid="stAlert"]', has_text="Source and attribution")
    expect(attribution).to_contain_text(report["notice"])
    source = widget(page, "stRadio", f"Data shown (upload: {UCDP_FILE.name})")
    expect(source.get_by_role("radio", name="Uploaded file only")).to_be_checked()
    assert metric(page, "Incidents") == str(report["rows_imported"])

    source.locator('[data-testid="stRadioOption"]', has_text="Both together").click()
    expect_metric(page, "Incidents", report["rows_imported"] + bundled)
    wait_until_idle(page)
    assert_no_exception(page)

    open_page_from_nav(page, "Map")
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/?(\?|$)"), timeout=LOAD_TIMEOUT_MS)
    wait_for_map(page)
    wait_until_idle(page)
    assert metric(page, "Incidents") == str(report["rows_imported"] + bundled)
    assert page.frame_locator(MAP_FRAME).locator(MARKER).count() > 0
    expect(widget(page, "stRadio", "Data shown").get_by_role("radio", name="Both together")).to_be_checked()
    assert_no_exception(page)
    assert_offline(offline)

    # back to the import page for the README's picture: the report is kept for the session
    open_page_from_nav(page, "Import a file")
    expect_metric(page, "Rows read", f"{report['rows_read']:,}")
    wait_until_idle(page)
    assert_no_exception(page)
    save_screenshot(page, "import")


def test_upload_of_an_unknown_format_is_refused(page, offline, app_url, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("Shopping list\nmilk, eggs, bread\nnothing in here is a conflict event\n", encoding="utf-8")
    bundled = rows_between("0000", "9999")

    page.goto(app_url + "/import")
    upload(page, notes)
    page.get_by_role("button", name="Import", exact=True).click()
    error = page.locator('[data-testid="stAlert"]', has_text=f"{notes.name} was not imported")
    error.wait_for(timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    assert error.locator('[data-testid="stAlertContentError"]').count() == 1, "not shown as an error"
    assert "no format the importer knows" in error.inner_text()
    assert page.locator('[data-testid="stMetricLabel"]', has_text="Rows read").count() == 0
    assert widget(page, "stRadio", "Data shown").count() == 0
    assert metric(page, "Incidents") == str(bundled)
    assert_no_exception(page)
    assert_offline(offline)


def test_article_journey(page, offline, app_url):
    started = time.monotonic()
    page.goto(app_url + "/add-article")
    extract_article(page)

    saving_off = page.locator('[data-testid="stAlert"]', has_text="Saving is switched off on this server")
    saving_off.wait_for(timeout=LOAD_TIMEOUT_MS)
    totals = grid(page, "qualifier")
    proposed = grid(page, "keep")
    # glide-data-grid keeps its accessible table hidden behind the canvas: wait for it to be attached
    totals.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    proposed.wait_for(state="attached", timeout=LOAD_TIMEOUT_MS)
    wait_until_idle(page)
    record_timing("article_extract_s", time.monotonic() - started)

    # the article is shown again with the sites, dates, totals and actors highlighted in their colours
    highlights = page.locator('[data-testid="stMain"] .stMarkdownColoredBackground')
    site_colour = highlights.filter(has_text=re.compile(r"^site$")).first.evaluate(
        "e => getComputedStyle(e).backgroundColor")
    for name in ("Tall Baydar", "Ain al-Asad air base"):
        span = highlights.filter(has_text=re.compile(rf"^{re.escape(name)}$")).first
        expect(span).to_be_visible()
        assert span.evaluate("e => getComputedStyle(e).backgroundColor") == site_colour, f"{name} not marked as a site"
    expect(highlights.filter(has_text=re.compile(r"^at least 62 attacks$"))).to_have_count(1)
    expect(highlights.filter(has_text=re.compile(r"^on Wednesday$"))).to_have_count(1)

    assert column_values(totals, "total") == ["62"]
    assert column_values(totals, "qualifier") == ["at_least"]
    assert column_values(totals, "by_country") == ['{"Iraq":29,"Syria":33}']
    assert column_values(totals, "since") == ["2023-10-17"]
    assert column_values(totals, "as_of") == ["-".join(PUBLISHED)]

    assert proposed.get_attribute("aria-rowcount") == "3"  # header + one row per attacked site
    assert sorted(column_values(proposed, "place")) == ["Ain al-Asad air base", "Tall Baydar"]
    assert column_values(proposed, "date") == [ATTACK_DATE, ATTACK_DATE]
    assert column_values(proposed, "keep") == ["true", "true"]
    # one expander per proposed row, titled "draft-1: date · type · place · n possible duplicate(s)"
    titles = page.locator('[data-testid="stExpander"] summary')
    expect(titles).to_have_count(2)
    places = []
    for title in titles.all_inner_texts():
        found = re.search(rf"draft-\d+: {ATTACK_DATE} · \w+ · (.+) · \d+ possible duplicate", title)
        assert found, title
        places.append(found.group(1))
    assert sorted(places) == ["Ain al-Asad air base", "Tall Baydar"]
    assert page.get_by_role("button", name=re.compile(r"^Save \d+ incident")).count() == 0
    assert_no_exception(page)
    assert_offline(offline)
    save_screenshot(page, "article")
