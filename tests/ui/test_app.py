"""The app as Streamlit runs it (AppTest): pages, query parameters in, widget values and metrics out."""
from __future__ import annotations

import csv
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

PAGES = ["dashboard/app_pages/map_page.py", "dashboard/app_pages/charts_page.py", "dashboard/app_pages/data_page.py"]


def rows_between(start: str, end: str) -> int:
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8") as handle:
        return sum(1 for row in csv.DictReader(handle) if start <= row["date"] <= end)


def open_app(params: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def param(at: AppTest, key: str) -> str | None:
    """A query parameter of the app's URL after the run, as one string."""
    value = at.query_params.get(key)
    return ",".join(value) if isinstance(value, list) else value


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_exception(page):
    at = open_app(page=page)
    assert not at.exception
    assert metric(at, "Incidents") == str(rows_between("0000", "9999"))


@pytest.mark.parametrize("start, end", [("2023-11-01", "2023-11-07"), ("2023-10-17", "2023-11-23"), ("2024-01-28", "2024-01-28")])
def test_date_parameters_set_the_widget_and_the_metric(start, end):
    at = open_app({"start": start, "end": end})
    assert not at.exception and not at.warning
    assert at.date_input(key="w_dates").value == (dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert metric(at, "Incidents") == str(rows_between(start, end))


def test_list_parameters_set_the_multiselects():
    at = open_app({"country": "Syria", "type": "drone,rocket", "status": "US-official", "site": "SY-TANF,SY-EUPHRATES"})
    assert not at.warning
    assert at.multiselect(key="w_country").value == ["Syria"]
    assert at.multiselect(key="w_type").value == ["drone", "rocket"]
    assert at.multiselect(key="w_status").value == ["US-official"]
    assert at.multiselect(key="w_site").value == ["SY-TANF", "SY-EUPHRATES"]
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8") as handle:
        expected = sum(1 for r in csv.DictReader(handle)
                       if "Syria" in r["country"].split(";") and r["event_type"] in ("drone", "rocket")
                       and r["confirmation"] == "US-official"
                       and {"SY-TANF", "SY-EUPHRATES"} & set(r["site_id"].split(";")))
    assert metric(at, "Incidents") == str(expected)


def test_view_and_period_parameters_set_page_widgets():
    at = open_app({"view": "incidents", "focus": "IQ-ASAD"})
    assert at.segmented_control(key="w_view").value == "incidents"
    assert at.selectbox(key="w_focus").value == "IQ-ASAD"
    at = open_app({"period": "month"}, page=PAGES[1])
    assert at.segmented_control(key="w_period").value == "month"
    assert param(at, "period") == "month"


@pytest.mark.parametrize("params, words", [
    ({"start": "2023-02-30"}, "2023-02-30"),
    ({"site": "IQ-NOWHERE"}, "IQ-NOWHERE"),
    ({"view": "globe"}, "globe"),
    ({"start": "2023-12-01", "end": "2023-11-01"}, "after its end date"),
])
def test_bad_parameter_gives_a_warning_and_the_default(params, words):
    at = open_app(params)
    assert not at.exception
    assert any(words in w.value.replace("\\", "") for w in at.warning)
    assert metric(at, "Incidents") == str(rows_between("0000", "9999"))


def test_changing_a_filter_updates_the_url():
    at = open_app({"start": "2023-10-17", "end": "2023-11-23"})
    at.multiselect(key="w_country").set_value(["Iraq"]).run()
    assert param(at, "country") == "Iraq"
    assert param(at, "start") == "2023-10-17"
    at.segmented_control(key="w_view").set_value("incidents").run()
    assert param(at, "view") == "incidents"


def test_quick_range_sets_the_dates():
    at = open_app()
    at.button_group(key="w_preset").set_value("Last 30 days of data").run()
    start, end = at.date_input(key="w_dates").value
    assert (end - start).days == 29
    assert param(at, "start") == start.isoformat()


def test_reset_clears_the_filters():
    at = open_app({"country": "Iraq", "type": "drone"})
    next(b for b in at.button if b.label == "Reset filters").click().run()
    assert at.multiselect(key="w_country").value == [] and param(at, "country") is None


def test_header_sentence_describes_the_view():
    at = open_app({"start": "2023-11-01", "end": "2023-11-07", "country": "Syria"})
    expected = rows_between("2023-11-01", "2023-11-07")
    text = " ".join(m.value for m in at.markdown)
    assert "1 Nov 2023 – 7 Nov 2023" in text.replace("\\", "") and "Syria" in text
    assert int(metric(at, "Incidents")) <= expected


def test_other_data_folder(monkeypatch, mini_data):
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    at = open_app()
    assert not at.exception and metric(at, "Incidents") == "6" and metric(at, "Not mapped") == "2"


def test_invalid_data_folder_shows_the_problems(monkeypatch, mini_data):
    path = mini_data / "incidents.csv"
    path.write_text(path.read_text().replace("2023-11-20", "2023-11-31"))
    monkeypatch.setenv("DASHBOARD_DATA", str(mini_data))
    at = open_app()
    assert not at.exception
    assert at.error and "cannot be shown" in at.error[0].value
    assert not at.metric


def test_the_data_page_lists_every_source_document_in_a_table():
    """115 seed records made a text line each, 8,000 px of page (issue 14 grew them from 2); one table now."""
    from dashboard.core.data.dataset import load_dataset
    at = open_app(page="dashboard/app_pages/data_page.py")
    assert not at.exception
    table = next(d.value for d in at.dataframe if "document" in d.value.columns)
    seeds = load_dataset(None).seeds
    assert len(table) == len(seeds) and set(table["document"]) == {s["document_id"] for s in seeds}
