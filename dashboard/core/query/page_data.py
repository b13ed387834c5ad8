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

MAP_MODES = ("sites", "incidents")
#: Above this many placements, incidents are drawn as bare points (no per-marker popups):
#: per-marker folium objects cost ~0.2 ms and ~200 bytes each (perf-baseline.md, section 2).
MAX_DETAILED_MARKERS = 1000
#: In sites mode, at most this many circles (the busiest places); imported files can name thousands.
MAX_SITE_CIRCLES = 1500


def popup_limit(places: int) -> int:
    """Incidents listed in each site's popup: the first by date; the site card under the map lists the rest.

    Every popup's HTML is in the page (each session's map is held by the server too), so the lists are short.
    """
    return 10 if places <= 100 else 5


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
    """The small results a map of a selection is drawn from.

    ``places`` has one row per placed site or place (busiest first); ``popups``
    the first incidents of each drawn place and ``months`` its counts per month;
    in incidents mode, ``markers`` holds one row per placement with the
    incident's details, or ``points`` the bare coordinates above
    :data:`MAX_DETAILED_MARKERS`.
    """

    mode: str
    places: pd.DataFrame
    popups: pd.DataFrame
    months: pd.DataFrame
    markers: pd.DataFrame | None
    points: pd.DataFrame | None
    placed: int
    unmapped: int
    first: pd.Timestamp | None
    last: pd.Timestamp | None

    @property
    def shown_places(self) -> pd.DataFrame:
        return self.places.head(MAX_SITE_CIRCLES)

    @property
    def left_out(self) -> int:
        """Places not drawn in sites mode (the quietest)."""
        return max(len(self.places) - MAX_SITE_CIRCLES, 0) if self.mode == "sites" else 0


def map_data(source: Source, filters: Filters, mode: str = "sites") -> MapData:
    """Everything :func:`dashboard.render.maps.build_incident_map` draws for ``filters`` in ``mode``."""
    if mode not in MAP_MODES:
        raise ValueError(f"`mode` was {mode!r} but is expected to be in {MAP_MODES}")
    places = mapping.site_summary(source, filters)
    shown = places.head(MAX_SITE_CIRCLES)
    markers = points = None
    popups = months = None
    if mode == "sites":
        popups = mapping.place_incidents(source, filters, shown, popup_limit(len(shown)))
        months = mapping.place_months(source, filters, shown)
    else:
        markers = mapping.markers(source, filters, MAX_DETAILED_MARKERS + 1)
        if len(markers) > MAX_DETAILED_MARKERS:
            markers, points = None, mapping.points(source, filters)
    first, last = counts.span(source, filters)
    return MapData(mode=mode, places=places, popups=_or_empty(popups), months=_or_empty(months), markers=markers,
                   points=points, placed=mapping.placed_count(source, filters),
                   unmapped=rows.total(source, filters, "unmapped"), first=first, last=last)


def _or_empty(frame: pd.DataFrame | None) -> pd.DataFrame:
    return frame if frame is not None else pd.DataFrame()
