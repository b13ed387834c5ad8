"""The map's legend tells the truth: only the types drawn, clusters in the types' colours with summed counts, a
scale for the heat layer, and only the optional layers that are on."""
from __future__ import annotations

import json
import re
from dataclasses import replace

import pandas as pd
import pytest

from dashboard.core.data.columns import ALL_EVENT_COLOURS, ALL_EVENT_TYPES, IMPORTED_EVENT_TYPES
from dashboard.core.data.dataset import load_dataset
from dashboard.core.importers import import_events
from dashboard.core.query import mapping
from dashboard.core.query.page_data import map_data
from dashboard.core.query.store import source_for
from dashboard.core.view.filters import Filters
from dashboard.render.map_layer import (CLUSTER_PLACES, HEAT_NAME, HEAT_WEIGHTS, LAYER_NAMES, RINGS_NAME, data_layers,
                                        layer_json, layer_payload, legend_html)
from dashboard.render.maps import base_map

from tests.synthetic_events import CATEGORIES, ucdp_file

PAYLOAD = "<img src=x onerror=alert(1)>"
#: The plugin's own cluster colours (MarkerCluster.Default.css), which clash with the type colours.
PLUGIN_CLASSES = ("marker-cluster-small", "marker-cluster-medium", "marker-cluster-large")


@pytest.fixture(scope="module")
def dataset():
    return load_dataset()


@pytest.fixture(scope="module")
def bundled(dataset):
    return source_for(dataset, name="legend_bundled")


@pytest.fixture(scope="module")
def imported(dataset, tmp_path_factory):
    """An invented UCDP file of 1,500 events at 300 places, shown alone: state-based and non-state only."""
    path = ucdp_file(tmp_path_factory.mktemp("ucdp") / "ged.csv", 1500, 300)
    events = import_events(path, sites=dataset.sites).events
    return source_for(dataset, name="legend_imported", events=events, mode="uploaded"), events


def rendered(groups) -> str:
    """The page of a base map holding ``groups``."""
    fmap = base_map()
    for group in groups:
        group.add_to(fmap)
    return fmap.get_root().render()


def labels_in(legend: str) -> set[str]:
    """The type labels the legend lists with a coloured dot."""
    return set(re.findall(r'<span class="dot" style="background:#[0-9A-Fa-f]{6}"></span>([^<]+)</div>', legend))


@pytest.mark.parametrize("filters", [Filters(), Filters(types=("us_strike",)), Filters(countries=("Jordan",))])
@pytest.mark.parametrize("mode", ["sites", "incidents"])
def test_legend_lists_only_the_types_drawn(bundled, dataset, filters, mode):
    data = map_data(bundled, filters, mode)
    drawn = set(data.features["top_type" if mode == "sites" else "event_type"])
    payload = layer_payload(data, dataset.sites)
    assert [t[0] for t in payload["types"]] == [code for code in ALL_EVENT_TYPES if code in drawn]
    assert labels_in(payload["legend"]) == {ALL_EVENT_TYPES[code] for code in drawn}
    assert sorted({payload["types"][i][0] for i in payload["columns"]["type"]}) == sorted(drawn)


def test_us_strikes_alone_name_no_other_type(bundled, dataset):
    legend = layer_payload(map_data(bundled, Filters(types=("us_strike",)), "incidents"), dataset.sites)["legend"]
    assert labels_in(legend) == {"US strike"}
    assert "Drone" not in legend and "Unknown type" not in legend


def test_imported_categories_in_the_legend(imported, dataset):
    source, events = imported
    data = map_data(source, Filters(), "sites")
    payload = layer_payload(data, dataset.sites)
    present = set(data.features["top_type"])
    assert present <= {"state_conflict", "nonstate_conflict"} and "state_conflict" in present
    assert labels_in(payload["legend"]) == {IMPORTED_EVENT_TYPES[code] for code in present}
    assert [t[2] for t in payload["types"]] == [ALL_EVENT_COLOURS[code] for code in ALL_EVENT_TYPES if code in present]
    for absent in ("Drone", "Unknown type", "Violence against civilians", "Protest"):
        assert absent not in payload["legend"]


def test_many_places_are_clustered_with_summed_counts(imported, dataset):
    source, events = imported
    data = map_data(source, Filters(), "sites")
    assert len(data.features) > CLUSTER_PLACES
    payload = layer_payload(data, dataset.sites)
    assert payload["cluster"] is True
    assert sum(payload["columns"]["n"]) == len(events)  # each place carries its incidents: the clusters add them
    assert "nearby places grouped together; the number is their incidents" in payload["legend"]
    html = rendered(data_layers("sites", layer_json(data, dataset.sites)))
    assert "iconCreateFunction: clusterIcon" in html and "total += p.n" in html
    assert not any(name in html for name in PLUGIN_CLASSES)


def test_few_sites_are_not_clustered(bundled, dataset):
    data = map_data(bundled, Filters(), "sites")
    assert len(data.features) <= CLUSTER_PLACES
    payload = layer_payload(data, dataset.sites)
    assert payload["cluster"] is False and "grouped together" not in payload["legend"]


