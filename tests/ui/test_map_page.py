"""The Map page as Streamlit runs it: one base map kept across filter changes, only the data layers replaced."""
from __future__ import annotations

import json

import pytest

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.generated import generated_folder


def open_map(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception
    return at


def map_args(at: AppTest) -> dict:
    """The arguments the page handed streamlit-folium's component on its last run."""
    found = [json.loads(e.proto.json_args) for e in _walk(at._tree) if getattr(e, "type", "") == "component_instance"]
    assert len(found) == 1, f"{len(found)} components on the page"
    return found[0]


def _walk(node):
    children = getattr(node, "children", None)
    for child in (children.values() if isinstance(children, dict) else []):
        yield child
        yield from _walk(child)


def payload(args: dict) -> dict:
    text = args["feature_group"]
    start = text.index("var data = ") + len("var data = ")
    return json.loads(text[start:text.index(";\n", start)])


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_a_filter_change_replaces_the_layers_not_the_map():
    at = open_map({"start": "2023-10-17", "end": "2024-02-10"})
    before = map_args(at)
    at.multiselect(key="w_country").set_value(["Syria"]).run()
    after = map_args(at)
    assert not at.exception
    # the component's key is a hash of the base map's script: the same key means the map is not remounted
    assert after["key"] == before["key"] and after["script"] == before["script"]
    assert after["feature_group"] != before["feature_group"]
    assert payload(after)["summary"]["shown"] < payload(before)["summary"]["shown"]


def test_a_mode_switch_keeps_the_map_too():
    at = open_map()
    before = map_args(at)
    at.segmented_control(key="w_view").set_value("incidents").run()
    after = map_args(at)
    assert after["key"] == before["key"]
    assert payload(before)["kind"] == "sites" and payload(after)["kind"] == "incidents"


#: What the heat layer's and the uncertainty rings' scripts call (the groups carry no names without a layer control).
HEAT, RINGS = "L.heatLayer(", "dashArray"


def test_within_the_budget_the_map_returns_clicks_and_its_position_not_its_bounds():
    """A map that draws everything reports clicks and where it looks (for the link), never its bounds: the
    query does not follow the window."""
    args = map_args(open_map())
    assert args["returned_objects"] == ["last_active_drawing", "center", "zoom"]
    assert HEAT not in args["feature_group"] and RINGS in args["feature_group"]


@pytest.mark.parametrize("layers, heat, rings", [("heat", True, False), ("rings,heat", True, True), ("none", False, False)])
def test_the_link_says_which_layers_are_drawn(layers, heat, rings):
    args = map_args(open_map({"layers": layers}))
    assert (HEAT in args["feature_group"]) is heat
    assert (RINGS in args["feature_group"]) is rings


def test_over_the_budget_the_map_also_returns_its_bounds_and_zoom(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DATA", str(generated_folder(tmp_path / "data", 6_000)))
    at = open_map({"view": "incidents"})
    args = map_args(at)
    assert sorted(args["returned_objects"]) == ["bounds", "center", "last_active_drawing", "zoom"]
    assert payload(args)["kind"] == "cells"


def test_the_page_says_what_the_map_shows():
    at = open_map({"view": "incidents"})
    assert "incidents, one marker each" in captions(at)
    at = open_map()
    assert "sites and places, circle area = incidents" in captions(at)


def test_reported_bounds_do_not_change_a_map_within_the_budget():
    at = open_map()
    before = map_args(at)
    at.session_state["incident_map"] = {"bounds": {"_southWest": {"lat": 33.0, "lng": 42.0},
                                                   "_northEast": {"lat": 34.0, "lng": 43.0}}, "zoom": 9,
                                        "last_active_drawing": None}
    at.run()
    assert not at.exception and map_args(at)["feature_group"] == before["feature_group"]



def test_the_heat_layer_stays_on_when_the_mode_changes():
    """The layers are part of the view: switching between sites and incidents keeps the heat layer on."""
    at = open_map({"layers": "heat"})
    assert HEAT in map_args(at)["feature_group"]
    at.segmented_control(key="w_view").set_value("incidents").run()
    args = map_args(at)
    assert HEAT in args["feature_group"] and payload(args)["kind"] == "incidents"
    assert at.query_params.get("layers") in ("heat", ["heat"])
