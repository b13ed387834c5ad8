"""Data & sources page: the filtered incidents with sources, official totals, data quality, exports."""
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard.core.data.columns import COUNT_QUALIFIERS
from dashboard.core.data.validate import is_http_url
from dashboard.ui import context, exports_box
from dashboard.ui.tables import incident_rows, incident_table

loaded, selection = context.current()
dataset = loaded.dataset
site_names = dict(zip(dataset.sites["site_id"], dataset.sites["name"]))

st.subheader("Incidents in the current filter")
st.caption("Sort by clicking a column header. Each record keeps every source it was built from.")
incident_table(selection.incidents, site_names, height=420)
exports_box.render(loaded, selection)

st.subheader("Official running totals")
counts = dataset.official_counts
st.dataframe(pd.DataFrame({
    "date reported": counts["date_reported"].dt.date,
    "total": counts["cumulative_total"],
    "wording": counts["qualifier"].map(lambda q: (COUNT_QUALIFIERS.get(q, q) or "exactly").strip()),
    "Iraq": counts["iraq"], "Syria": counts["syria"],
    "reported by": counts["reported_by"],
    "date": counts["date_certainty"],
    "first source": counts["sources"].map(lambda s: next((u for u in s if is_http_url(u)), None)),
    "all sources": counts["sources"].map(" ; ".join),
    "notes": counts["notes"],
}), hide_index=True, width="stretch",
    column_config={"first source": st.column_config.LinkColumn("first source"),
                   "date reported": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("Data quality")
unmapped = selection.unmapped.merge(selection.incidents, on="incident_id", how="left")
st.markdown(f"**{len(unmapped)} selected incidents are not on the map**")
if len(unmapped):
    table = incident_rows(unmapped, site_names)
    table.insert(2, "why not mapped", unmapped["reason"].to_numpy())
    st.dataframe(table, hide_index=True, width="stretch")
missing = dataset.sites[dataset.sites["lat"].isna()]
st.markdown(f"**{len(missing)} gazetteer sites have no citable coordinate** (never invented; their incidents stay unmapped)")
st.dataframe(missing[["site_id", "name", "country", "site_type", "source", "notes"]], hide_index=True,
             width="stretch")
loose = dataset.sites[dataset.sites["coord_precision"].isin(["approximate", "town"])]
st.markdown(f"**{len(loose)} sites are placed at a nearby reference point or town**; the map draws a ring of "
            "their uncertainty instead of moving them")
st.dataframe(loose[["site_id", "name", "coord_precision", "coord_uncertainty_km", "notes"]], hide_index=True,
             width="stretch")
uncertain_dates = selection.incidents[selection.incidents["date_certainty"] != "reported"]
st.markdown(f"**{len(uncertain_dates)} selected incidents have an inferred or approximate date**")
if len(uncertain_dates):
    incident_table(uncertain_dates, site_names)
if dataset.warnings:
    st.markdown("**Kept as printed by the sources, though inconsistent:**")
    for problem in dataset.warnings:
        st.text(str(problem))

st.subheader("Where the data comes from")
st.text(f"Data folder: {Path(loaded.folder).name}")
for seed in dataset.seeds:
    st.text(f"{seed.get('published')} · {seed.get('publisher')} · {seed.get('document_id')} · "
            f"{len(seed.get('facts', []))} facts")
