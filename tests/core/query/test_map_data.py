"""The adaptive map's data: features one by one under the budget, counts per cell above it, a window's own features.

Sizes are the ones users bring: more placements than the feature budget over
the gazetteer's sites, and 100,000 imported events at tens of thousands of
distinct places (where a map of one feature each would be megabytes).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.query import rows
from dashboard.core.query.page_data import FEATURE_BUDGET, MAX_CELLS, map_data
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import MapWindow, cell_size, zoom_for_extent
from dashboard.render.maps import build_incident_map
from tests.generated import generated_events, generated_folder

#: The map's HTML stays under this whatever the number of incidents (issue 10).
MAX_MAP_HTML = 1_500_000


@pytest.fixture(scope="module")
def over_budget(tmp_path_factory):
    """Generated incidents over the gazetteer with more placements than the feature budget."""
    dataset = load_dataset(generated_folder(tmp_path_factory.mktemp("over"), 6_000))
    source = source_for(dataset)
    placements = rows.all_placements(source, Filters())
    assert len(placements) > FEATURE_BUDGET
    return dataset, source, placements


@pytest.fixture(scope="module")
def many_places():
    """100,000 imported events at their own coordinates: tens of thousands of distinct places."""
    dataset = load_dataset()
    events = generated_events(100_000, dataset.sites)
    source = source_for(dataset, events=events, mode="uploaded")
    return dataset, source


def cells_by_pandas(placements, size: float, box=None) -> dict[tuple[int, int], int]:
    if box is not None:
        south, west, north, east = box
        placements = placements[placements["lat"].between(south, north) & placements["lon"].between(west, east)]
    keys = list(zip(np.floor(placements["lat"] / size).astype(int), np.floor(placements["lon"] / size).astype(int)))
    per_cell: dict[tuple[int, int], set] = {}
    for key, incident in zip(keys, placements["incident_id"]):
        per_cell.setdefault(key, set()).add(incident)
    return {key: len(ids) for key, ids in per_cell.items()}


def test_above_the_budget_incidents_are_counted_per_cell(over_budget):
    dataset, source, placements = over_budget
    data = map_data(source, Filters(), "incidents")
    assert data.kind == "cells" and data.window is None
    assert data.cell_size == cell_size(zoom_for_extent(data.extent))
    drawn = {(r, c): n for r, c, n in data.features[["row", "col", "count"]].itertuples(index=False)}
    assert drawn == cells_by_pandas(placements, data.cell_size)
    assert data.placed == data.shown == placements["incident_id"].nunique()
    assert f"{data.shown:,} incidents: counts per {data.cell_size:g}° cell" in data.note()
    assert "zoom in or narrow the filter to see incidents" in data.note()


def test_under_the_budget_the_same_selection_is_drawn_by_site(over_budget):
    dataset, source, placements = over_budget
    data = map_data(source, Filters(), "sites")
    assert data.kind == "sites" and len(data.features) == placements["site_id"].nunique()


def test_a_narrow_filter_draws_incidents_one_by_one(over_budget):
    dataset, source, placements = over_budget
    filters = Filters(countries=("Jordan",))
    data = map_data(source, filters, "incidents")
    selected = rows.all_placements(source, filters)
    assert 0 < len(selected) <= FEATURE_BUDGET
    assert data.kind == "incidents" and len(data.features) == len(selected)


def test_zooming_in_on_a_region_shows_its_incidents(over_budget):
    dataset, source, placements = over_budget
    site = dataset.sites.set_index("site_id").loc["JO-TOWER22"]
    box = MapWindow(11, float(site["lat"]) - 0.2, float(site["lon"]) - 0.2, float(site["lat"]) + 0.2,
                    float(site["lon"]) + 0.2)
    data = map_data(source, Filters(), "incidents", box)
    inside = placements[placements["lat"].between(box.south, box.north) & placements["lon"].between(box.west, box.east)]
    assert data.kind == "incidents" and data.window == box
    assert len(data.features) == len(inside) > 0
    assert data.shown == inside["incident_id"].nunique()
    assert "in this part of the map" in data.note() and "zoom out for counts per cell" in data.note()


def test_a_wide_window_is_counted_per_cell_of_its_zoom(over_budget):
    dataset, source, placements = over_budget
    window = MapWindow(8, 30.0, 36.0, 38.0, 46.0)
    data = map_data(source, Filters(), "incidents", window)
    assert data.kind == "cells" and data.cell_size == cell_size(8)
    drawn = {(r, c): n for r, c, n in data.features[["row", "col", "count"]].itertuples(index=False)}
    assert drawn == cells_by_pandas(placements, data.cell_size, window.box)


def test_under_the_budget_the_window_changes_nothing(over_budget):
    dataset, source, placements = over_budget
    whole = map_data(source, Filters(), "sites")
    windowed = map_data(source, Filters(), "sites", MapWindow(9, 33.0, 42.0, 34.0, 43.0))
    assert windowed.window is None and windowed.features.equals(whole.features)


def test_many_places_are_counted_per_cell_in_sites_mode(many_places):
    dataset, source = many_places
    data = map_data(source, Filters(), "sites")
    assert data.kind == "cells" and 0 < len(data.features) <= MAX_CELLS
    assert "zoom in or narrow the filter to see sites" in data.note()


def test_zoomed_in_on_many_places_shows_the_places(many_places):
    dataset, source = many_places
    data = map_data(source, Filters(), "sites", MapWindow(12, 33.0, 42.0, 33.3, 42.3))
    assert data.kind == "sites" and 0 < len(data.features) <= FEATURE_BUDGET
    features = data.features
    assert features["lat"].between(33.0, 33.3).all() and features["lon"].between(42.0, 42.3).all()


@pytest.mark.parametrize("mode", ["sites", "incidents"])
@pytest.mark.parametrize("window", [None, MapWindow(6, 26.0, 30.0, 42.0, 52.0), MapWindow(9, 32.0, 40.0, 35.0, 44.0),
                                    MapWindow(13, 33.0, 42.0, 33.2, 42.2)])
def test_map_html_stays_bounded_at_100000_events(many_places, mode, window):
    dataset, source = many_places
    data = map_data(source, Filters(), mode, window)
    html = build_incident_map(data, dataset.sites).get_root().render()
    assert len(html.encode()) < MAX_MAP_HTML, (data.kind, len(data.features), len(html))
    assert len(data.features) <= max(FEATURE_BUDGET, MAX_CELLS)


def test_cells_are_coarsened_rather_than_exceed_the_cap(many_places):
    dataset, source = many_places
    data = map_data(source, Filters(), "incidents", MapWindow(11, 26.0, 30.0, 42.0, 52.0))
    assert data.kind == "cells" and len(data.features) <= MAX_CELLS
    assert data.cell_size > cell_size(11)
    assert math.isclose(data.features["lat"].iloc[0], (data.features["row"].iloc[0] + 0.5) * data.cell_size)


def test_only_a_selection_over_the_budget_follows_the_window(over_budget):
    dataset, source, placements = over_budget
    assert map_data(source, Filters(), "incidents").follows_window
    assert map_data(source, Filters(), "incidents", MapWindow(12, 33.2, 38.6, 33.4, 38.8)).follows_window
    assert not map_data(source, Filters(), "sites").follows_window
    assert not map_data(source, Filters(countries=("Jordan",)), "incidents").follows_window
