"""Dependency direction: core imports neither streamlit nor folium; render imports no streamlit."""
from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import dashboard.core
import dashboard.render

from tests.conftest import ROOT


def modules_of(package) -> list[str]:
    return sorted(f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__))


def imported_by(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    return {name.split(".")[0] for name in out.stdout.split()}


@pytest.mark.parametrize("module", modules_of(dashboard.core))
def test_core_imports_neither_streamlit_nor_folium(module):
    loaded = imported_by(module)
    assert "streamlit" not in loaded and "folium" not in loaded and "altair" not in loaded


@pytest.mark.parametrize("module", modules_of(dashboard.render))
def test_render_does_not_import_streamlit(module):
    assert "streamlit" not in imported_by(module)


def test_packages_have_modules():
    assert len(modules_of(dashboard.core)) >= 8
