"""The site search above the map and the selected site's card under it: what the site is, how well it is located,
its sources and incidents."""
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


def picker(loaded: Loaded, key: str, on_change=None) -> str | None:
    """The search box over the gazetteer (type part of a name, an alias or an id); returns the picked site's id.

    A click on a marker picks its site too (the map page sets ``key``).
    """
    sites = loaded.sites
    names = loaded.site_names()
    aliases = dict(zip(sites["site_id"], sites["aliases"].fillna("")))
    options = sorted(sites["site_id"], key=lambda s: names[s])
    if st.session_state.get(key) not in options:
        st.session_state[key] = None

    def label(site_id: str) -> str:
        also = aliases.get(site_id, "")
        return f"{names[site_id]} ({site_id})" + (f" · {also}" if also else "")

    return st.selectbox("Selected site", options, index=None, key=key, format_func=label,
                        placeholder="Find a site (name, alias or id) or click a marker", on_change=on_change,
                        label_visibility="collapsed", width=320)


def location(loaded: Loaded, site_id: str | None) -> tuple[float, float] | None:
    """The coordinates of a gazetteer site, or None when it has none (never invented)."""
    if not site_id:
        return None
    rows = loaded.sites[loaded.sites["site_id"] == site_id]
    if rows.empty or rows["lat"].isna().iloc[0] or rows["lon"].isna().iloc[0]:
        return None
    return float(rows["lat"].iloc[0]), float(rows["lon"].iloc[0])


def card(loaded: Loaded, filters: Filters, site_id: str | None) -> None:
    """The card of the picked site, under the map."""
    if site_id is None:
        return
    sites = loaded.sites
    names = loaded.site_names()
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
