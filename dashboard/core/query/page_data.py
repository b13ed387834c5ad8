"""What a page or an export needs from the query layer in one call: the charts' counts, the map's layers.

Both the Charts page and the HTML download draw from :func:`chart_data`, and
both the Map page and the HTML download from :func:`map_data`, so the two
always agree.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core.query import counts, mapping, official, rows
from dashboard.core.query.engine import Source
from dashboard.core.query.periods import chart_period
from dashboard.core.view.filters import Filters
from dashboard.core.view.map_window import MapWindow, cell_size, coarser, zoom_for_extent

MAP_MODES = ("sites", "incidents")
#: Most features a map draws one by one (site circles or incident markers). Above it, the map draws counts per
#: cell. Measured in headless Chromium by ``benchmarks/bench_feature_budget.py``; ~160 bytes of page per feature.
FEATURE_BUDGET = 5000
#: Most cells one map draws; a finer grid that would have more is coarsened.
MAX_CELLS = 5000


def chart_data(source: Source, filters: Filters, sites: pd.DataFrame, official_counts: pd.DataFrame, period: str,
               start, end) -> dict:
    """The counts behind every chart of a view, by chart name, and the period used (``period`` or coarser).

    ``start`` and ``end`` are the span shown; the line against the officials'
    totals ignores the filters' dates (it counts from 17 Oct 2023, as they did).
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    used, note = chart_period(period, start, end)
    daily, comparison = official.cumulative_against_official(source, filters, official_counts, start, end)
    return {
        "period": used, "note": note,
        "over_time": counts.count_by_period(source, filters, used, start, end, by="country"),
        "daily": daily, "comparison": comparison,
        "per_site": counts.count_by_site(source, filters, sites),
        "per_type": counts.count_by(source, filters, "event_type"),
        "per_country": counts.count_by(source, filters, "country"),
        "casualties": counts.casualties_by_period(source, filters, used, start, end),
    }


@dataclass(frozen=True)
class MapData:
    """The small result a map of a selection is drawn from, and why it is drawn that way.

    ``mode`` is what the user asked for ("sites" or "incidents"); ``kind``
    what is drawn: the same, or "cells" when one feature each would be more
    than :data:`FEATURE_BUDGET`. ``features`` holds one row per site or
    place (:func:`mapping.site_summary`), per placement
    (:func:`mapping.incident_points`) or per cell (:func:`mapping.grid_cells`
    plus ``lat``/``lon`` of its centre). ``window`` is the part of the map it
    covers (None: everything selected); ``shown`` the incidents placed inside
    it; ``placed`` and ``unmapped`` count the whole selection; ``extent`` is
    the box around all of it.
    """

    mode: str
    kind: str
    features: pd.DataFrame
    cell_size: float | None
    placed: int
    shown: int
    unmapped: int
    extent: tuple[float, float, float, float] | None
    window: MapWindow | None
    #: True when the whole selection is over the budget, so where the map looks changes what it draws.
    follows_window: bool = False

    def note(self) -> str:
        """One sentence: what the map shows and why."""
        where = " in this part of the map" if self.window is not None else ""
        if self.kind == "cells":
            what = "incidents" if self.mode == "incidents" else "sites"
            return (f"{self.shown:,} incident{_s(self.shown)}{where}: counts per {self.cell_size:g}° cell, as one "
                    f"marker each would be more than {FEATURE_BUDGET:,}; zoom in or narrow the filter to see {what}.")
        if self.kind == "incidents":
            tail = "; zoom out for counts per cell" if self.window is not None else ""
            return (f"{self.shown:,} incident{_s(self.shown)}{where}, one marker each at each site they name "
                    f"(clustered where they overlap){tail}.")
        places = len(self.features)
        return (f"{places:,} site{_s(places)} and place{_s(places)}{where}, circle area = incidents there "
                f"({self.shown:,} incident{_s(self.shown)}).")


def _contains(box: tuple, extent: tuple | None) -> bool:
    """True when ``box`` holds all of ``extent`` (both south, west, north, east), so it selects nothing less."""
    return extent is None or (box[0] <= extent[0] and box[1] <= extent[1] and box[2] >= extent[2]
                              and box[3] >= extent[3])


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def map_data(source: Source, filters: Filters, mode: str = "sites", window: MapWindow | None = None) -> MapData:
    """Everything :func:`dashboard.render.maps.build_incident_map` draws for ``filters`` in ``mode``.

    When the whole selection fits the feature budget, ``window`` is ignored
    and the result is the same wherever the map looks. Otherwise the window
    (or, without one, the selection's extent at the zoom that fits it) sets the
    part of the map and the cell size; its features are drawn one by one when
    they fit the budget, and counted per cell when they do not.
    """
    if mode not in MAP_MODES:
        raise ValueError(f"`mode` was {mode!r} but is expected to be in {MAP_MODES}")
    counted = "places" if mode == "sites" else "placements"
    whole = mapping.overview(source, filters)
    here, box = whole, None
    if whole[counted] > FEATURE_BUDGET and window is not None and not _contains(window.box, whole["extent"]):
        box = window.box
        here = mapping.overview(source, filters, box)
    unmapped = rows.total(source, filters, "unmapped")
    common = dict(mode=mode, placed=whole["incidents"], shown=here["incidents"], unmapped=unmapped,
                  extent=whole["extent"], window=window if box is not None else None,
                  follows_window=whole[counted] > FEATURE_BUDGET)
    if here[counted] <= FEATURE_BUDGET:
        if mode == "sites":
            features = mapping.site_summary(source, filters, box=box)
        else:
            features = mapping.incident_points(source, filters, FEATURE_BUDGET, box)
        return MapData(kind=mode, features=features, cell_size=None, **common)
    size = cell_size(window.zoom if window is not None else zoom_for_extent(whole["extent"]))  # the map's own zoom
    while mapping.cell_count(source, filters, size, box) > MAX_CELLS and coarser(size) is not None:
        size = coarser(size)
    cells = mapping.grid_cells(source, filters, size, box)
    cells.insert(2, "lat", (cells["row"] + 0.5) * size)
    cells.insert(3, "lon", (cells["col"] + 0.5) * size)
    return MapData(kind="cells", features=cells, cell_size=size, **common)
