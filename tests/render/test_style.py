"""Colours and labels of every event type, curated and imported, and the order they are shown in."""
from __future__ import annotations

import pytest

from dashboard.core.data.columns import ALL_EVENT_TYPES, EVENT_TYPES, IMPORTED_EVENT_TYPES
from dashboard.render.style import event_colour, event_label, text_colour_on, types_in_order


@pytest.mark.parametrize("code, colour, label", [
    ("drone", "#D55E00", "Drone"),
    ("us_strike", "#009E73", "US strike"),
    ("unknown", "#7F7F7F", "Unknown type"),
    ("state_conflict", "#664466", "State-based armed conflict"),
    ("civilians", "#CC0044", "Violence against civilians"),
    ("protest", "#88CCEE", "Protest"),
    ("not-a-type", "#7F7F7F", "not-a-type"),
])
def test_colour_and_label(code, colour, label):
    assert (event_colour(code), event_label(code)) == (colour, label)


@pytest.mark.parametrize("present, expected", [
    (["protest", "drone", "protest", "battle"], ["drone", "battle", "protest"]),
    (["other", "unknown", "civilians", "us_strike"], ["us_strike", "unknown", "civilians", "other"]),
    (["zzz", "rocket", "aaa"], ["rocket", "zzz", "aaa"]),
    ([], []),
    (list(reversed(list(ALL_EVENT_TYPES))), list(ALL_EVENT_TYPES)),
])
def test_types_in_order(present, expected):
    assert types_in_order(present) == expected


def test_display_order_is_ours_then_imported():
    assert types_in_order([*IMPORTED_EVENT_TYPES, *EVENT_TYPES]) == [*EVENT_TYPES, *IMPORTED_EVENT_TYPES]


@pytest.mark.parametrize("background, text", [
    ("#000000", "#ffffff"), ("#FFFFFF", "#000000"), ("#88CCEE", "#000000"), ("#EECCCC", "#000000"),
    ("#44EE88", "#000000"), ("#664466", "#ffffff"), ("#4422CC", "#ffffff"), ("#0072B2", "#ffffff"),
    ("#E69F00", "#000000"), ("#7F7F7F", "#000000"),
])
def test_text_colour_contrasts(background, text):
    assert text_colour_on(background) == text


@pytest.mark.parametrize("bad", ["red", "#12345", "#GGGGGG", "", None, "123456"])
def test_text_colour_refuses_what_is_not_a_colour(bad):
    with pytest.raises(ValueError, match="`background`"):
        text_colour_on(bad)
