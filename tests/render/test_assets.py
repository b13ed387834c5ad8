"""The vendor files: each comes from a package that package.json pins, is copied whole, and a missing one is named."""
from __future__ import annotations

import json

import pytest

from dashboard.render.assets import FOLIUM_LINKS, PROJECT_ROOT, VENDOR_DIR, VENDOR_FILES, assets_installed, install_assets

NODE_MODULES = PROJECT_ROOT / "node_modules"
needs_node_modules = pytest.mark.skipif(not (NODE_MODULES / "leaflet").is_dir(),
                                        reason="node_modules not installed (run scripts/setup.sh)")
#: The files of the fullscreen and save buttons and of the offline basemap.
MAP_CONTROL_FILES = ("Control.FullScreen.umd.js", "Control.FullScreen.css", "html-to-image.js",
                     "topojson-client.min.js", "countries-50m.json")


def package_of(origin: str) -> str:
    parts = origin.split("/")
    return "/".join(parts[:2]) if origin.startswith("@") else parts[0]


def test_every_npm_file_comes_from_a_pinned_package():
    dependencies = json.loads((PROJECT_ROOT / "package.json").read_text())["dependencies"]
    lock = json.loads((PROJECT_ROOT / "package-lock.json").read_text())["packages"]
    for name, origin in VENDOR_FILES.items():
        if origin.startswith("folium:"):
            continue
        package = package_of(origin)
        assert package in dependencies, f"{name} comes from {package}, which package.json does not list"
        assert dependencies[package][0].isdigit(), f"{package} is not pinned: {dependencies[package]}"
        assert lock[f"node_modules/{package}"]["version"] == dependencies[package]


def test_map_controls_are_vendor_files():
    assert set(MAP_CONTROL_FILES) <= set(VENDOR_FILES)
    for name in ("leaflet.fullscreen", "leaflet.fullscreen_css", "html-to-image", "topojson-client"):
        assert FOLIUM_LINKS[name] in VENDOR_FILES
    assert all(target is None or target in VENDOR_FILES for target in FOLIUM_LINKS.values())


@needs_node_modules
def test_install_copies_every_file_whole(tmp_path):
    copied = install_assets(NODE_MODULES, tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in copied) == sorted(VENDOR_FILES)
    for name in MAP_CONTROL_FILES:
        assert (tmp_path / name).read_bytes() == (NODE_MODULES / VENDOR_FILES[name]).read_bytes()
    assert assets_installed(tmp_path)


def test_missing_files_are_named_before_anything_is_copied(tmp_path):
    empty, target = tmp_path / "node_modules", tmp_path / "vendor"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="run `npm ci` first") as raised:
        install_assets(empty, target)
    for name in MAP_CONTROL_FILES:
        assert f"{name} (from {empty / VENDOR_FILES[name]})" in str(raised.value)
    assert not target.exists()
    assert not assets_installed(target)


@pytest.mark.skipif(not assets_installed(), reason="static/vendor not installed (run scripts/setup.sh)")
def test_the_borders_file_is_natural_earth_countries():
    world = json.loads((VENDOR_DIR / "countries-50m.json").read_text(encoding="utf-8"))
    assert world["type"] == "Topology"
    countries = world["objects"]["countries"]["geometries"]
    names = {c["properties"]["name"] for c in countries}
    assert len(countries) > 200 and {"Iraq", "Syria", "Jordan", "Israel", "Lebanon", "Yemen"} <= names
