"""The map page's time control: a range slider over the data's dates and a player that steps week by week or
month by month through the selected range, the map and a small count chart following.

The step and the position are part of the view (``step`` and ``at`` in the link). While time plays, each
step is one script run; the address is written when it stops, so playing adds no history entries.
"""
from __future__ import annotations

import datetime as dt
import time

import streamlit as st

from dashboard.core.view import timeline
from dashboard.core.view.filters import Filters
from dashboard.core.view.share import ViewState
from dashboard.render.timeline_chart import step_chart

from dashboard.ui import data, sidebar
from dashboard.ui import state as view_state

RANGE, STEP, AT, PLAYING = "w_range", "w_step", "w_at", "_playing"
#: Seconds each step stays on screen while time plays.
PLAY_SECONDS = 1.2
view_state.own_widgets(RANGE, STEP, AT)


def selected_span(loaded: data.Loaded, filters: Filters) -> tuple[dt.date, dt.date]:
    """The first and last day the filters select (the data's own where they leave a bound open)."""
    return filters.start or loaded.vocabulary.first, filters.end or loaded.vocabulary.last


def map_filters(loaded: data.Loaded, filters: Filters, state: ViewState) -> Filters:
    """What the map shows: the filters, limited to the step at ``state.at`` when time is stepped."""
    if state.at is None:
        return filters
    first, last = selected_span(loaded, filters)
    return timeline.narrowed(filters, state.at, state.step, first, last)


def _set_range() -> None:
    st.session_state[sidebar.DATES] = tuple(st.session_state[RANGE])


def _set_step() -> None:
    step = st.session_state.get(STEP) or timeline.DEFAULT_STEP
    at = view_state.current_state().at
    view_state.update(step=step, at=timeline.step_start(at, step) if at else None)


def _set_at() -> None:
    view_state.update(at=st.session_state[AT])


def _play(first: dt.date, last: dt.date) -> None:
    state = view_state.current_state()
    playing = not st.session_state.get(PLAYING)
    st.session_state[PLAYING] = playing
    if playing and (state.at is None or timeline.next_position(state.at, state.step, last) is None):
        view_state.update(at=timeline.step_start(first, state.step))


def _move(first: dt.date, last: dt.date, forward: bool) -> None:
    state = view_state.current_state()
    st.session_state[PLAYING] = False
    steps = timeline.positions(first, last, state.step)
    if state.at is None:
        at = steps[0] if forward else steps[-1]
    else:
        index = steps.index(timeline.snap(state.at, state.step, first, last))
        at = steps[max(0, min(len(steps) - 1, index + (1 if forward else -1)))]
    view_state.update(at=at)


def _whole_range() -> None:
    st.session_state[PLAYING] = False
    view_state.update(at=None)


def render(loaded: data.Loaded, filters: Filters, state: ViewState) -> None:
    """Draw the slider, the player's buttons, the position and the count chart (all from the view state)."""
    vocabulary = loaded.vocabulary
    first, last = selected_span(loaded, filters)
    playing = bool(st.session_state.get(PLAYING))
    low, high = min(vocabulary.first, first), max(vocabulary.last, last)
    if low < high:  # a slider needs two different ends (data of a single day has none)
        st.session_state[RANGE] = (first, last)
        st.slider("Dates", min_value=low, max_value=high, key=RANGE, on_change=_set_range, format="YYYY-MM-DD",
                  help="The same dates as the sidebar's; the map and every page follow them.")
    with st.container(horizontal=True, gap="small", vertical_alignment="bottom"):
        st.button("Pause" if playing else "Play", icon=":material/pause:" if playing else ":material/play_arrow:",
                  key="time_play", on_click=_play, args=(first, last), type="primary" if playing else "secondary",
                  help=f"Step through {first:%-d %b %Y} – {last:%-d %b %Y}, one {state.step} every "
                       f"{PLAY_SECONDS:g} s")
        st.button("Previous", icon=":material/skip_previous:", key="time_back", on_click=_move,
                  args=(first, last, False), help=f"Previous {state.step}")
        st.button("Next", icon=":material/skip_next:", key="time_forward", on_click=_move, args=(first, last, True),
                  help=f"Next {state.step}")
        st.session_state[STEP] = state.step
        st.segmented_control("Step", timeline.STEPS, key=STEP, on_change=_set_step,
                             format_func=lambda s: s.capitalize(), label_visibility="collapsed")
        st.button("Whole range", key="time_all", on_click=_whole_range, disabled=state.at is None)
    steps = timeline.positions(first, last, state.step)
    if state.at is not None:
        st.session_state[AT] = timeline.snap(state.at, state.step, first, last)
        if len(steps) > 1:
            st.select_slider("Showing", steps, key=AT, on_change=_set_at, label_visibility="collapsed",
                             format_func=lambda p: timeline.step_label(p, state.step, first, last))
    counts = data.ask(loaded.key, "timeline", filters, state.step, first.isoformat(), last.isoformat())
    if len(counts):
        st.altair_chart(step_chart(counts, state.step, state.at), width="stretch")


def keep_playing(filters: Filters, loaded: data.Loaded) -> None:
    """At the end of the map page: while time plays, wait one beat, move one step on, and run again."""
    if not st.session_state.get(PLAYING):
        return
    state = view_state.current_state()
    _first, last = selected_span(loaded, filters)
    time.sleep(PLAY_SECONDS)
    following = timeline.next_position(state.at, state.step, last) if state.at else None
    if following is None:
        st.session_state[PLAYING] = False
    else:
        view_state.update(at=following)
    st.rerun()
