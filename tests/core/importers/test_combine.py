"""Imported events shown in the dashboard: as incidents, at their own coordinates, alone or with the bundled data."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.view.filters import Filters, apply_filters
from dashboard.core.importers.combine import combine, events_as_incidents, unique_ids
from dashboard.core.importers import import_events
from dashboard.core.places.join import join_incidents
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "data" / "importers"


@pytest.fixture(scope="module")
def bundled():
    dataset = load_dataset()
    return dataset, join_incidents(dataset.incidents, dataset.sites)


@pytest.fixture(scope="module")
def iraq_events(bundled):
    return import_events(FIXTURES / "ucdp_ged_hdx_iraq.csv", sites=bundled[0].sites).events


def test_unique_ids_suffix_repeats():
    assert list(unique_ids(pd.Series(["A", "B", "A", "A"]))) == ["A", "B", "A#2", "A#3"]


def test_events_become_incidents(iraq_events):
    incidents = events_as_incidents(iraq_events)
    assert len(incidents) == len(iraq_events) and incidents["incident_id"].is_unique
    assert set(incidents["confirmation"]) == {"unassessed"}
    assert all(isinstance(v, tuple) for v in incidents["country"])
    assert incidents["killed"].sum() == iraq_events["killed"].sum()


@pytest.mark.parametrize("mode", ["uploaded", "both"])
def test_combine_keeps_every_event_and_its_own_coordinates(bundled, iraq_events, mode):
    dataset, joined = bundled
    shown, shown_join = combine(dataset, joined, iraq_events, mode)
    expected = len(iraq_events) + (len(dataset.incidents) if mode == "both" else 0)
    assert len(shown.incidents) == expected
    placed = shown_join.placements.set_index("incident_id")
    located = iraq_events.dropna(subset=["lat", "lon"])
    first = located.iloc[0]
    assert (placed.loc[first["incident_id"], "lat"], placed.loc[first["incident_id"], "lon"]) == (first["lat"], first["lon"])
    assert len(set(shown_join.placements["incident_id"])) + len(shown_join.unmapped) == len(shown.incidents)


def test_events_near_a_site_are_grouped_with_it(bundled, iraq_events):
    dataset, joined = bundled
    _, shown_join = combine(dataset, joined, iraq_events, "uploaded")
    linked = iraq_events[iraq_events["site_id"].fillna("") != ""]
    groups = set(shown_join.placements["site_id"])
    assert set(linked["site_id"]) <= groups
    kinds = shown_join.placements.drop_duplicates("site_id").set_index("site_id")["place_kind"]
    assert all(kinds[g] == "site" if g in set(dataset.sites["site_id"]) else kinds[g] == "place" for g in groups)
    assert not any(g.startswith("@") for g in groups)  # a place of the file is told apart by its kind, not its id


def test_bundled_mode_is_unchanged(bundled, iraq_events):
    dataset, joined = bundled
    shown, shown_join = combine(dataset, joined, iraq_events, "bundled")
    assert shown is dataset and shown_join is joined


def test_filters_work_on_combined_data(bundled, iraq_events):
    dataset, joined = bundled
    shown, _ = combine(dataset, joined, iraq_events, "both")
    only_iraq = apply_filters(shown.incidents, Filters(countries=("Iraq",), statuses=("unassessed",)))
    assert len(only_iraq) == int((iraq_events["country"] == "Iraq").sum())


def test_unknown_mode_is_refused(bundled, iraq_events):
    with pytest.raises(ValueError, match="`mode` was 'all'"):
        combine(*bundled, iraq_events, "all")


def test_map_of_imported_events_draws_places_not_in_gazetteer(bundled, iraq_events):
    from dashboard.core.query.page_data import map_data
    from dashboard.core.query.store import source_for
    from dashboard.core.view.filters import Filters
    from dashboard.render.maps import build_incident_map
    dataset, joined = bundled
    shown, shown_join = combine(dataset, joined, iraq_events, "uploaded")
    source = source_for(dataset, events=iraq_events, mode="uploaded")
    data = map_data(source, Filters())
    html = build_incident_map(data, dataset.sites).get_root().render()
    assert data.kind == "sites" and len(data.features) == shown_join.placements["site_id"].nunique()
    assert set(data.features["place_kind"]) == set(shown_join.placements["place_kind"])
    assert "place named in the imported file" in html
