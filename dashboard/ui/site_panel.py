"""The selected site's card under the map: what it is, how well it is located, its sources and incidents."""
from __future__ import annotations

import streamlit as st

from dashboard.core.data.columns import COORD_PRECISIONS
from dashboard.core.places.join import site_uncertainty_km
from dashboard.core.view.filters import Filters

from dashboard.ui import data
from dashboard.ui.data import Loaded
from dashboard.ui.markdown import escape_markdown
from dashboard.ui.tables import incident_table

#: Incidents listed in the card; the Data & sources page lists them all.
LISTED = 200


def render(loaded: Loaded, filters: Filters, key: str) -> str | None:
    """Draw the site picker and the card of the picked site; return its id (or None)."""
    sites = loaded.sites
    names = loaded.site_names()
    options = [None] + sorted(sites["site_id"], key=lambda s: names[s])
    if st.session_state.get(key) not in options:
        st.session_state[key] = None
    site_id = st.selectbox("Selected site (click a marker on the map, or pick one)", options, key=key,
                           format_func=lambda s: "(none)" if s is None else f"{names[s]} ({s})", placeholder="(none)")
    if site_id is None:
        return None
    site = sites.set_index("site_id").loc[site_id]
    listed, total = data.ask(loaded.key, "page_with_total", filters, 0, LISTED, "date", False, "all", site_id)
    with st.container(border=True):
        st.subheader(escape_markdown(site["name"]))
        st.text(f"{site['site_type']} · {site['admin1']} · {site['country']} · {site_id}")
        if site["lat"] != site["lat"]:
            st.warning("No citable coordinate for this site: its incidents are listed but not drawn on the map.")
        else:
            radius = site_uncertainty_km(site["coord_precision"], site["coord_uncertainty_km"])
            st.text(f"Coordinates {site['lat']:.5f}, {site['lon']:.5f}: "
                    f"{COORD_PRECISIONS.get(site['coord_precision'], site['coord_precision'])}"
                    + (f", the facility may lie up to about {radius:g} km away" if radius else ""))
        if site["aliases"]:
            st.text("Also written: " + site["aliases"])
        st.text("Source: " + site["source"])
        if site["notes"]:
            st.text("Notes: " + site["notes"])
        st.markdown(f"**{total} incident{'s' if total != 1 else ''} here in the current filter**")
        if total:
            if total > LISTED:
                st.caption(f"The first {LISTED} by date; the Data & sources page lists all {total:,}.")
            incident_table(listed, names, height=min(400, 40 + 35 * len(listed)))
    return site_id
