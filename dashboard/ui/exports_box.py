"""Download buttons for the filtered data (filled in once the export formats exist)."""
from __future__ import annotations

import streamlit as st


def render(loaded, selection) -> None:
    st.caption("Exports follow.")
