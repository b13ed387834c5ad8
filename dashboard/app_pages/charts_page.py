"""Charts page: counts over time, against the officials' totals, per site, type and country, casualties."""
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard.core.aggregate import (casualties_by_period, compare_with_official, count_by, count_by_period,
                                      count_by_site, cumulative_counts)
from dashboard.core.schema import ATTACK_TYPES, CAMPAIGN_START
from dashboard.core.share import PERIODS
from dashboard.render import charts
from dashboard.ui import context, data
from dashboard.ui import state as view_state

PERIOD = "w_period"

loaded, selection = context.current()
state = view_state.current(loaded.vocabulary)
st.session_state.setdefault(PERIOD, state.period)
period = st.segmented_control("Count per", list(PERIODS), key=PERIOD) or state.period
view_state.update(period=period)

incidents = selection.incidents
by_country = count_by(incidents, "country")
if len(by_country):
    columns = st.columns(max(len(by_country), 1))
    for column, row in zip(columns, by_country.itertuples(index=False)):
        column.metric(f"Incidents in {row.country or '(no country)'}", int(row.count))

if incidents.empty:
    st.info("No incident passes the filters; widen the date range or clear a filter.")
    st.stop()

start = pd.Timestamp(selection.filters.start or loaded.vocabulary.first)
end = pd.Timestamp(selection.filters.end or loaded.vocabulary.last)
st.altair_chart(charts.counts_over_time_chart(count_by_period(incidents, period, start, end, by="country"), period),
                width="stretch")

# Officials counted every attack since 17 Oct 2023, so the line starts there whatever the date filter.
undated, _, _ = data.select(loaded, replace(selection.filters, start=None, end=None))
attacks = undated[undated["event_type"].isin(ATTACK_TYPES)]
official = loaded.dataset.official_counts
official = official[(official["date_reported"] >= start) & (official["date_reported"] <= end)]
comparison = compare_with_official(attacks, official)
line_end = max(end, official["date_reported"].max()) if len(official) else end
daily = cumulative_counts(count_by_period(attacks[attacks["date"] >= CAMPAIGN_START], "day", CAMPAIGN_START, line_end))
daily = daily[(daily["period"] >= start) & (daily["period"] <= line_end)]
st.altair_chart(charts.cumulative_vs_official_chart(daily, comparison), width="stretch")
st.caption("The line counts the attacks in this dataset that pass the filters (US strikes left out), from 17 Oct 2023; "
           "the points are the running totals officials gave for all attacks on US forces, with their wording. "
           "The gap is what the dataset does not describe individually.")
if len(comparison):
    latest = comparison.iloc[-1]
    st.caption(f"Latest official figure in the range: {int(latest['official_total'])} on "
               f"{latest['date_reported']:%d %b %Y} ({latest['reported_by']}); the dataset holds "
               f"{latest['dataset_total']} of them.")

left, right = st.columns(2)
left.altair_chart(charts.per_site_chart(count_by_site(incidents, loaded.dataset.sites)), width="stretch")
right.altair_chart(charts.per_type_chart(count_by(incidents, "event_type")), width="stretch")
left.altair_chart(charts.per_country_chart(by_country), width="stretch")
right.altair_chart(charts.casualties_chart(casualties_by_period(incidents, period, start, end), period),
                   width="stretch")
