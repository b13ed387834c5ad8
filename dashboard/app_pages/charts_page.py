"""Charts page: counts over time, against the officials' totals, per site, type and country, casualties."""
import streamlit as st

from dashboard.core.query.official import official_in_range
from dashboard.core.view.share import PERIODS
from dashboard.render.chart_set import view_charts
from dashboard.ui import context, data
from dashboard.ui.markdown import escape_markdown
from dashboard.ui import state as view_state

PERIOD = "w_period"

loaded, filters = context.current()
state = view_state.current(loaded.vocabulary)
st.session_state.setdefault(PERIOD, state.period)
period = st.segmented_control("Count per", list(PERIODS), key=PERIOD) or state.period
view_state.update(period=period)

by_country = data.ask(loaded.key, "count_by", filters, "country")
for column, row in zip(st.columns(max(len(by_country), 1)), by_country.itertuples(index=False)):
    column.metric(f"Incidents in {escape_markdown(row.country or '(no country)')}", int(row.count))
if note := data.ask(loaded.key, "multi_country", filters).note():  # why a country appears or the sum is larger
    st.caption(escape_markdown(note))
if not data.ask(loaded.key, "headline", filters)["Incidents"]:
    st.info("No incident passes the filters; widen the date range or clear a filter.")
    st.stop()

start, end = data.date_span(loaded, filters)
counts = data.ask(loaded.key, "charts", filters, period, start.isoformat(), end.isoformat())
if counts["note"]:  # the period was made coarser; the page says why
    st.caption(counts["note"])
figures = view_charts(counts)

st.altair_chart(figures["over_time"], width="stretch")
st.altair_chart(figures["vs_official"], width="stretch")
st.caption("The line counts the attacks in this dataset that pass the filters (US strikes left out), from 17 Oct 2023; "
           "the points are the running totals officials gave for all attacks on US forces, shaped by their wording "
           "(hover over a point to see who gave it). The gap is what the dataset does not describe individually.")
official = official_in_range(loaded.official_counts, start, end)
if len(official):
    latest = data.ask(loaded.key, "compare_latest", filters, official["count_id"].iloc[-1])
    st.caption(f"Latest official figure in the range: {int(latest['official_total'])} on "
               f"{latest['date_reported']:%d %b %Y} ({latest['reported_by']}); the dataset describes "
               f"{latest['dataset_total']} attacks by then.")
left, right = st.columns(2)
left.altair_chart(figures["per_site"], width="stretch")
right.altair_chart(figures["per_type"], width="stretch")
left.altair_chart(figures["per_country"], width="stretch")
right.altair_chart(figures["casualties"], width="stretch")
