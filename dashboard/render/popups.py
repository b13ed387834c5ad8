"""Text for the map's popups and tooltips: escaping for HTML and JavaScript, casualty figures in words."""
from __future__ import annotations

import html

import pandas as pd


def safe(value) -> str:
    """Text made safe for HTML and for the JavaScript template literal folium puts popups in.

    ``html.escape`` handles ``< > & " '``; backticks, ``$`` and backslashes
    would otherwise end or alter folium's template literal.
    """
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=True)
    return text.replace("`", "&#96;").replace("$", "&#36;").replace("\\", "&#92;")


def figure_text(low, high) -> str | None:
    """``3``, ``3–7``, ``up to 7`` or None when no figure is stated."""
    has_low, has_high = not pd.isna(low) if low is not None else False, not pd.isna(high) if high is not None else False
    if has_low and has_high and int(high) != int(low):
        return f"{int(low)}–{int(high)}"
    if has_low:
        return str(int(low))
    if has_high:
        return f"up to {int(high)}"
    return None


def casualty_summary(row) -> str:
    """``killed 3, injured 34–47`` from the numeric columns, or ``no figures stated``."""
    parts = []
    for word, low, high in (("killed", row.killed, row.killed_max), ("injured", row.injured, row.injured_max)):
        text = figure_text(low, high)
        if text is not None:
            parts.append(f"{word} {text}")
    return ", ".join(parts) or "no figures stated"
