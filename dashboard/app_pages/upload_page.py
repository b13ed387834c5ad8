"""Import a file: an ACLED, UCDP GED or GDELT export, imported for this session only and shown with its report."""
import pandas as pd
import streamlit as st

from dashboard.core.importers import FileRefusedError, import_events
from dashboard.core.importers.unpack import MB
from dashboard.ui import context, uploads
from dashboard.ui.markdown import escape_markdown

loaded, _ = context.current()
st.header("Import an event file")
st.caption("An export from ACLED, the UCDP Georeferenced Event Dataset or GDELT (CSV, tab-separated, or a zip holding "
           "one such file). It is imported for your session only: nothing is written into the server's data. Every "
           "row is accounted for: imported, or rejected with its line, column and reason. Events within the radius of "
           "a gazetteer site are linked to it; the others keep their own coordinates.")

with st.form("upload"):
    upload = st.file_uploader(f"Event file (up to {uploads.limit_mb():,} MB, also once unzipped)",
                              type=["csv", "tsv", "txt", "zip"], key=uploads.widget_key())
    left, right = st.columns(2)
    chosen = left.selectbox("Format", ["auto", "acled", "ucdp", "gdelt"], key="upload_format",
                            format_func=lambda f: {"auto": "Detect from the file", "acled": "ACLED", "ucdp": "UCDP GED",
                                                   "gdelt": "GDELT"}[f])
    radius = right.number_input("Link to a site within (km)", min_value=0.5, max_value=100.0, value=10.0, step=0.5,
                                key="upload_radius")
    submitted = st.form_submit_button("Import")

if submitted and upload is not None:
    limit = uploads.limit_bytes()
    if upload.size > limit:  # the browser refuses such a file first; this guards a client that does not
        uploads.release(upload)
        st.error(f"{escape_markdown(upload.name)} is {upload.size / MB:.0f} MB; files up to {uploads.limit_mb()} MB can be imported "
                 "here. Larger files: use `python -m dashboard import` on the command line.")
        st.stop()
    sha = uploads.content_hash(upload)
    bar = st.progress(0.0, text="Importing…")

    def advance(done: int, total: int | None) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.5, text=f"Imported {done:,} of {total or '?'} records")

    try:
        result = import_events(upload, format=chosen, radius_km=radius, sites=loaded.sites, progress=advance,
                               max_bytes=limit)
    except FileRefusedError as exc:
        bar.empty()
        uploads.release(upload)
        st.error(f"{escape_markdown(upload.name)} was not imported: {escape_markdown(exc)}")
        st.stop()
    bar.empty()
    uploads.store(upload.name, sha, result.events, result.report, loaded.sites)
    del result
    uploads.release(upload)
    st.rerun()

current = uploads.current()
if not current:
    st.stop()
report = current["report"]
st.subheader(f"Import report: {escape_markdown(current['name'])}")
if not report.get("rows_imported"):
    st.warning("No row of this file could be imported, so the pages go on showing the bundled data. The rejected "
               "rows are listed below with their line, column and reason.")
st.info(f"Source and attribution: {escape_markdown(report.get('notice', ''))}")
columns = st.columns(5)
for column, (label, key) in zip(columns, [("Format", "source_dataset"), ("Rows read", "rows_read"),
                                          ("Imported", "rows_imported"), ("Rejected", "rows_rejected"),
                                          ("Linked to a site", "linked_to_sites")]):
    value = report.get(key, "")
    column.metric(label, f"{value:,}" if isinstance(value, int) else str(value))
st.caption(f"Layout: {escape_markdown(report.get('layout', ''))}; encoding {escape_markdown(report.get('encoding', ''))}; "
           f"{report.get('without_coordinates', 0):,} imported rows have no coordinates; "
           f"{(report.get('duplicate_ids') or {}).get('ids', 0):,} ids appear more than once "
           f"({(report.get('duplicate_ids') or {}).get('rows', 0):,} rows, all kept, none merged).")
if report.get("rejections"):
    st.markdown("**Rejected rows** (file line, column, value, reason)")
    st.dataframe(pd.DataFrame(report["rejections"]), hide_index=True, width="stretch")
st.markdown("Choose **Data shown** in the sidebar to see the file alone or with the bundled data on every page. "
            "Links to this view name only filters, so they do not carry the uploaded file.")
if st.button("Forget the uploaded file"):
    uploads.forget()
    st.rerun()
