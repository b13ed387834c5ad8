"""Data & sources page: the filtered incidents with sources, official totals, data quality, exports."""
from pathlib import Path

import streamlit as st

from dashboard.core.query.rows import SORT_COLUMNS
from dashboard.core.view.display import loosely_placed_sites, official_rows, sites_without_coordinates
from dashboard.ui import context, data, exports_box
from dashboard.ui.header import render_data_links
from dashboard.ui.tables import incident_table

PAGE_SIZE = 500
SORT_LABELS = {"date": "date", "incident_id": "id", "event_type": "type", "killed": "killed", "injured": "injured",
               "confirmation": "status", "place": "place as reported"}

loaded, filters = context.current()
site_names = loaded.site_names()
ask = data.ask

st.subheader("Incidents in the current filter")
total = ask(loaded.key, "headline", filters)["Incidents"]
left, middle, right = st.columns([2, 1, 1])
sort = left.selectbox("Sort by", SORT_COLUMNS, format_func=SORT_LABELS.get, key="data_sort")
descending = middle.toggle("Largest / latest first", key="data_descending")
pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
page = right.number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, value=1, step=1, key="data_page")
first = (int(page) - 1) * PAGE_SIZE
st.caption(f"Rows {min(first + 1, total):,}–{min(first + PAGE_SIZE, total):,} of {total:,}. Each record keeps every "
           "source it was built from; the downloads below hold every row.")
incident_table(ask(loaded.key, "page", filters, first, PAGE_SIZE, sort, descending), site_names, height=420)
exports_box.render(loaded, filters)
render_data_links(loaded)

st.subheader("Official running totals")
st.dataframe(official_rows(loaded.official_counts), hide_index=True, width="stretch",
             column_config={"first source": st.column_config.LinkColumn("first source"),
                            "date reported": st.column_config.DateColumn(format="YYYY-MM-DD")})

st.subheader("Data quality")
listed, unmapped = ask(loaded.key, "page_with_total", filters, 0, PAGE_SIZE, "date", False, "unmapped")
st.markdown(f"**{unmapped} selected incidents are not on the map**")
if unmapped:
    if unmapped > PAGE_SIZE:
        st.caption(f"The first {PAGE_SIZE} by date.")
    incident_table(listed, site_names, extra={"why not mapped": listed["unmapped_reason"]})
missing = sites_without_coordinates(loaded.sites)
st.markdown(f"**{len(missing)} gazetteer sites have no citable coordinate** (never invented; their incidents stay unmapped)")
st.dataframe(missing, hide_index=True, width="stretch")
loose = loosely_placed_sites(loaded.sites)
st.markdown(f"**{len(loose)} sites are placed at a nearby reference point or town**; the map draws a ring of "
            "their uncertainty instead of moving them")
st.dataframe(loose, hide_index=True, width="stretch")
listed, uncertain = ask(loaded.key, "page_with_total", filters, 0, PAGE_SIZE, "date", False, "uncertain_date")
st.markdown(f"**{uncertain} selected incidents have an inferred or approximate date**")
if uncertain:
    if uncertain > PAGE_SIZE:
        st.caption(f"The first {PAGE_SIZE} by date.")
    incident_table(listed, site_names)
if loaded.stored.warnings:
    st.markdown("**Kept as printed by the sources, though inconsistent:**")
    for problem in loaded.stored.warnings:
        st.text(str(problem))

st.subheader("Where the data comes from")
st.text(f"Data folder: {Path(loaded.folder).name}")
st.caption(f"{len(loaded.stored.seeds)} source documents, each recorded in seeds/ with the facts it reports "
           "(in our words) and the rows they support.")
st.dataframe([{"published": seed.get("published"), "publisher": seed.get("publisher"),
               "document": seed.get("document_id"), "facts": len(seed.get("facts", [])),
               "address": seed.get("url") or ""} for seed in loaded.stored.seeds],
             hide_index=True, height=320, key="seed_documents")
