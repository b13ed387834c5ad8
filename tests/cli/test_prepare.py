"""`python -m dashboard prepare`: the data folder and an events file converted before the server starts."""
from __future__ import annotations

from dashboard.cli.main import main
from tests.conftest import ROOT

EXPORT = ROOT / "tests" / "data" / "importers" / "acled_2022_current_31col.csv"


def test_prepare_converts_the_folder_and_the_events(mini_data, capsys):
    assert main(["prepare", "--data", str(mini_data), "--events", str(EXPORT)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("data: ") and "\nevents: " in out
    folder = out.split("events: ")[1].split(" (")[0]
    assert sorted(p.name for p in __import__("pathlib").Path(folder).glob("*.parquet")) == [
        "incident_countries.parquet", "incident_sites.parquet", "incidents.parquet", "placements.parquet"]


def test_prepare_names_a_file_it_cannot_use(mini_data, tmp_path, capsys):
    assert main(["prepare", "--data", str(mini_data), "--events", str(tmp_path / "missing.csv")]) == 1
    assert "missing.csv" in capsys.readouterr().err
