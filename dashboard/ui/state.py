"""The view state of a session: read from the URL, written back to it after every run, and read again when the
URL changes under the app (the browser's Back and Forward buttons, or an edited address).

Streamlit adds a browser history entry whenever the app changes the query
parameters, and reruns the script with the entry's parameters when the user
goes Back or Forward. In such a run the view state is read from the address
again and every view widget is drawn afresh from it. Streamlit marks the run
as a history move; its address alone cannot tell, because a run started by a
widget just after the app changed the address may still carry the previous
address (and taking that for a Back move would drop what the user just chose).
"""
from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import streamlit as st

from dashboard.core.view.share import ViewState, Vocabulary, data_query, encode_view, parse_view

STATE_KEY = "_view_state"
WARNINGS_KEY = "_url_warnings"
INITIAL_KEY = "_view_from_url"
WRITTEN_KEY = "_url_written"
MOVED_KEY = "_url_moved"
PAGE_KEY = "_url_page"
#: Widgets whose value is part of the view; a history move drops their values so they are drawn from the view.
_VIEW_WIDGETS: set[str] = set()


def own_widgets(*keys: str) -> None:
    """Declare widgets (by key) that show part of the view state, so a Back or Forward move resets them."""
    _VIEW_WIDGETS.update(keys)


def _present_params() -> dict[str, str]:
    return {key: st.query_params.get(key) for key in st.query_params.keys()}


def follow_url(vocabulary: Vocabulary, page: str = "") -> bool:
    """At the start of a run: when the address holds other parameters than the app last wrote (Back, Forward, or
    an edited address), make them the view. Returns True when it did (this run only: see :func:`moved`).

    ``page`` names the page this run shows: Streamlit drops the query string when the user opens another page
    from the navigation, and that is not a new view (the view goes on, and is written back to the address).
    """
    st.session_state[MOVED_KEY] = False
    previous_page = st.session_state.get(PAGE_KEY)
    st.session_state[PAGE_KEY] = page
    if STATE_KEY not in st.session_state or WRITTEN_KEY not in st.session_state:
        return False
    params = _present_params()
    if params == st.session_state[WRITTEN_KEY] or not history_move():
        return False
    if not params and previous_page is not None and previous_page != page:
        return False  # the entry Streamlit pushed for a page switch, before the app wrote the view into it
    _read_address(vocabulary)
    for key in _VIEW_WIDGETS:
        st.session_state.pop(key, None)
    st.session_state[MOVED_KEY] = True
    return True


def history_move() -> bool:
    """True when this run was started by the browser's Back or Forward button.

    Streamlit tells its script runner (``is_history_navigation`` of the run's context; there is no public API for
    it in 1.67). Where that is not known, a changed address counts as a move, as it would for an edited address.
    """
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx
    except ImportError:
        return True
    ctx = get_script_run_ctx(suppress_warning=True)
    flag = getattr(ctx, "is_history_navigation", None)
    return True if flag is None else bool(flag)


def moved() -> bool:
    """True in a run whose view came from a changed address (see :func:`follow_url`)."""
    return bool(st.session_state.get(MOVED_KEY))


def current(vocabulary: Vocabulary) -> ViewState:
    """The session's view state; on the session's first run it comes from the URL's query parameters."""
    if STATE_KEY not in st.session_state:
        _read_address(vocabulary)
    return st.session_state[STATE_KEY]


def _read_address(vocabulary: Vocabulary) -> None:
    """Make the address's query parameters the view (with their warnings)."""
    params = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    state, warnings = parse_view(params, vocabulary)
    st.session_state[STATE_KEY] = state
    st.session_state[INITIAL_KEY] = state
    st.session_state[WARNINGS_KEY] = warnings


def current_state() -> ViewState:
    """The session's view state, once :func:`current` has read it (for callbacks, which run before the page)."""
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
    """Put the view state into the address bar (only when it changed; each change is a history entry);
    return the parameters."""
    params = encode_view(st.session_state[STATE_KEY], vocabulary)
    if _present_params() != params:
        st.query_params.from_dict(params)
    st.session_state[WRITTEN_KEY] = params
    return params


def share_url(vocabulary: Vocabulary) -> str:
    """The full link to this view: the page's address plus the view's query string."""
    params = encode_view(st.session_state[STATE_KEY], vocabulary)
    base = st.context.url or ""
    return base + ("?" + urlencode(params) if params else "")


#: The data URLs a page links to, by label: path below the app's root, and whether the chart period goes along.
DATA_LINKS = {"GeoJSON": ("api/incidents.geojson", False), "CSV": ("api/incidents.csv", False),
              "counts (JSON)": ("api/counts.json", True)}


def data_urls(vocabulary: Vocabulary) -> dict[str, str]:
    """This view as data URLs (label -> full URL), from the page's own address; empty when it is not known."""
    if not st.context.url:
        return {}
    parts = urlsplit(st.context.url)
    if parts.scheme not in ("http", "https") or not re.fullmatch(r"[A-Za-z0-9.\-:\[\]]+", parts.netloc):
        return {}  # an address that is not a plain host[:port] is not written into a link
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    root = f"{parts.scheme}://{parts.netloc}/" + (base_path + "/" if base_path else "")
    state = st.session_state[STATE_KEY]
    urls = {}
    for label, (path, with_period) in DATA_LINKS.items():
        params = data_query(state, vocabulary, **({"period": state.period} if with_period else {}))
        urls[label] = root + path + ("?" + urlencode(params) if params else "")
    return urls
