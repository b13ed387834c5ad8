"""The view state of a session, read once from the URL and written back to it after every run."""
from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from dashboard.core.view.share import ViewState, Vocabulary, encode_view, parse_view

STATE_KEY = "_view_state"
WARNINGS_KEY = "_url_warnings"
INITIAL_KEY = "_view_from_url"


def current(vocabulary: Vocabulary) -> ViewState:
    """The session's view state; on the session's first run it comes from the URL's query parameters."""
    if STATE_KEY not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
        state, warnings = parse_view(params, vocabulary)
        st.session_state[STATE_KEY] = state
        st.session_state[INITIAL_KEY] = state
        st.session_state[WARNINGS_KEY] = warnings
    return st.session_state[STATE_KEY]


def update(**changes) -> ViewState:
    """Change the view state (``view``, ``period``, ``focus`` or ``filters``)."""
    state = replace(st.session_state[STATE_KEY], **changes)
    st.session_state[STATE_KEY] = state
    return state


def url_warnings() -> list[str]:
    """Warnings about the link the session was opened with, while the view is still the one it asked for."""
    if st.session_state.get(STATE_KEY) != st.session_state.get(INITIAL_KEY):
        return []
    return st.session_state.get(WARNINGS_KEY, [])


def write_url(vocabulary: Vocabulary) -> dict[str, str]:
    """Put the view state into the address bar (only when it changed); return the parameters."""
    params = encode_view(st.session_state[STATE_KEY], vocabulary)
    present = {key: st.query_params.get(key) for key in st.query_params.keys()}
    if present != params:
        st.query_params.from_dict(params)
    return params


def share_url(vocabulary: Vocabulary) -> str:
    """The full link to this view: the page's address plus the view's query string."""
    params = encode_view(st.session_state[STATE_KEY], vocabulary)
    base = st.context.url or ""
    return base + ("?" + urlencode(params) if params else "")
