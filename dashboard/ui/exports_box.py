"""Download buttons for the current selection: CSV, GeoJSON, KML and a standalone HTML page of the view."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.core.data.exports import incidents_csv, incidents_geojson, incidents_kml
from dashboard.core.query import rows
from dashboard.core.view.describe import describe_filters
from dashboard.core.view.display import incident_rows
from dashboard.core.view.filters import Filters
from dashboard.render.chart_set import view_charts
from dashboard.render.maps import build_incident_map
from dashboard.render.standalone import standalone_html
from dashboard.render.tiles import basemap_from_env

from dashboard.ui import data
from dashboard.ui import state as view_state

TITLE = "Attacks on US and coalition forces in Iraq, Syria and Jordan"
#: Rows listed in the HTML page's table (the CSV holds every row).
HTML_TABLE_ROWS = rows.MAX_PAGE


def _file_stem(filters: Filters) -> str:
    start = filters.start.isoformat() if filters.start else "all"
    end = filters.end.isoformat() if filters.end else "all"
    return f"incidents_{start}_{end}"


def render(loaded: data.Loaded, filters: Filters) -> None:
    """Four download buttons; each file is made only when its button is pressed, from the query layer."""
    sites, site_names = loaded.sites, loaded.site_names()
    total = data.ask(loaded.key, "headline", filters)["Incidents"]
    sentence = describe_filters(filters, total, loaded.vocabulary.first, loaded.vocabulary.last, site_names)
    stem = _file_stem(filters)
    state = view_state.current(loaded.vocabulary)
    source = loaded.source

    def page() -> str:
        start, end = data.date_span(loaded, filters)
        counts = data.ask(loaded.key, "charts", filters, state.period, start.isoformat(), end.isoformat())
        fmap = build_incident_map(data.ask(loaded.key, "map", filters, state.view), sites,
                                  basemap=basemap_from_env(), height="600px")
        note = f"{sentence}. Exported {dt.date.today():%d %b %Y} from {view_state.share_url(loaded.vocabulary) or 'the dashboard'}."
        listed = rows.page(source, filters, 0, HTML_TABLE_ROWS)
        if total > HTML_TABLE_ROWS:
            note += f" The table lists the first {HTML_TABLE_ROWS:,} of the {total:,} incidents by date; the CSV holds all."
        return standalone_html(TITLE, note, fmap.get_root().render(), [c.to_dict() for c in view_charts(counts).values()],
                               incident_rows(listed, site_names))

    st.markdown("**Download the selection**")
    columns = st.columns(4)
    columns[0].download_button("CSV (spreadsheets)", lambda: incidents_csv(rows.all_rows(source, filters), sites),
                               f"{stem}.csv", "text/csv",
                               help="One row per incident; cells a spreadsheet would run as formulas are neutralised.")
    columns[1].download_button("GeoJSON", lambda: incidents_geojson(rows.all_rows(source, filters),
                                                                    rows.all_placements(source, filters)),
                               f"{stem}.geojson", "application/geo+json",
                               help="One point per incident and site; unmapped incidents listed.")
    columns[2].download_button("KML (Google Earth)", lambda: incidents_kml(rows.all_rows(source, filters),
                                                                           rows.all_placements(source, filters), sentence),
                               f"{stem}.kml", "application/vnd.google-earth.kml+xml",
                               help="Dated placemarks for Google Earth's time slider.")
    columns[3].download_button("HTML page (map + charts)", page, f"{stem}.html", "text/html",
                               help="One file with the map, the charts and the table; opens without the app.")