def test_incidents_are_clustered_in_the_types_colours(bundled, dataset):
    payload = layer_payload(map_data(bundled, Filters(), "incidents"), dataset.sites)
    assert payload["cluster"] is True
    assert "incidents grouped together; the colour is their most frequent type" in payload["legend"]
    for code, label, colour, text in payload["types"]:
        assert colour == ALL_EVENT_COLOURS[code] and text in ("#000000", "#ffffff")


def test_cells_list_only_types_with_a_count(bundled, dataset):
    data = map_data(bundled, Filters(types=("drone", "rocket")), "incidents")
    cells = replace(data, kind="cells", cell_size=0.5,
                    features=mapping.grid_cells(bundled, Filters(types=("drone", "rocket")), 0.5))
    payload = layer_payload(cells, dataset.sites)
    assert [t[0] for t in payload["types"]] == ["drone", "rocket"]
    assert len(payload["columns"]["byType"]) == 2
    assert "Types in these cells: Drone, Rocket / mortar" in payload["legend"]
    assert "Ballistic missile" not in payload["legend"]


@pytest.mark.parametrize("mode", ["sites", "incidents"])
def test_heat_scale_is_in_the_legend_hidden_until_the_layer_is_on(bundled, dataset, mode):
    data = map_data(bundled, Filters(), mode)
    legend = layer_payload(data, dataset.sites)["legend"]
    heat = re.search(r'<div class="legend-heat" style="display:none">(.*?)</div>', legend)
    assert heat, legend
    assert "few" in heat.group(1) and "many" in heat.group(1) and HEAT_WEIGHTS[mode] in heat.group(1)
    assert "linear-gradient(to right" in heat.group(1)
    html = rendered(data_layers(mode, layer_json(data, dataset.sites), ("heat",)))
    assert 'querySelector(".legend-heat")' in html and "gradient: shared.data.heatGradient" in html


def test_unknown_type_codes_are_escaped(bundled, dataset):
    data = map_data(bundled, Filters(), "sites")
    features = data.features.copy()
    features.loc[0, "top_type"] = PAYLOAD
    payload = layer_payload(replace(data, features=features), dataset.sites)
    assert PAYLOAD not in json.dumps(payload) and "&lt;img src=x onerror=alert(1)&gt;" in payload["legend"]
    assert payload["types"][-1][0].startswith("&lt;img") and payload["types"][-1][1].startswith("&lt;img")
    assert payload["types"][-1][2] == ALL_EVENT_COLOURS["unknown"]
    assert PAYLOAD not in legend_html(replace(data, features=features))


@pytest.mark.parametrize("overlays, names", [
    (("rings",), [LAYER_NAMES["sites"], RINGS_NAME]),
    (("rings", "heat"), [LAYER_NAMES["sites"], RINGS_NAME, HEAT_NAME]),
    (("heat", "rings"), [LAYER_NAMES["sites"], RINGS_NAME, HEAT_NAME]),
    (("heat",), [LAYER_NAMES["sites"], HEAT_NAME]),
    ((), [LAYER_NAMES["sites"]]),
    ("heat", [LAYER_NAMES["sites"], HEAT_NAME]),
])
def test_overlays_choose_the_optional_groups(bundled, dataset, overlays, names):
    groups = data_layers("sites", layer_json(map_data(bundled, Filters()), dataset.sites), overlays)
    assert [g.layer_name for g in groups] == names
    assert all(g.show for g in groups)


def test_the_default_overlays_are_the_rings(bundled, dataset):
    groups = data_layers("sites", layer_json(map_data(bundled, Filters()), dataset.sites))
    assert [g.layer_name for g in groups] == [LAYER_NAMES["sites"], RINGS_NAME]


@pytest.mark.parametrize("kind, overlays, words", [
    ("sites", ("rings", "glow"), "`overlays`"), ("sites", ("Heat map",), "`overlays`"), ("places", (), "`kind`")])
def test_bad_layer_choices_are_refused(bundled, dataset, kind, overlays, words):
    with pytest.raises(ValueError, match=words):
        data_layers(kind, layer_json(map_data(bundled, Filters()), dataset.sites), overlays)


def test_groups_keep_no_visibility_hook(bundled, dataset):
    """The app holds the layers' on/off choices, so no group hides itself any more."""
    html = rendered(data_layers("sites", layer_json(map_data(bundled, Filters()), dataset.sites), ("rings", "heat")))
    assert "dashboardKeepVisibility(" not in html.replace("window.dashboardKeepVisibility = function", "")
    assert html.count("L.heatLayer(") == 1 and "window.dashboardMapData" in html


def test_payload_stays_compact(imported, dataset):
    """Types go once, as indices per feature; only the present ones are sent."""
    source, _ = imported
    payload = layer_payload(map_data(source, Filters(), "sites"), dataset.sites)
    assert len(payload["types"]) == len({*CATEGORIES.values()} & {"state_conflict", "nonstate_conflict"})
    assert all(isinstance(i, int) for i in payload["columns"]["type"])
    assert layer_json(map_data(source, Filters(), "sites"), dataset.sites).count("State-based armed conflict") == 2
