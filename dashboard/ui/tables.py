"""Sortable incident tables (st.dataframe shows text as text, so nothing from the data is read as HTML)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.core.view.display import incident_rows


def incident_table(incidents: pd.DataFrame, site_names: dict[str, str], height: int | str = "auto",
                   extra: dict[str, pd.Series] | None = None) -> None:
    """Show ``incidents`` (a page of rows from the query layer); ``extra`` columns go after the id."""
    table = incident_rows(incidents, site_names)
    for position, (name, values) in enumerate((extra or {}).items(), start=2):
        table.insert(position, name, list(values))
    st.dataframe(
        table, hide_index=True, height=height, width="stretch",
        column_config={
            "date": st.column_config.DateColumn("date", format="YYYY-MM-DD"),
            "first source": st.column_config.LinkColumn("first source"),
            "killed": st.column_config.NumberColumn("killed", help="lower stated figure"),
            "injured": st.column_config.NumberColumn("injured", help="lower stated figure"),
        },
    )
