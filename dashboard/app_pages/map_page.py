"""Map page: where the filtered incidents happened, by site or one by one, and the selected site's details."""
import re

import streamlit as st
from streamlit_folium import st_folium

from dashboard.ui import context, site_panel
from dashboard.ui.map_cache import incident_map
from dashboard.ui import state as view_state

MODE, FOCUS, MAP = "w_view", "w_focus", "incident_map"
MODES = {"sites": "Sites", "incidents": "Incidents"}
SITE_IN_TOOLTIP = re.compile(r"\(([A-Za-z0-9_.\-]+)\)\s*$")


def _clicked() -> None:
    """A click on a site or incident marker selects that site (before the rerun draws the page)."""
    tooltip = (st.session_state.get(MAP) or {}).get("last_object_clicked_tooltip") or ""
    found = SITE_IN_TOOLTIP.search(tooltip)
    if found:
        st.session_state[FOCUS] = found.group(1)


loaded, selection = context.current()
state = view_state.current(loaded.vocabulary)
st.session_state.setdefault(MODE, state.view)
st.session_state.setdefault(FOCUS, state.focus)

mode = st.segmented_control("Map shows", list(MODES), format_func=MODES.get, key=MODE) or state.view
fmap = incident_map(loaded, selection.filters, mode)
st_folium(fmap, key=MAP, height=580, use_container_width=True,
          returned_objects=["last_object_clicked_tooltip"], on_change=_clicked)
if len(selection.unmapped):
    st.caption(f"{len(selection.unmapped)} of the {len(selection.incidents)} selected incidents are not on the map "
               "(no site named, or no coordinates for their sites); the Data & sources page lists them.")

focus = site_panel.render(loaded, selection, FOCUS)
view_state.update(view=mode, focus=focus)
