"""Colours and labels shared by the map and the charts, so a type looks the same everywhere."""
from __future__ import annotations

from dashboard.core.data.columns import EVENT_COLOURS, EVENT_TYPES

COUNTRY_COLOURS: dict[str, str] = {"Iraq": "#0072B2", "Syria": "#D55E00", "Jordan": "#009E73"}
UNCERTAINTY_COLOUR = "#555555"


def event_colour(event_type: str) -> str:
    return EVENT_COLOURS.get(event_type, EVENT_COLOURS["unknown"])


def event_label(event_type: str) -> str:
    return EVENT_TYPES.get(event_type, event_type)
