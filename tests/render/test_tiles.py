"""The basemap registry: names and labels, the default from DASHBOARD_BASEMAP, names resolved to what is drawn, looks."""
from __future__ import annotations

import re

import pytest

from dashboard.render.tiles import (BASEMAPS, BORDERS_LOOKS, DEFAULT_URL, THEMES, Basemap, Borders, basemap_labels,
                                    borders_look, default_basemap_name, resolve_basemap)

OVERRIDE = {"DASHBOARD_TILES_URL": "https://tiles.example.org/{z}/{x}/{y}.png",
            "DASHBOARD_TILES_ATTRIBUTION": "Example tiles"}


def test_registry_names_and_labels():
    assert list(BASEMAPS) == ["osm", "borders"]
    labels = basemap_labels()
    assert list(labels) == list(BASEMAPS)
    assert labels["borders"] == "Country borders (offline)" and labels["osm"] == "Street map (online tiles)"


@pytest.mark.parametrize("environ, expected", [
    ({}, "osm"),
    ({"DASHBOARD_BASEMAP": ""}, "osm"),
    ({"DASHBOARD_BASEMAP": "borders"}, "borders"),
    ({"DASHBOARD_BASEMAP": " Borders "}, "borders"),
    ({"DASHBOARD_BASEMAP": "osm"}, "osm"),
])
def test_default_basemap_from_environment(environ, expected):
    assert default_basemap_name(environ) == expected


def test_unknown_default_basemap_is_named():
    with pytest.raises(ValueError, match=r"`DASHBOARD_BASEMAP` was 'satellite' but is expected to be one of \['borders', 'osm'\]"):
        default_basemap_name({"DASHBOARD_BASEMAP": "satellite"})


@pytest.mark.parametrize("basemap, environ, expected", [
    ("osm", {}, Basemap()),
    ("osm", OVERRIDE, Basemap(url=OVERRIDE["DASHBOARD_TILES_URL"], attribution="Example tiles")),
    ("borders", OVERRIDE, Borders()),
    (None, {}, Basemap()),
    (None, {"DASHBOARD_BASEMAP": "borders"}, Borders()),
    (None, {"DASHBOARD_BASEMAP": "osm", **OVERRIDE}, Basemap(url=OVERRIDE["DASHBOARD_TILES_URL"], attribution="Example tiles")),
    (Basemap(url="https://other.example.org/{z}/{x}/{y}.png"), {"DASHBOARD_BASEMAP": "borders"},
     Basemap(url="https://other.example.org/{z}/{x}/{y}.png")),
])
def test_names_resolve_to_what_is_drawn(basemap, environ, expected):
    assert resolve_basemap(basemap, environ) == expected


@pytest.mark.parametrize("bad", ["satellite", "", 3, ("osm",)])
def test_unknown_basemap_is_named(bad):
    with pytest.raises(ValueError, match=r"`basemap` was .* but is expected to be one of \['borders', 'osm'\]"):
        resolve_basemap(bad, {})


def test_osm_reads_the_process_environment_by_default(monkeypatch):
    monkeypatch.setenv("DASHBOARD_TILES_URL", OVERRIDE["DASHBOARD_TILES_URL"])
    monkeypatch.delenv("DASHBOARD_TILES_ATTRIBUTION", raising=False)
    drawn = resolve_basemap("osm")
    assert drawn.url == OVERRIDE["DASHBOARD_TILES_URL"] and drawn.attribution == "Tiles: tiles.example.org"
    monkeypatch.delenv("DASHBOARD_TILES_URL")
    assert resolve_basemap("osm").url == DEFAULT_URL


def test_each_theme_has_its_own_look():
    assert set(BORDERS_LOOKS) == set(THEMES) == {"light", "dark"}
    light, dark = borders_look("light"), borders_look("dark")
    for look in (light, dark):
        colours = [look.sea, look.land, look.border, look.coast]
        assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours) and len(set(colours)) == 4

    def brightness(colour: str) -> int:
        return sum(int(colour[i:i + 2], 16) for i in (1, 3, 5))

    assert brightness(light.land) > brightness(dark.land) + 300 and brightness(light.sea) > brightness(dark.sea) + 300
    with pytest.raises(ValueError, match=r"`theme` was 'blue' but is expected to be one of \['light', 'dark'\]"):
        borders_look("blue")
