"""Map page: where the filtered incidents happened (sites, incidents, or counts per cell) and the selected site's card."""
import folium
import streamlit as st
from streamlit_folium import st_folium

from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.view.map_window import window_from_bounds
from dashboard.ui import context, map_cache, site_panel
from dashboard.ui import state as view_state

MODE, FOCUS, MAP, FRAME, CLICKED = "w_view", "w_focus", "incident_map", "w_map_frame", "w_map_clicked"
MODES = {"sites": "Sites", "incidents": "Incidents"}


def _changed() -> None:
    """A new click on a site or incident marker selects its gazetteer site; a pan or zoom only moves the window.

    The map reports its bounds and zoom only when the selection is over the feature budget (where they
    change what is drawn); otherwise panning and zooming do not run the script at all.
    """
    drawing = (st.session_state.get(MAP) or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") or {}
    if not properties or properties == st.session_state.get(CLICKED):
        return
    st.session_state[CLICKED] = properties
    if properties.get("place_kind") == GAZETTEER_SITE and properties.get("site_id"):
        st.session_state[FOCUS] = str(properties["site_id"])


loaded, filters = context.current()
state = view_state.current(loaded.vocabulary)
st.session_state.setdefault(MODE, state.view)
st.session_state.setdefault(FOCUS, state.focus)

mode = st.segmented_control("Map shows", list(MODES), format_func=MODES.get, key=MODE) or state.view
reported = st.session_state.get(MAP) or {}
window = window_from_bounds(reported.get("bounds"), reported.get("zoom"))
drawn = map_cache.map_data(loaded, filters, mode, window)
if st.session_state.get(FRAME) is None and drawn.extent is not None:
    # the map is fitted once, to the first selection it shows; later filter changes keep the user's zoom
    st.session_state[FRAME] = drawn.extent
st_folium(map_cache.frame_map(st.session_state.get(FRAME)), key=MAP, height=580, use_container_width=True,
          feature_group_to_add=map_cache.layers(loaded, filters, mode, window, drawn), layer_control=folium.LayerControl(collapsed=False),
          returned_objects=["last_active_drawing", "bounds", "zoom"] if drawn.follows_window else ["last_active_drawing"],
          on_change=_changed)
st.caption(drawn.note())
if drawn.unmapped:
    st.caption(f"{drawn.unmapped:,} of the {drawn.placed + drawn.unmapped:,} selected incidents are not on the map "
               "(no site named, or no coordinates for their sites); the Data & sources page lists them.")

focus = site_panel.render(loaded, filters, FOCUS)
view_state.update(view=mode, focus=focus)
