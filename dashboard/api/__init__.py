"""The data URLs: the dashboard's views as GeoJSON, CSV and JSON on the app's own server (no Streamlit here)."""
