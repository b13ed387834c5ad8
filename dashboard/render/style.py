"""Colours and labels shared by the map and the charts, so a type looks the same everywhere."""
from __future__ import annotations

import re
from typing import Iterable

from dashboard.core.data.columns import ALL_EVENT_COLOURS, ALL_EVENT_TYPES

#: Every event type's colour (the curated six, then the imported categories), for callers that need the table.
EVENT_COLOURS = ALL_EVENT_COLOURS
COUNTRY_COLOURS: dict[str, str] = {"Iraq": "#0072B2", "Syria": "#D55E00", "Jordan": "#009E73"}
UNCERTAINTY_COLOUR = "#555555"


def event_colour(event_type: str) -> str:
    """The colour of ``event_type`` (curated or imported); that of ``unknown`` for a code the app does not know."""
    return ALL_EVENT_COLOURS.get(event_type, ALL_EVENT_COLOURS["unknown"])


def event_label(event_type: str) -> str:
    """The label of ``event_type`` (curated or imported); the code itself for one the app does not know."""
    return ALL_EVENT_TYPES.get(event_type, event_type)


def types_in_order(present: Iterable[str]) -> list[str]:
    """The event types of ``present`` in display order (the curated six, then the imported ones), each once.

    Codes the app does not know come last, in the order first seen, so a legend or a chart never drops a
    value that is in the data.
    """
    seen = list(dict.fromkeys(present))
    known = set(ALL_EVENT_TYPES)
    return [code for code in ALL_EVENT_TYPES if code in seen] + [code for code in seen if code not in known]


def text_colour_on(background: str) -> str:
    """``#000000`` or ``#ffffff``, whichever contrasts more with ``background`` (``#RRGGBB``), by WCAG 2.x.

    Raises ValueError when ``background`` is not a ``#RRGGBB`` colour.
    """
    if not (isinstance(background, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", background)):
        raise ValueError(f"`background` was {background!r} but is expected to be a colour written #RRGGBB")
    channels = [int(background[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # contrast with black (L + 0.05) / 0.05 against white 1.05 / (L + 0.05): black wins above L ~ 0.179
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#ffffff"
