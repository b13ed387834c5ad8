"""Download buttons for the current selection: CSV, GeoJSON, KML and a standalone HTML page of the view.

Streamlit calls a download button's callable when the button is pressed, after
the page's script run and outside it: no ``session_state``, no ``st.*``, no
cache of the run. So the page run reads everything the files need from the
session (the share link, the chart period, the map mode) and hands it to the
module-level functions below, which compute only from their arguments.

The buttons do not rerun the page (``on_click="ignore"``): a rerun registers
each button's callable anew and revokes the old one, and when it did so before
the server had served the click, the browser got no file.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.core.data.exports import (incidents_csv, incidents_geojson, incidents_kml,  # noqa: F401
                                         placements_with_country)
from dashboard.core.query import page_data, rows
from dashboard.core.query.engine import Source
from dashboard.core.view.describe import CURATED_TITLE, describe_filters
from dashboard.core.view.display import incident_rows
from dashboard.core.view.filters import Filters
from dashboard.render.chart_set import view_charts
from dashboard.render.maps import build_incident_map
from dashboard.render.standalone import standalone_html
from dashboard.render.tiles import Basemap, basemap_from_env

from dashboard.ui import data, header
from dashboard.ui import state as view_state

#: Rows listed in the HTML page's table (the CSV holds every row).
HTML_TABLE_ROWS = rows.MAX_PAGE
#: The map fills the report's map frame, whose height the report sets.
MAP_HEIGHT = "100%"


@dataclass(frozen=True)
class ReportView:
    """What the HTML page shows besides the data, read from the session while the page runs.

    ``sentence`` describes the filters, ``link`` is the share link ("" when
    the page's address is unknown), ``period`` the charts' period, ``mode``
    the map mode, ``start``/``end`` the span shown (ISO dates), ``total`` the
    number of incidents selected, ``basemap`` the tile layer (the page passes
    the server's tiles: a report fetches nothing else, so the offline borders
    basemap, whose data the map fetches, is not used).
    """

    sentence: str
    link: str
    period: str
    mode: str
    start: str
    end: str
    total: int
    basemap: Basemap | None = None
    title: str = CURATED_TITLE
    layers: tuple[str, ...] = ("rings",)


def file_stem(filters: Filters) -> str:
    """The downloads' file name without extension: ``incidents_<start>_<end>`` (``all`` for an open end)."""
    start = filters.start.isoformat() if filters.start else "all"
    end = filters.end.isoformat() if filters.end else "all"
    return f"incidents_{start}_{end}"


def csv_file(source: Source, filters: Filters, sites: pd.DataFrame) -> bytes:
    """The CSV download: every selected incident."""
    return incidents_csv(rows.all_rows(source, filters), sites)


def geojson_file(source: Source, filters: Filters, sites: pd.DataFrame) -> bytes:
    """The GeoJSON download: one point per incident and site, the unmapped listed."""
    incidents = rows.all_rows(source, filters)
    placements = placements_with_country(rows.all_placements(source, filters), incidents, sites)
    return incidents_geojson(incidents, placements)


def kml_file(source: Source, filters: Filters, sites: pd.DataFrame, title: str) -> bytes:
    """The KML download: dated placemarks, one per incident and site."""
    incidents = rows.all_rows(source, filters)
    placements = placements_with_country(rows.all_placements(source, filters), incidents, sites)
    return incidents_kml(incidents, placements, title)


def report_note(view: ReportView, exported: dt.date) -> str:
    """The sentence under the HTML page's title: the view, when and where it was exported, what the table holds."""
    note = f"{view.sentence}. Exported {exported:%d %b %Y} from {view.link or 'the dashboard'}."
    if view.total > HTML_TABLE_ROWS:
        note += (f" The table lists the first {HTML_TABLE_ROWS:,} of the {view.total:,} incidents by date; "
                 "the CSV holds all.")
    return note


def report_html(source: Source, filters: Filters, sites: pd.DataFrame, official_counts: pd.DataFrame,
                view: ReportView, exported: dt.date | None = None) -> str:
    """The HTML download: title, note, the map fitted to the selection, the charts and the first rows.

    ``exported`` defaults to the day the button is pressed.
    """
    counts = page_data.chart_data(source, filters, sites, official_counts, view.period, view.start, view.end)
    fmap = build_incident_map(page_data.map_data(source, filters, view.mode), sites, basemap=view.basemap,
                              height=MAP_HEIGHT, overlays=view.layers)
    site_names = dict(zip(sites["site_id"], sites["name"]))
    listed = rows.page(source, filters, 0, HTML_TABLE_ROWS)
    return standalone_html(view.title, report_note(view, exported or dt.date.today()), fmap.get_root().render(),
                           [chart.to_dict() for chart in view_charts(counts).values()],
                           incident_rows(listed, site_names))


def render(loaded: data.Loaded, filters: Filters) -> None:
    """Four download buttons; each file is made only when its button is pressed, from the query layer."""
    vocabulary = loaded.vocabulary
    total = data.ask(loaded.key, "headline", filters)["Incidents"]
    sentence = describe_filters(filters, total, vocabulary.first, vocabulary.last, loaded.site_names())
    state = view_state.current(vocabulary)
    start, end = data.date_span(loaded, filters)
    view = ReportView(sentence=sentence, link=view_state.share_url(vocabulary), period=state.period,
                      mode=state.view, start=start.date().isoformat(), end=end.date().isoformat(), total=total,
                      basemap=basemap_from_env(), title=header.page_title(loaded), layers=state.layers)
    source, sites, stem = loaded.source, loaded.sites, file_stem(filters)

    buttons = [
        ("CSV (spreadsheets)", partial(csv_file, source, filters, sites), "csv", "text/csv",
         "One row per incident; cells a spreadsheet would run as formulas are neutralised."),
        ("GeoJSON", partial(geojson_file, source, filters, sites), "geojson", "application/geo+json",
         "One point per incident and site; unmapped incidents listed."),
        ("KML (Google Earth)", partial(kml_file, source, filters, sites, sentence), "kml",
         "application/vnd.google-earth.kml+xml", "Dated placemarks for Google Earth's time slider."),
        ("HTML page (map + charts)", partial(report_html, source, filters, sites, loaded.official_counts, view),
         "html", "text/html", "One file with the map, the charts and the table; opens without the app."),
    ]
    st.markdown("**Download the selection**")
    for column, (label, make, extension, mime, note) in zip(st.columns(len(buttons)), buttons):
        column.download_button(label, make, f"{stem}.{extension}", mime, on_click="ignore", help=note)
