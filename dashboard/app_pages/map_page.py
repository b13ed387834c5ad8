"""Map page: where the filtered incidents happened, by site or one by one, and the selected site's details."""
import streamlit as st
from streamlit_folium import st_folium

from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.ui import context, data, site_panel
from dashboard.ui.map_cache import incident_map
from dashboard.ui import state as view_state

MODE, FOCUS, MAP = "w_view", "w_focus", "incident_map"
MODES = {"sites": "Sites", "incidents": "Incidents"}


def _clicked() -> None:
    """A click on a site or incident marker selects its gazetteer site, read from the marker's data."""
    drawing = (st.session_state.get(MAP) or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") or {}
    if properties.get("place_kind") == GAZETTEER_SITE and properties.get("site_id"):
        st.session_state[FOCUS] = str(properties["site_id"])


loaded, filters = context.current()
state = view_state.current(loaded.vocabulary)
st.session_state.setdefault(MODE, state.view)
st.session_state.setdefault(FOCUS, state.focus)

mode = st.segmented_control("Map shows", list(MODES), format_func=MODES.get, key=MODE) or state.view
fmap, drawn = incident_map(loaded, filters, mode)
st_folium(fmap, key=MAP, height=580, use_container_width=True, returned_objects=["last_active_drawing"],
          on_change=_clicked)
if drawn.unmapped:
    total = data.ask(loaded.key, "headline", filters)["Incidents"]
    st.caption(f"{drawn.unmapped} of the {total} selected incidents are not on the map "
               "(no site named, or no coordinates for their sites); the Data & sources page lists them.")

focus = site_panel.render(loaded, filters, FOCUS)
view_state.update(view=mode, focus=focus)
