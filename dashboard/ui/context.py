"""Load the data, draw the shared filters and hand every page the same view."""
from __future__ import annotations

import streamlit as st

from dashboard.core.data.problems import DataValidationError
from dashboard.core.view.filters import Filters

from dashboard.ui import data, uploads
from dashboard.ui import state as view_state
from dashboard.ui.markdown import escape_markdown
from dashboard.ui.sidebar import render_filters

CONTEXT_KEY = "_page_context"


def prepare(page: str = "") -> tuple[data.Loaded, Filters]:
    """Run once per script run in the entry point (``page``: the page this run shows); stops the app with the
    problem list when the data is invalid.

    What it keeps in ``session_state`` is small: the name of what is shown and the filters, never data.
    """
    upload = uploads.render_source_choice()
    try:
        loaded = data.load(upload)
    except data.EngineSettingError as exc:
        st.error(f"The query engine this server is set to use cannot be used: {escape_markdown(exc)}")
        st.stop()
    except data.ServerEventsError as exc:
        st.error(f"The events file this server is set to show cannot be shown: {escape_markdown(exc)}")
        st.stop()
    except ValueError as exc:
        if not isinstance(exc, DataValidationError):  # the upload cannot be shown with the data
            st.error(f"The uploaded file cannot be shown with the bundled data: {escape_markdown(exc)}")
            uploads.forget()
            st.stop()
        st.error(f"The data in the folder {escape_markdown(data.data_folder().name)} cannot be shown until these "
                 "problems are fixed "
                 "(nothing was changed or dropped):")
        st.dataframe([p.as_dict() for p in exc.problems], hide_index=True)
        st.stop()
    view_state.follow_url(loaded.vocabulary, page)  # Back / Forward: the address's view replaces the session's
    filters = render_filters(loaded)
    st.session_state[CONTEXT_KEY] = (loaded, filters)
    return loaded, filters


def current() -> tuple[data.Loaded, Filters]:
    """The context the entry point prepared in this run (for page scripts)."""
    return st.session_state[CONTEXT_KEY]
