"""The sidebar filters shared by every page: date range with quick choices, country, site, type, status."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.core.view.filters import Filters
from dashboard.core.data.columns import ALL_EVENT_TYPES, CAMPAIGN_START, STATUS_LABELS
from dashboard.core.view.share import Vocabulary

from dashboard.ui import state as view_state
from dashboard.ui.data import Loaded

DATES, COUNTRY, SITE, TYPE, STATUS, PRESET = "w_dates", "w_country", "w_site", "w_type", "w_status", "w_preset"
WIDGET_KEYS = (DATES, COUNTRY, SITE, TYPE, STATUS)
view_state.own_widgets(*WIDGET_KEYS)
CAMPAIGN = dt.date.fromisoformat(CAMPAIGN_START)
SPAN = "_data_span"


def presets(vocabulary: Vocabulary) -> dict[str, tuple[dt.date, dt.date]]:
    """Quick date ranges, by label."""
    last = vocabulary.last
    return {
        "Whole dataset": (vocabulary.first, last),
        f"Since {CAMPAIGN.day} {CAMPAIGN:%b %Y}": (min(CAMPAIGN, last), last),
        "Last 30 days of data": (max(vocabulary.first, last - dt.timedelta(days=29)), last),
    }


def _initialise(filters: Filters, vocabulary: Vocabulary) -> None:
    """Give each widget its value from the view state the first time it is drawn."""
    initial = {
        DATES: (filters.start or vocabulary.first, filters.end or vocabulary.last),
        COUNTRY: list(filters.countries),
        SITE: list(filters.sites),
        TYPE: list(filters.types),
        STATUS: list(filters.statuses),
    }
    for key, value in initial.items():
        if key not in st.session_state:
            st.session_state[key] = value


def _follow_data_span(previous: Filters, vocabulary: Vocabulary) -> None:
    """When the data shown changes (an upload), open date bounds move to the new first and last day."""
    span = (vocabulary.first, vocabulary.last)
    if st.session_state.get(SPAN) not in (None, span):
        st.session_state[DATES] = (previous.start or vocabulary.first, previous.end or vocabulary.last)
    st.session_state[SPAN] = span


def _drop_unknown_choices(vocabulary: Vocabulary) -> None:
    """Keep only choices the data shown now has (switching to or from an uploaded file changes them)."""
    for key, choices in ((COUNTRY, vocabulary.countries), (SITE, vocabulary.sites), (TYPE, vocabulary.types),
                         (STATUS, vocabulary.statuses)):
        allowed = set(choices)
        st.session_state[key] = [v for v in st.session_state.get(key, []) if v in allowed]


def _apply_preset(vocabulary: Vocabulary) -> None:
    choice = st.session_state.get(PRESET)
    if choice:
        st.session_state[DATES] = presets(vocabulary)[choice]
    st.session_state[PRESET] = None


def _reset() -> None:
    for key in WIDGET_KEYS:
        st.session_state.pop(key, None)
    view_state.update(filters=Filters(), focus=None)


def _dates_from_widget(vocabulary: Vocabulary, previous: Filters) -> tuple[dt.date | None, dt.date | None]:
    value = st.session_state.get(DATES) or ()
    if len(value) != 2:  # the second day of a range is still being picked
        return previous.start, previous.end
    start, end = value
    return (None if start == vocabulary.first else start), (None if end == vocabulary.last else end)


def render_filters(loaded: Loaded) -> Filters:
    """Draw the filters in the sidebar and return the filters they now select."""
    vocabulary = loaded.vocabulary
    previous = view_state.current(vocabulary).filters
    _initialise(previous, vocabulary)
    _follow_data_span(previous, vocabulary)
    _drop_unknown_choices(vocabulary)
    site_names = loaded.site_names()
    site_country = dict(zip(loaded.sites["site_id"], loaded.sites["country"]))
    chosen = st.session_state[DATES]
    low = min([vocabulary.first, CAMPAIGN] + [d for d in chosen if d])
    high = max([vocabulary.last] + [d for d in chosen if d])

    with st.sidebar:
        st.header("Filters")
        st.date_input("Dates (inclusive)", key=DATES, min_value=low, max_value=high, format="YYYY-MM-DD")
        st.pills("Quick range", list(presets(vocabulary)), key=PRESET, on_change=_apply_preset, args=(vocabulary,))
        st.multiselect("Country", vocabulary.countries, key=COUNTRY, placeholder="All countries")
        st.multiselect("Site", sorted(vocabulary.sites, key=lambda s: site_names.get(s, s)), key=SITE,
                       format_func=lambda s: f"{site_names.get(s, s)} ({site_country.get(s, '')})", placeholder="All sites")
        st.multiselect("Event type", vocabulary.types, key=TYPE, format_func=lambda t: ALL_EVENT_TYPES.get(t, t),
                       placeholder="All types")
        st.multiselect("Confirmation", vocabulary.statuses, key=STATUS, format_func=lambda s: STATUS_LABELS.get(s, s),
                       placeholder="All statuses")
        st.button("Reset filters", on_click=_reset)

    start, end = _dates_from_widget(vocabulary, previous)
    if start and end and start > end:
        start, end = previous.start, previous.end
    filters = Filters(
        start=start, end=end,
        countries=tuple(st.session_state[COUNTRY]), sites=tuple(st.session_state[SITE]),
        types=tuple(st.session_state[TYPE]), statuses=tuple(st.session_state[STATUS]),
    )
    view_state.update(filters=filters)
    return filters
