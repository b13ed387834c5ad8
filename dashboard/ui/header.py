"""What every page shows on top: link warnings, the sentence describing the view, headline metrics, the share link."""
from __future__ import annotations

import streamlit as st

from dashboard.core.view.describe import describe_filters
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


def render_header(loaded: Loaded, filters: Filters) -> None:
    """Warnings about the link, the sentence, the metrics (from the query layer)."""
    for warning in view_state.url_warnings():
        st.warning(escape_markdown(warning))
    vocabulary = loaded.vocabulary
    figures = data.ask(loaded.key, "headline", filters)
    sentence = describe_filters(filters, figures["Incidents"], vocabulary.first, vocabulary.last, loaded.site_names())
    st.markdown(f"**{escape_markdown(sentence)}**")
    for column, (label, value) in zip(st.columns(len(figures)), figures.items()):
        column.metric(label, value, help=HELP.get(label))


def render_share_box(loaded: Loaded) -> None:
    """The "Link to this view" box in the sidebar."""
    url = view_state.share_url(loaded.vocabulary)
    with st.sidebar:
        st.subheader("Link to this view")
        st.code(url or "(open the app in a browser to get a full link)", language=None, wrap_lines=True)
        st.caption("The address bar holds the same link: filters, map mode, chart period and selected site.")
