"""The Charts page (AppTest): the note under the figures per country, from query parameters in to captions out.

Expected figures are counted from geodata/incidents.csv with the csv module, not with the app's code.
"""
from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

CHARTS = "dashboard/app_pages/charts_page.py"
NOTE = "more than one country"


def countries_of_rows(start: str = "0000", end: str = "9999", country: str | None = None) -> list[set[str]]:
    """The countries each incident row dated start..end names (rows naming ``country`` when given)."""
    with open(ROOT / "geodata" / "incidents.csv", newline="", encoding="utf-8") as handle:
        named = [{c.strip() for c in row["country"].split(";") if c.strip()} for row in csv.DictReader(handle)
                 if start <= row["date"] <= end]
    return [countries for countries in named if country is None or country in countries]


def charts_page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(CHARTS)
    at.run()
    assert not at.exception
    return at


def notes(at: AppTest) -> list[str]:
    return [c.value for c in at.caption if NOTE in c.value]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_country_filter_says_why_another_country_is_counted():
    rows = countries_of_rows(country="Syria")
    both = sum(1 for countries in rows if len(countries) > 1)
    assert both > 1 and all(countries <= {"Syria", "Iraq"} for countries in rows)  # what the sentence below assumes
    at = charts_page({"country": "Syria"})
    shown = metrics(at)
    assert shown["Incidents in Syria"] == str(len(rows))
    assert shown["Incidents in Iraq"] == str(both)
    assert notes(at) == [f"{both} of the selected incidents name more than one country, so they also count under "
                         f"Iraq\\."]  # escaped Markdown: the dot is backslashed, shown as a plain dot


def test_without_a_filter_the_note_explains_the_sum_per_country():
    rows = countries_of_rows()
    both = sum(1 for countries in rows if len(countries) > 1)
    at = charts_page({})
    per_country = sum(int(value) for label, value in metrics(at).items() if label.startswith("Incidents in "))
    assert per_country == len(rows) + both  # the sum the note explains
    assert notes(at) == [f"{both} of the selected incidents name more than one country and count under each of "
                         "them\\."]


@pytest.mark.parametrize("params", [
    {"start": "2024-01-22", "end": "2024-01-28"},
    {"country": "Jordan"},
])
def test_no_note_when_no_incident_names_two_countries(params):
    rows = countries_of_rows(params.get("start", "0000"), params.get("end", "9999"), params.get("country"))
    assert rows and all(len(countries) == 1 for countries in rows)
    at = charts_page(params)
    assert notes(at) == []
