"""Sortable incident tables (st.dataframe shows text as text, so nothing from the data is read as HTML)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.data.columns import STATUS_LABELS, EVENT_TYPES
from dashboard.core.data.validate import is_http_url


def incident_rows(incidents: pd.DataFrame, site_names: dict[str, str]) -> pd.DataFrame:
    """The incidents as a display table: one row each, lists joined, the first http(s) source as a link."""
    return pd.DataFrame({
        "date": incidents["date"].dt.date,
        "id": incidents["incident_id"],
        "type": incidents["event_type"].map(lambda t: EVENT_TYPES.get(t, t)),
        "place as reported": incidents["place"],
        "sites": incidents["site_id"].map(lambda ids: "; ".join(site_names.get(s, s) for s in ids)),
        "country": incidents["country"].map("; ".join),
        "killed": incidents["killed"],
        "injured": incidents["injured"],
        "casualties as reported": incidents["casualties"],
        "status": incidents["confirmation"].map(lambda c: STATUS_LABELS.get(c, c)),
        "actor": incidents["actor"],
        "first source": incidents["sources"].map(lambda s: next((u for u in s if is_http_url(u)), None)),
        "all sources": incidents["sources"].map(" ; ".join),
        "notes": incidents["notes"],
    })


def incident_table(incidents: pd.DataFrame, site_names: dict[str, str], height: int | str = "auto") -> None:
    st.dataframe(
        incident_rows(incidents, site_names), hide_index=True, height=height, width="stretch",
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "first source": st.column_config.LinkColumn("first source"),
            "killed": st.column_config.NumberColumn("killed", help="lower stated figure"),
            "injured": st.column_config.NumberColumn("injured", help="lower stated figure"),
        },
    )
