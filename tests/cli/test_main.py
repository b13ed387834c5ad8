"""The command line, run as a user runs it: `python -m dashboard validate|resolve`."""
from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_validate_bundled_data_prints_summary():
    result = run("validate")
    assert result.returncode == 0, result.stderr
    with open(ROOT / "geodata" / "incidents.csv", encoding="utf-8") as handle:
        rows = sum(1 for _ in csv.DictReader(handle))
    assert f"incidents:        {rows} (" in result.stdout
    for word in ("sites:", "mapped:", "unmapped:", "official counts:", "seed documents:"):
        assert word in result.stdout


def test_validate_json_summary_matches_files():
    result = run("validate", "--json")
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    summary = payload["summary"]
    assert summary["mapped"] + summary["unmapped"] == summary["incidents"]
    assert summary["attacks"] + summary["us_strikes"] == summary["incidents"]


def copy_with_change(tmp_path, name: str, row_index: int, column: str, value: str):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", folder)
    path = folder / name
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    rows[row_index][column] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    "name, option, row_index, column, value, message",
    [
        ("incidents.csv", "--incidents", 9, "date", "2023-11-31", "incidents.csv:11, column 'date', value '2023-11-31'"),
        ("sites.csv", "--sites", 0, "lat", "95", "sites.csv:2, column 'lat', value '95': a latitude between -90 and 90"),
        ("official_counts.csv", "--counts", 3, "qualifier", "roughly", "official_counts.csv:5, column 'qualifier'"),
    ],
)
def test_validate_bad_file_names_line_and_column(tmp_path, name, option, row_index, column, value, message):
    path = copy_with_change(tmp_path, name, row_index, column, value)
    result = run("validate", option, str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "nothing was changed" in result.stderr


def test_validate_bad_folder(tmp_path):
    path = copy_with_change(tmp_path, "incidents.csv", 0, "event_type", "drones")
    result = run("validate", "--data", str(path.parent))
    assert result.returncode == 1 and "incidents.csv:2, column 'event_type'" in result.stderr


def test_resolve_json_has_the_site():
    result = run("resolve", "Tel Beydar", "--json")
    assert result.returncode == 0
    payload = json.loads(result.stdout)
    assert payload["site_id"] == "SY-TALLBAYDAR"
    assert set(payload) >= {"site_id", "name", "country", "lat", "lon", "coord_precision", "score"}
    assert payload["country"] == "Syria" and isinstance(payload["lat"], float)


def test_resolve_text_output():
    result = run("resolve", "Ayn al-Asad airbase")
    assert result.returncode == 0 and result.stdout.startswith("IQ-ASAD")


@pytest.mark.parametrize("name", ["Damascus", "Tal Afar"])
def test_resolve_unknown_place_exits_non_zero(name):
    result = run("resolve", name, "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["status"] == "unresolved"
