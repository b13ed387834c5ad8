"""The time player's steps: weeks from Monday, months from the 1st, windows clipped to the selected range."""
from __future__ import annotations

import datetime as dt

import pytest

from dashboard.core.view import timeline
from dashboard.core.view.filters import Filters

D = dt.date


@pytest.mark.parametrize("day, step, expected", [
    (D(2023, 10, 17), "week", D(2023, 10, 16)),   # a Tuesday -> its Monday
    (D(2023, 10, 16), "week", D(2023, 10, 16)),
    (D(2023, 10, 22), "week", D(2023, 10, 16)),   # Sunday ends the week
    (D(2024, 1, 1), "week", D(2024, 1, 1)),
    (D(2023, 10, 17), "month", D(2023, 10, 1)),
    (D(2024, 2, 29), "month", D(2024, 2, 1)),
])
def test_step_start(day, step, expected):
    assert timeline.step_start(day, step) == expected


@pytest.mark.parametrize("start, step, expected", [
    (D(2023, 12, 25), "week", D(2024, 1, 1)),
    (D(2024, 1, 1), "month", D(2024, 2, 1)),
    (D(2024, 12, 1), "month", D(2025, 1, 1)),
    (D(2024, 1, 31), "month", D(2024, 2, 1)),
])
def test_step_after(start, step, expected):
    assert timeline.step_after(start, step) == expected


def test_positions_cover_the_range_and_only_it():
    steps = timeline.positions(D(2023, 10, 17), D(2024, 1, 2), "month")
    assert steps == [D(2023, 10, 1), D(2023, 11, 1), D(2023, 12, 1), D(2024, 1, 1)]
    weeks = timeline.positions(D(2023, 10, 17), D(2023, 10, 17), "week")
    assert weeks == [D(2023, 10, 16)]
    with pytest.raises(ValueError, match="`first` was 2024-01-02"):
        timeline.positions(D(2024, 1, 2), D(2023, 10, 17), "week")


def test_windows_are_clipped_to_the_range():
    first, last = D(2023, 10, 17), D(2023, 11, 2)
    assert timeline.window(D(2023, 10, 16), "week", first, last) == (D(2023, 10, 17), D(2023, 10, 22))
    assert timeline.window(D(2023, 10, 30), "week", first, last) == (D(2023, 10, 30), D(2023, 11, 2))
    assert timeline.window(D(2023, 10, 1), "month", first, last) == (D(2023, 10, 17), D(2023, 10, 31))


def test_next_position_stops_at_the_last_step():
    last = D(2023, 11, 2)
    assert timeline.next_position(D(2023, 10, 23), "week", last) == D(2023, 10, 30)
    assert timeline.next_position(D(2023, 10, 30), "week", last) is None
    assert timeline.next_position(D(2023, 10, 1), "month", last) == D(2023, 11, 1)
    assert timeline.next_position(D(2023, 11, 1), "month", last) is None


def test_every_day_of_the_range_is_in_exactly_one_step():
    first, last = D(2023, 10, 17), D(2024, 3, 5)
    for step in timeline.STEPS:
        days = []
        for at in timeline.positions(first, last, step):
            start, end = timeline.window(at, step, first, last)
            days += [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        assert days == [first + dt.timedelta(days=i) for i in range((last - first).days + 1)], step


def test_narrowed_keeps_the_other_filters():
    filters = Filters(start=D(2023, 10, 17), countries=("Syria",), types=("drone",))
    narrowed = timeline.narrowed(filters, D(2023, 11, 6), "week", D(2023, 10, 17), D(2024, 1, 1))
    assert narrowed == Filters(start=D(2023, 11, 6), end=D(2023, 11, 12), countries=("Syria",), types=("drone",))


@pytest.mark.parametrize("at, step, expected", [
    (D(2023, 11, 13), "week", "Week of 13 Nov 2023 (13 Nov – 19 Nov)"),
    (D(2023, 10, 16), "week", "Week of 16 Oct 2023 (17 Oct – 22 Oct)"),
    (D(2023, 11, 1), "month", "November 2023"),
    (D(2023, 10, 1), "month", "October 2023 (17–31 Oct)"),
])
def test_step_label(at, step, expected):
    assert timeline.step_label(at, step, D(2023, 10, 17), D(2024, 1, 10)) == expected


def test_snap_moves_into_the_range():
    assert timeline.snap(D(2020, 1, 1), "week", D(2023, 10, 17), D(2024, 1, 10)) == D(2023, 10, 16)
    assert timeline.snap(D(2030, 1, 1), "month", D(2023, 10, 17), D(2024, 1, 10)) == D(2024, 1, 1)


def test_unknown_step_is_refused():
    with pytest.raises(ValueError, match="`step` was 'day'"):
        timeline.step_start(D(2024, 1, 1), "day")
