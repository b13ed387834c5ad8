"""The map's window: cell sizes by zoom, the zoom that fits an extent, reported bounds snapped for the cache."""
from __future__ import annotations

import pytest

from dashboard.core.view.map_window import (CELL_SIZES, MapWindow, cell_size, coarser, window_from_bounds,
                                            window_from_tuple, zoom_for_extent)


def bounds(south, west, north, east) -> dict:
    return {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}


@pytest.mark.parametrize("zoom, size", [(0, 5.0), (3, 5.0), (5, 1.0), (6, 0.5), (7, 0.25), (8, 0.1), (9, 0.05),
                                        (10, 0.025), (12, 0.01), (19, 0.001)])
def test_cell_size_follows_the_zoom(zoom, size):
    assert cell_size(zoom) == size


def test_cells_get_finer_as_the_map_zooms_in():
    sizes = [cell_size(z) for z in range(0, 20)]
    assert sizes == sorted(sizes, reverse=True) and set(sizes) <= set(CELL_SIZES)


def test_coarser_steps_up_the_ladder():
    assert coarser(0.25) == 0.5 and coarser(0.001) == 0.0025 and coarser(5.0) is None


@pytest.mark.parametrize("extent, zoom", [
    ((29.0, 35.0, 37.5, 48.5), 6),      # Iraq and Syria in a 900 x 580 map
    ((33.7, 42.3, 33.9, 42.5), 11),     # one base
    ((33.8, 42.4, 33.8, 42.4), 12),     # one point: capped
    (None, 6),
])
def test_zoom_for_extent(extent, zoom):
    assert zoom_for_extent(extent) == zoom


@pytest.mark.parametrize("reported, zoom", [
    (None, 6), ({}, 6), (bounds(None, None, None, None), 6), (bounds(34, 40, 33, 41), 6),
    (bounds(33, 40, 34, 41), None), (bounds(33, 40, 34, 41), "x"), (bounds(float("nan"), 40, 34, 41), 6),
])
def test_no_window_until_the_map_reports_real_bounds(reported, zoom):
    assert window_from_bounds(reported, zoom) is None


def test_window_is_padded_and_snapped_to_the_zoom_grid():
    window = window_from_bounds(bounds(33.1, 40.2, 35.3, 43.9), 7)
    step = cell_size(7) * 8
    assert window.zoom == 7
    assert window.south <= 33.1 - 1.1 and window.north >= 35.3 + 1.1
    assert window.west <= 40.2 - 1.85 and window.east >= 43.9 + 1.85
    for value in window.box:
        assert value / step == pytest.approx(round(value / step))


def test_a_small_pan_keeps_the_window():
    first = window_from_bounds(bounds(33.10, 40.20, 35.30, 43.90), 7)
    panned = window_from_bounds(bounds(33.12, 40.25, 35.32, 43.95), 7)
    assert first == panned


def test_the_world_wraps_to_the_whole_width():
    window = window_from_bounds(bounds(-80, -250, 80, 250), 1)
    assert (window.west, window.east) == (-180.0, 180.0) and window.south >= -90 and window.north <= 90


def test_tuple_round_trip():
    window = MapWindow(8, 33.0, 40.0, 35.0, 44.0)
    assert window_from_tuple(window.as_tuple()) == window and window_from_tuple(None) is None
