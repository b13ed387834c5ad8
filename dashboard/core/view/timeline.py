"""Time as a sequence of steps: the week or month a map shows while time plays, and how to move through them.

Weeks start on Monday and months on the 1st, as the charts count them. A
position is the first day of a step; the step's window is clipped to the
range the filters select, so the first and last steps of a range may be
shorter than a whole week or month.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import replace

from dashboard.core.view.filters import Filters

STEPS = ("week", "month")
DEFAULT_STEP = "week"
STEP_LABELS = {"week": "Week by week", "month": "Month by month"}


def check_step(step: str) -> None:
    """Raise ValueError naming the argument when ``step`` is not one of :data:`STEPS`."""
    if step not in STEPS:
        raise ValueError(f"`step` was {step!r} but is expected to be in {list(STEPS)}")


def step_start(day: dt.date, step: str) -> dt.date:
    """The first day of the week (Monday) or month that holds ``day``."""
    check_step(step)
    if step == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def step_after(start: dt.date, step: str) -> dt.date:
    """The first day of the step after the one starting on ``start``."""
    check_step(step)
    if step == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def positions(first: dt.date, last: dt.date, step: str) -> list[dt.date]:
    """The first day of every step from the one holding ``first`` to the one holding ``last``.

    >>> positions(dt.date(2023, 10, 17), dt.date(2023, 11, 2), "week")
    [datetime.date(2023, 10, 16), datetime.date(2023, 10, 23), datetime.date(2023, 10, 30)]
    """
    if first > last:
        raise ValueError(f"`first` was {first} but must not be after `last` ({last})")
    out, current = [], step_start(first, step)
    while current <= last:
        out.append(current)
        current = step_after(current, step)
    return out


def window(at: dt.date, step: str, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The days (inclusive) the step at ``at`` shows within ``first``..``last``."""
    start = step_start(at, step)
    end = step_after(start, step) - dt.timedelta(days=1)
    return max(start, first), min(end, last)


def snap(at: dt.date, step: str, first: dt.date, last: dt.date) -> dt.date:
    """``at`` as the first day of its step, moved into ``first``..``last`` when it lies outside."""
    at = min(max(at, first), last)
    return step_start(at, step)


def next_position(at: dt.date, step: str, last: dt.date) -> dt.date | None:
    """The position after ``at``, or None when ``at`` is the last step up to ``last``."""
    following = step_after(step_start(at, step), step)
    return following if following <= last else None


def narrowed(filters: Filters, at: dt.date, step: str, first: dt.date, last: dt.date) -> Filters:
    """``filters`` limited to the step at ``at`` (``first``..``last``: the range the filters select)."""
    start, end = window(at, step, first, last)
    return replace(filters, start=start, end=end)


def step_label(at: dt.date, step: str, first: dt.date, last: dt.date) -> str:
    """How the page names a step: "Week of 13 Nov 2023 (13–19 Nov)" or "November 2023"."""
    start, end = window(at, step, first, last)
    if step == "month":
        whole = start.day == 1 and step_after(start, step) - dt.timedelta(days=1) == end
        return f"{start:%B %Y}" + ("" if whole else f" ({start.day}–{end.day} {end:%b})")
    return f"Week of {step_start(at, step):%-d %b %Y} ({start:%-d %b} – {end:%-d %b})"
