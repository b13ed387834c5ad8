"""What every page shows on top: the title of what is shown, the sentence describing the view with the data's
date, link warnings; the headline figures (beside the map, or on top of the other pages); the share link."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.core.query.engine import Engine
from dashboard.core.view.describe import dataset_title, describe_filters
from dashboard.core.view.filters import Filters

from dashboard.ui import state as view_state
from dashboard.ui import data
from dashboard.ui.data import Loaded
from dashboard.ui.markdown import escape_markdown

HELP = {
    "Incidents": "Incident records that pass the filters; a record naming several sites counts once.",
    "Attacks": "Drone, rocket, missile, mixed and unknown-type attacks on US / coalition forces (curated data only).",
    "Imported events": "Events of the uploaded file; their datasets do not say who was attacked or whether officials confirmed them.",
    "Killed": "Sum of the lower stated figures, all sides; records without a figure add nothing.",
    "Injured": "Sum of the lower stated figures, all sides; records without a figure add nothing.",
    "Sites hit": "Gazetteer sites with coordinates named by, or linked to, the selected incidents.",
    "Not mapped": "Selected incidents that name no site, or only sites without coordinates.",
}


def page_title(loaded: Loaded) -> str:
    """The title of what is shown: the curated campaign, or the imported dataset(s) with their countries and years."""
    return dataset_title(data.ask(loaded.key, "data_parts"))


def data_as_of(loaded: Loaded) -> str:
    """ "Data as of 23 Nov 2025 (latest incident); files changed 28 Nov 2026": how fresh what is shown is."""
    latest = loaded.vocabulary.last
    changed = loaded.changed()
    text = f"Data as of {latest:%-d %b %Y} (latest incident)"
    if changed is not None:
        text += f" · files changed {changed:%-d %b %Y %H:%M} UTC"
    engine = loaded.shared.engine
    if engine.label != Engine.label:  # the default needs no mention; another engine explains a slower page
        text += f" · queries answered by {engine.label}"
    return text


def render_header(loaded: Loaded, filters: Filters, stamp: bool = True) -> None:
    """The title, the sentence describing the view, the data's date (``stamp``; the map page puts it under the
    map) and any warning about the link."""
    vocabulary = loaded.vocabulary
    total = data.ask(loaded.key, "headline", filters)["Incidents"]
    sentence = describe_filters(filters, total, vocabulary.first, vocabulary.last, loaded.site_names())
    st.markdown(f"#### {escape_markdown(page_title(loaded))}")
    st.markdown(f"**{escape_markdown(sentence)}**")
    if stamp:
        st.caption(escape_markdown(data_as_of(loaded)))
    for warning in view_state.url_warnings():
        st.warning(escape_markdown(warning))


def render_metrics(loaded: Loaded, filters: Filters, beside: bool = False) -> None:
    """The headline figures (from the query layer), as boxes that wrap rather than cut a label or a number.

    ``beside``: stacked in a narrow column next to the map; otherwise one wrapping row.
    """
    figures = data.ask(loaded.key, "headline", filters)
    with st.container(horizontal=True, gap="small"):
        for label, value in figures.items():
            st.metric(label, f"{value:,}" if isinstance(value, int) else value, help=HELP.get(label),
                      width="stretch" if beside else "content", border=True)


def render_share_box(loaded: Loaded) -> None:
    """The "Link to this view" box in the sidebar."""
    url = view_state.share_url(loaded.vocabulary)
    with st.sidebar:
        st.subheader("Link to this view")
        st.code(url or "(open the app in a browser to get a full link)", language=None, wrap_lines=True)
        st.caption("The address bar holds the same link: filters, map mode, position, layers and basemap, the time "
                   "step, chart period and selected site. The browser's Back and Forward buttons move between views.")
        render_data_links(loaded)


def render_data_links(loaded: Loaded, where=st) -> None:
    """"This view as GeoJSON · CSV · counts (JSON)": links to the data URLs of the view (or why there are none)."""
    if not loaded.served:
        where.caption("The data URLs serve the server's data, not the file you imported, so this view has none.")
        return
    urls = view_state.data_urls(loaded.vocabulary)
    if not urls:
        return
    links = " · ".join(f"[{label}]({url})" for label, url in urls.items())
    where.markdown(f"This view as data: {links}", help="Data URLs with this view's filters: open them in QGIS "
                   "(Layer → Add Vector Layer → Protocol: HTTP(S)), R (sf::read_sf) or Python "
                   "(geopandas.read_file, pandas.read_csv). They always answer with the current data. See /api.")
