"""Issue 8, items 6 and 7: text from a link, an upload, an article or the data is never live Markdown, and a
failing page shows a reference, not a traceback or a server path."""
from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.importers import import_events
from dashboard.ui.markdown import escape_markdown
from tests.conftest import ROOT, stored_upload
from tests.core.importers.conftest import acled_row, acled_text

LINK = "[Data moved - click here](https://example.invalid/phish) ![p](http://example.invalid/pixel.png)"
SPECIAL = set("[]()<>!:*_`$~|#")


def live_markup(markdown: str) -> set[str]:
    """The Markdown-special characters of ``markdown`` that are not backslashed."""
    found, escaped = set(), False
    for char in markdown:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in SPECIAL:
            found.add(char)
    return found


def app(**params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    return at


def test_the_helper_leaves_nothing_live_and_keeps_the_text():
    for text in (LINK, ":red[x] :material/home: $x$ <b>a</b> www.example.invalid a@b.invalid `c` **d**"):
        assert not live_markup(escape_markdown(text))
        assert escape_markdown(text).replace("\\", "").replace("\u2060", "") == text


@pytest.mark.parametrize("params", [
    {"focus": LINK},
    {"start": LINK},
    {"country": LINK},
    {LINK: "1"},  # an unknown parameter's name
])
def test_link_parameters_reach_the_warning_inert(params):
    at = app(**params)
    at.run()
    assert not at.exception
    shown = [w.value for w in at.warning if "example" in w.value]
    assert shown, [w.value for w in at.warning]
    for value in shown:
        assert not live_markup(value), value


def sites_with_a_hostile_name(mini_data):
    path = mini_data / "sites.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rows[0]["name"] = "Alpha " + LINK
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return mini_data


def test_a_site_name_from_the_data_is_inert_in_the_site_card(mini_data, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(sites_with_a_hostile_name(mini_data)))
    at = app(focus="IQ-A")
    at.run()
    assert not at.exception
    headings = [h.value for h in at.subheader if "example" in h.value]
    assert headings and not live_markup(headings[0])


@pytest.fixture
def hostile_upload(tmp_path):
    text = acled_text([acled_row(1, country=LINK), acled_row(2, location=LINK)])
    result = import_events(io.BytesIO(text.encode()))
    return stored_upload(tmp_path, result.events, {**result.report, "layout": LINK}, "[x](https://example.invalid/f).csv",
                         "t")


def with_upload(upload: dict, page: str) -> AppTest:
    at = app()
    at.session_state["_upload"] = upload
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception
    return at


def test_an_uploaded_country_is_inert_in_the_charts_metric_labels(hostile_upload):
    at = with_upload(hostile_upload, "dashboard/app_pages/charts_page.py")
    labels = [m.label for m in at.metric if "example" in m.label]
    assert labels and all(not live_markup(label) for label in labels)


def test_an_uploaded_file_name_is_inert_in_the_report_and_the_sidebar(hostile_upload):
    at = with_upload(hostile_upload, "dashboard/app_pages/upload_page.py")
    radio = at.radio(key="w_source")
    assert "example" in radio.label and not live_markup(radio.label.replace("Data shown (upload: ", "")[:-1])
    heading = [h.value for h in at.subheader if "example" in h.value]
    assert heading and not live_markup(heading[0].replace("Import report: ", ""))
    caption = [c.value for c in at.caption if "Layout" in c.value]
    assert caption and "\\[Data moved" in caption[0]


def test_unresolved_places_and_row_titles_from_an_article_are_inert():
    at = app()
    at.run()
    at.switch_page("dashboard/app_pages/article_page.py")
    at.run()
    article = ("A drone struck the Qarn_al_Zib_example air base in Syria on Monday, wounding "
               "one US service member, a defense official said.")
    at.text_area(key="article_text").set_value(article)
    at.date_input(key="article_published").set_value(dt.date(2023, 11, 23))
    [b for b in at.button if b.label == "Extract"][0].click().run()
    assert not at.exception
    warned = [w.value for w in at.warning if "Places not in the gazetteer" in w.value]
    assert warned and "example" in warned[0]
    assert not live_markup(warned[0].split(": ", 1)[1])
    titles = [e.label for e in at.expander]
    assert titles and all(not live_markup(t) for t in titles)


def test_a_failing_page_shows_a_reference_not_a_traceback(monkeypatch, caplog):
    """Item 7: the visitor gets a short message and a reference; the log has the traceback."""
    from dashboard.render import chart_set

    def broken(*args, **kwargs):
        raise RuntimeError(f"boom in {ROOT}")

    monkeypatch.setattr(chart_set, "view_charts", broken)
    monkeypatch.setenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "none")
    at = app()
    at.run()
    at.switch_page("dashboard/app_pages/charts_page.py")
    with caplog.at_level("ERROR", logger="dashboard"):
        at.run()
    errors = [e.value for e in at.error]
    assert errors and "Something went wrong while drawing this page (reference " in errors[0]
    assert str(ROOT) not in " ".join(errors)
    reference = errors[0].split("(reference ")[1].split(")")[0]
    assert any(reference in r.getMessage() and r.exc_info for r in caplog.records)


def test_the_shipped_configuration_hides_error_details():
    text = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert 'showErrorDetails = "none"' in text


def test_the_data_page_does_not_print_the_server_path():
    at = app()
    at.run()
    at.switch_page("dashboard/app_pages/data_page.py")
    at.run()
    assert not at.exception
    shown = " ".join(t.value for t in at.text) + " ".join(m.value for m in at.markdown)
    assert str(ROOT) not in shown and "Data folder: geodata" in shown
