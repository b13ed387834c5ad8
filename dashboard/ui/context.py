"""Load the data, draw the shared filters and hand every page the same selection."""
from __future__ import annotations

import streamlit as st

from dashboard.core.data.problems import DataValidationError

from dashboard.ui import data, uploads
from dashboard.ui.header import Selection
from dashboard.ui.markdown import escape_markdown
from dashboard.ui.sidebar import render_filters

CONTEXT_KEY = "_page_context"


def prepare() -> tuple[data.Loaded, Selection]:
    """Run once per script run in the entry point; stops the app with the problem list when the data is invalid."""
    upload = uploads.render_source_choice()
    try:
        loaded = data.load(upload)
    except ValueError as exc:
        if not isinstance(exc, DataValidationError):  # the upload cannot be combined with the data
            st.error(f"The uploaded file cannot be shown with the bundled data: {escape_markdown(exc)}")
            uploads.forget()
            st.stop()
        st.error(f"The data in the folder {escape_markdown(data.data_folder().name)} cannot be shown until these "
                 "problems are fixed "
                 "(nothing was changed or dropped):")
        st.dataframe([p.as_dict() for p in exc.problems], hide_index=True)
        st.stop()
    filters = render_filters(loaded)
    incidents, placements, unmapped = data.select(loaded, filters)
    selection = Selection(filters, incidents, placements, unmapped)
    st.session_state[CONTEXT_KEY] = (loaded, selection)
    return loaded, selection


def current() -> tuple[data.Loaded, Selection]:
    """The context the entry point prepared in this run (for page scripts)."""
    return st.session_state[CONTEXT_KEY]
