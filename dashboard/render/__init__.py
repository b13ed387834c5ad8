"""Folium maps and Altair charts built from core results; no streamlit here."""
