"""The usual Streamlit + folium recipe, as a new user writes it: the baseline that bench_browser.py measures the app against.

Load ``incidents.csv`` with pandas under ``st.cache_data``, place each incident at the coordinates of
the first site it names (``sites.csv``), filter by a date range and countries from the sidebar, and
draw every filtered point in one ``FastMarkerCluster`` with ``st_folium`` plus an Altair chart of
incidents per day. Nothing of the dashboard's code is used. The data folder is ``$DASHBOARD_DATA``.

Run: ``DASHBOARD_DATA=/path/to/folder streamlit run benchmarks/recipe_app.py``. Its map needs
folium's CDN assets (Leaflet, markercluster, awesome-markers, ...); bench_browser.py serves them
from local copies.
"""
import os
from pathlib import Path

import altair as alt
import folium
import pandas as pd
import streamlit as st
from folium.plugins import FastMarkerCluster
from streamlit_folium import st_folium

st.set_page_config(page_title="Incidents (recipe)", layout="wide")


@st.cache_data
def load_incidents(folder: str) -> pd.DataFrame:
    """Every incident with the coordinates of the first site it names (NaN where there are none)."""
    incidents = pd.read_csv(Path(folder) / "incidents.csv", keep_default_na=False)
    sites = pd.read_csv(Path(folder) / "sites.csv", usecols=["site_id", "lat", "lon"])
    incidents["first_site"] = incidents["site_id"].astype(str).str.split(";").str[0]
    placed = incidents.merge(sites.rename(columns={"site_id": "first_site"}), on="first_site", how="left")
    placed["date"] = pd.to_datetime(placed["date"])
    return placed


data = load_incidents(os.environ["DASHBOARD_DATA"])
first, last = data["date"].min().date(), data["date"].max().date()

st.title("Incidents")
with st.sidebar:
    dates = st.date_input("Dates", (first, last), min_value=first, max_value=last)
    countries = st.multiselect("Country", ["Iraq", "Jordan", "Syria"])

start, end = dates if len(dates) == 2 else (first, last)
chosen = data[data["date"].between(pd.Timestamp(start), pd.Timestamp(end))]
if countries:
    chosen = chosen[chosen["country"].str.contains("|".join(countries))]
st.metric("Incidents", len(chosen))

points = chosen.dropna(subset=["lat", "lon"])
m = folium.Map(location=[33.0, 41.5], zoom_start=5)
FastMarkerCluster(points[["lat", "lon"]].values.tolist()).add_to(m)
st_folium(m, returned_objects=[], height=560, use_container_width=True)

per_day = chosen.groupby(chosen["date"].dt.date).size().rename("incidents").reset_index()
st.altair_chart(alt.Chart(per_day).mark_bar().encode(x="date:T", y="incidents:Q"), use_container_width=True)
