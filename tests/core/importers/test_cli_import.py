"""`python -m dashboard import`, run as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd

from dashboard.cli.importing import TerminalProgress

from tests.conftest import ROOT

from .conftest import FIXTURES, acled_row, acled_text


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "import", *args], capture_output=True, text=True,
                          cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_import_writes_events_report_and_summary(tmp_path, mini_data):
    out, report = tmp_path / "events.csv", tmp_path / "report.json"
    result = run(str(FIXTURES / "ucdp_ged_hdx_iraq.csv"), "--out", str(out), "--report", str(report),
                 "--data", str(mini_data), "--radius-km", "25")
    assert result.returncode == 0, result.stderr
    assert "format:    UCDP GED - UCDP GED 19.1 via HDX (45 columns)" in result.stdout
    assert "rows:      4 read, 4 imported, 0 rejected" in result.stdout
    assert "linked within 25 km" in result.stdout
    assert len(pd.read_csv(out)) == 4
    assert json.loads(report.read_text())["radius_km"] == 25.0


def test_unknown_format_exits_2_with_a_clear_message(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("name,value\nx,1\n")
    result = run(str(path), "--out", str(tmp_path / "o.csv"))
    assert result.returncode == 2
    assert "import failed: notes.csv is in no format the importer knows" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_nothing_imported_exits_1_and_writes_no_events(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(acled_text([acled_row(1, latitude="north")]))
    result = run(str(path), "--out", str(tmp_path / "o.parquet"), "--report", str(tmp_path / "r.json"))
    assert result.returncode == 1
    assert "nothing could be imported" in result.stderr
    assert not (tmp_path / "o.parquet").exists() and (tmp_path / "r.json").exists()


def test_bad_out_suffix_and_wrong_format(tmp_path):
    assert run(str(FIXTURES / "gdelt2_sample.export.CSV"), "--out", str(tmp_path / "o.xlsx")).returncode == 2
    wrong = run(str(FIXTURES / "gdelt2_sample.export.CSV"), "--format", "acled", "--out", str(tmp_path / "o.csv"))
    assert wrong.returncode == 2 and "looks like GDELT 2.0" in wrong.stderr


class FakeTerminal:
    def __init__(self):
        self.text = ""

    def isatty(self):
        return True

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def test_progress_bar_draws_only_on_a_terminal():
    terminal = FakeTerminal()
    bar = TerminalProgress(terminal, delay=0)
    bar(0, 10)
    bar(10, 10)
    bar.close()
    assert "100%" in terminal.text and "10/10 rows" in terminal.text and terminal.text.endswith("\n")
    quiet = FakeTerminal()
    quiet.isatty = lambda: False
    bar = TerminalProgress(quiet, delay=0)
    bar(5, None)
    bar.close()
    assert quiet.text == ""
