"""Map page: where the filtered incidents happened (sites, incidents, or counts per cell), the figures beside
the map, the time player under it, and the selected site's card."""
import streamlit as st
from streamlit_folium import st_folium

from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.view.map_window import window_from_bounds
from dashboard.core.view.share import BASEMAPS, OVERLAYS, MapView
from dashboard.render.maps import DEFAULT_CENTER, DEFAULT_ZOOM
from dashboard.render.tiles import basemap_labels, default_basemap_name
from dashboard.ui import context, header, map_cache, site_panel, timeline
from dashboard.ui import state as view_state
from dashboard.ui.markdown import escape_markdown

MODE, FOCUS, LAYERS, BASEMAP = "w_view", "w_focus", "w_layers", "w_basemap"
MAP, FRAME, CLICKED, TARGET, REPORTED = "incident_map", "w_map_frame", "w_map_clicked", "_map_target", "_map_reported"
MODES = {"sites": "Sites", "incidents": "Incidents"}
LAYER_LABELS = {"rings": "Location uncertainty", "heat": "Heat map"}
view_state.own_widgets(MODE, FOCUS, LAYERS, BASEMAP)
#: Where the base map stands before it is fitted to the data: a report of it is the map loading, not a user's move.
UNFITTED = MapView(zoom=DEFAULT_ZOOM, lat=DEFAULT_CENTER[0], lon=DEFAULT_CENTER[1])


def _changed() -> None:
    """A new click on a site or incident marker selects its gazetteer site (the map stays where it is)."""
    drawing = (st.session_state.get(MAP) or {}).get("last_active_drawing") or {}
    properties = drawing.get("properties") or {}
    if not properties or properties == st.session_state.get(CLICKED):
        return
    st.session_state[CLICKED] = properties
    if properties.get("place_kind") == GAZETTEER_SITE and properties.get("site_id"):
        st.session_state[FOCUS] = str(properties["site_id"])


def _picked() -> None:
    """A site picked in the search box: the map goes to it."""
    site_id = st.session_state.get(FOCUS)
    place = site_panel.location(context.current()[0], site_id)
    if place is not None:
        st.session_state[TARGET] = MapView(zoom=10, lat=place[0], lon=place[1])


def _same_place(a: MapView | None, b: MapView | None) -> bool:
    """True when two positions differ by less than two screen pixels (Leaflet snaps a centre to whole pixels)."""
    if a is None or b is None or a.zoom != b.zoom:
        return False
    pixel = 360.0 / (256 * 2 ** a.zoom)
    return abs(a.lat - b.lat) < 2 * pixel and abs(a.lon - b.lon) < 2 * pixel


def _reported_view() -> MapView | None:
    """The map's position as it last reported it, when that report is new (a pan or zoom by the user)."""
    reported = st.session_state.get(MAP) or {}
    center, zoom = reported.get("center") or {}, reported.get("zoom")
    try:
        view = MapView(zoom=int(zoom), lat=round(float(center["lat"]), 4), lon=round(float(center["lng"]), 4))
    except (KeyError, TypeError, ValueError):
        return None
    if view == st.session_state.get(REPORTED) or _same_place(view, UNFITTED):
        return None
    st.session_state[REPORTED] = view
    return view


loaded, filters = context.current()
state = view_state.current(loaded.vocabulary)
moved = _reported_view()
if view_state.moved() or TARGET not in st.session_state:
    st.session_state[TARGET] = state.map  # a link or a Back/Forward move puts the map where the view says
elif moved is not None and not _same_place(moved, state.map):
    state = view_state.update(map=moved)
server_basemap = default_basemap_name()
for key, value in ((MODE, state.view), (FOCUS, state.focus), (LAYERS, list(state.layers)),
                   (BASEMAP, state.basemap or server_basemap)):
    st.session_state.setdefault(key, value)

with st.container(horizontal=True, gap="small", vertical_alignment="center"):
    mode = st.segmented_control("Map shows", list(MODES), format_func=MODES.get, key=MODE,
                                label_visibility="collapsed") or state.view
    focus = site_panel.picker(loaded, FOCUS, on_change=_picked)
    with st.popover("Layers & basemap", icon=":material/layers:"):
        layers = st.pills("Layers", OVERLAYS, selection_mode="multi", format_func=LAYER_LABELS.get, key=LAYERS)
        basemap = st.radio("Basemap", BASEMAPS, format_func=basemap_labels().get, key=BASEMAP) or server_basemap
state = view_state.update(view=mode, focus=focus, layers=tuple(o for o in OVERLAYS if o in (layers or ())),
                          basemap=None if basemap == server_basemap else basemap)

shown_filters = timeline.map_filters(loaded, filters, state)
reported = st.session_state.get(MAP) or {}
window = window_from_bounds(reported.get("bounds"), reported.get("zoom"))
drawn = map_cache.map_data(loaded, shown_filters, mode, window)
if st.session_state.get(FRAME) is None and drawn.extent is not None:
    # the map is fitted once, to the first selection it shows; later filter changes keep the user's zoom
    st.session_state[FRAME] = drawn.extent
target = st.session_state.get(TARGET)
left, right = st.columns([4, 1])
with left:
    st_folium(map_cache.frame_map(st.session_state.get(FRAME), basemap), key=MAP, height=560,
              use_container_width=True,
              feature_group_to_add=map_cache.layers(loaded, shown_filters, mode, window, drawn, state.layers),
              returned_objects=["last_active_drawing", "center", "zoom"] + (["bounds"] if drawn.follows_window else []),
              center=(target.lat, target.lon) if target else None, zoom=target.zoom if target else None,
              on_change=_changed)
    st.caption(f"{drawn.note()} {escape_markdown(header.data_as_of(loaded))}.")  # the data line names a server setting
    if drawn.unmapped:
        st.caption(f"{drawn.unmapped:,} of the {drawn.placed + drawn.unmapped:,} selected incidents are not on the map "
                   "(no site named, or no coordinates for their sites); the Data & sources page lists them.")
    timeline.render(loaded, filters, state)
with right:
    header.render_metrics(loaded, filters, beside=True)

site_panel.card(loaded, filters, focus)
timeline.keep_playing(filters, loaded)
