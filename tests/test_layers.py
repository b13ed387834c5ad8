"""The layout and the direction of dependencies: files -> core.data -> core.query -> render -> ui.

``core`` imports neither streamlit nor folium nor altair; ``render`` imports no streamlit; the command line
imports no streamlit; inside ``core`` each folder only reaches the folders before it in the data flow.
"""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import dashboard.api
import dashboard.cli
import dashboard.core
import dashboard.render

from tests.conftest import ROOT

#: The folders of core/ and what each may import from core/ (besides itself).
CORE_FOLDERS = {
    "data": {"places"},  # the dataset summary and the seed checks look at the join and the names
    "places": {"data"},
    "view": {"data", "places"},
    "importers": {"data", "places"},
    "articles": {"data", "places"},
    "query": {"data", "places", "view", "importers"},
}


def modules_of(package) -> list[str]:
    """Every module under ``package``, sub-packages included."""
    return sorted(m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."))


def imported_by(module: str) -> set[str]:
    """Every module name a fresh interpreter holds after importing ``module``."""
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return set(out.stdout.split())


def top_level(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


CORE_MODULES = modules_of(dashboard.core)


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_imports_neither_streamlit_nor_folium(module):
    loaded = top_level(imported_by(module))
    assert not {"streamlit", "folium", "altair"} & loaded


@pytest.mark.parametrize("module", [m for m in CORE_MODULES if m.count(".") >= 3])
def test_core_folders_follow_the_data_flow(module):
    folder = module.split(".")[2]
    allowed = CORE_FOLDERS[folder] | {folder}
    reached = {name.split(".")[2] for name in imported_by(module)
               if name.startswith("dashboard.core.") and name.count(".") >= 2}
    assert reached <= allowed, f"{module} reaches {sorted(reached - allowed)}"


@pytest.mark.parametrize("module", modules_of(dashboard.render))
def test_render_does_not_import_streamlit(module):
    assert "streamlit" not in top_level(imported_by(module))


@pytest.mark.parametrize("module", modules_of(dashboard.cli))
def test_command_line_does_not_import_streamlit(module):
    assert "streamlit" not in top_level(imported_by(module))


def test_core_is_grouped_in_its_folders():
    folders = {m.split(".")[2] for m in CORE_MODULES}
    assert folders == set(CORE_FOLDERS)
    assert not [p for p in (ROOT / "dashboard" / "core").glob("*.py") if p.name != "__init__.py"]


def test_no_module_name_is_used_twice():
    """A file name says which one it is: no two modules of the package share a name."""
    names = [m.rsplit(".", 1)[1] for m in modules_of(dashboard.core) + modules_of(dashboard.render)
             + modules_of(dashboard.cli) if not m.endswith("__init__")]
    repeated = sorted({n for n in names if names.count(n) > 1})
    assert not repeated


@pytest.mark.parametrize("module", modules_of(dashboard.api))
def test_the_data_urls_import_no_streamlit(module):
    """The data URLs are Starlette routes over the query layer; only server.py reaches the pages' caches, and
    only when a request comes (not when the server imports the app)."""
    assert not {"streamlit", "folium", "altair"} & top_level(imported_by(module))
