"""A changed address (the browser's Back or Forward, or an edited link) becomes the view; the time player's
buttons move the map's step and the link holds it (AppTest: query parameters in, widgets and metrics out)."""
from __future__ import annotations

import csv

from streamlit.testing.v1 import AppTest

from dashboard.ui import state as view_state
from tests.conftest import ROOT
from tests.ui.test_app import param
from tests.ui.test_map_page import open_map as open_app


def count(country: str | None = None, start: str = "0000", end: str = "9999") -> int:
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8") as handle:
        return sum(1 for row in csv.DictReader(handle) if start <= row["date"] <= end
                   and (country is None or country in [c.strip() for c in row["country"].split(";")]))


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label).replace(",", "")




def test_back_or_forward_to_another_address_becomes_the_view(monkeypatch):
    monkeypatch.setattr(view_state, "history_move", lambda: True)  # as Streamlit marks a Back or Forward run
    at = open_app()
    assert metric(at, "Incidents") == str(count())
    at.query_params["country"] = "Syria"  # Back or Forward to a link with a country
    at.run()
    assert not at.exception
    assert at.multiselect(key="w_country").value == ["Syria"]
    assert metric(at, "Incidents") == str(count("Syria"))
    del at.query_params["country"]
    at.run()
    assert at.multiselect(key="w_country").value == []
    assert metric(at, "Incidents") == str(count())


def test_a_run_that_is_not_a_history_move_keeps_the_users_choice(monkeypatch):
    """A widget's run may carry the address from before the app's last write (the map's report had just
    added its position): that is not Back, and the user's choice must not be dropped for it."""
    monkeypatch.setattr(view_state, "history_move", lambda: False)
    at = open_app({"start": "2023-10-17"})
    at.query_params["start"] = "2023-11-01"  # an older address arrives with the run
    at.multiselect(key="w_country").set_value(["Syria"]).run()
    assert not at.exception
    assert at.multiselect(key="w_country").value == ["Syria"]
    assert param(at, "country") == "Syria" and param(at, "start") == "2023-10-17"


def test_a_widget_change_is_kept_when_the_address_did_not_change():
    at = open_app({"country": "Iraq"})
    at.multiselect(key="w_country").set_value(["Jordan"]).run()
    assert param(at, "country") == "Jordan"
    at.run()  # a plain rerun (a pan, a click): the view stays
    assert at.multiselect(key="w_country").value == ["Jordan"] and param(at, "country") == "Jordan"


def test_next_and_previous_step_move_the_map_and_the_link():
    at = open_app({"start": "2023-10-17", "end": "2023-11-30"})
    next(b for b in at.button if b.label == "Next").click().run()
    assert param(at, "at") == "2023-10-16"  # the week holding the first day
    next(b for b in at.button if b.label == "Next").click().run()
    assert param(at, "at") == "2023-10-23"
    assert "incidents" in " ".join(c.value for c in at.caption)
    next(b for b in at.button if b.label == "Previous").click().run()
    assert param(at, "at") == "2023-10-16"
    at.segmented_control(key="w_step").set_value("month").run()
    assert param(at, "step") == "month" and param(at, "at") == "2023-10-01"
    next(b for b in at.button if b.label == "Whole range").click().run()
    assert param(at, "at") is None and param(at, "step") == "month"
    assert not at.exception
