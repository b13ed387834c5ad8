"""Download buttons for the current selection: CSV, GeoJSON, KML and a standalone HTML page of the view."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from dashboard.core.view.describe import describe_filters
from dashboard.core.data.exports import incidents_csv, incidents_geojson, incidents_kml
from dashboard.render.chart_set import view_charts
from dashboard.render.maps import build_incident_map
from dashboard.render.standalone import standalone_html
from dashboard.render.tiles import basemap_from_env

from dashboard.ui import data
from dashboard.ui import state as view_state
from dashboard.ui.tables import incident_rows

TITLE = "Attacks on US and coalition forces in Iraq, Syria and Jordan"


def _file_stem(selection) -> str:
    start = selection.filters.start.isoformat() if selection.filters.start else "all"
    end = selection.filters.end.isoformat() if selection.filters.end else "all"
    return f"incidents_{start}_{end}"


def render(loaded: data.Loaded, selection) -> None:
    """Four download buttons; each file is made only when its button is pressed."""
    incidents, placements, sites = selection.incidents, selection.placements, loaded.dataset.sites
    site_names = dict(zip(sites["site_id"], sites["name"]))
    sentence = describe_filters(selection.filters, len(incidents), loaded.vocabulary.first, loaded.vocabulary.last,
                                site_names)
    stem = _file_stem(selection)
    state = view_state.current(loaded.vocabulary)

    def page() -> str:
        start, end = data.date_span(loaded, selection.filters)
        undated, _, _ = data.select(loaded, replace(selection.filters, start=None, end=None))
        figures = view_charts(incidents, undated, sites, loaded.dataset.official_counts, state.period, start, end)
        fmap = build_incident_map(placements, incidents, sites, mode=state.view, unmapped=len(selection.unmapped),
                                  basemap=basemap_from_env(), height="600px")
        note = f"{sentence}. Exported {dt.date.today():%d %b %Y} from {view_state.share_url(loaded.vocabulary) or 'the dashboard'}."
        return standalone_html(TITLE, note, fmap.get_root().render(), [c.to_dict() for c in figures.values()],
                               incident_rows(incidents, site_names))

    st.markdown("**Download the selection**")
    columns = st.columns(4)
    columns[0].download_button("CSV (spreadsheets)", lambda: incidents_csv(incidents, sites), f"{stem}.csv",
                               "text/csv", help="One row per incident; cells a spreadsheet would run as formulas are neutralised.")
    columns[1].download_button("GeoJSON", lambda: incidents_geojson(incidents, placements), f"{stem}.geojson",
                               "application/geo+json", help="One point per incident and site; unmapped incidents listed.")
    columns[2].download_button("KML (Google Earth)", lambda: incidents_kml(incidents, placements, sentence), f"{stem}.kml",
                               "application/vnd.google-earth.kml+xml", help="Dated placemarks for Google Earth's time slider.")
    columns[3].download_button("HTML page (map + charts)", page, f"{stem}.html", "text/html",
                               help="One file with the map, the charts and the table; opens without the app.")
