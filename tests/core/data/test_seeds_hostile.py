"""Issue 8, item 5: malformed seed records are problems with a file and a key, never a traceback."""
from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.data.dataset import load_dataset
from dashboard.core.data.seeds import read_seeds
from tests.conftest import ROOT

BAD = {
    "deep": "[" * 100_000 + "]" * 100_000,
    "list-id": '{"document_id": ["a"], "publisher": "W", "published": "2024-01-01", "facts": []}',
    "number-id": '{"document_id": 5, "publisher": "W", "published": "2024-01-01", "facts": []}',
    "top-list": "[1, 2]",
    "ids-number": '{"document_id": "d", "publisher": "W", "published": "2024-01-01", '
                  '"facts": [{"supports": {"incidents": 7}}]}',
    "ids-nested": '{"document_id": "d2", "publisher": "W", "published": "2024-01-01", '
                  '"facts": [{"supports": {"incidents": [["I-1"]]}}]}',
    "fact-number": '{"document_id": "d3", "publisher": "W", "published": "2024-01-01", "facts": [3]}',
    "bad-date": '{"document_id": "d4", "publisher": "W", "published": 20240101, "facts": []}',
}
EXPECTED = {
    "deep": (None, "nested a few levels deep"),
    "list-id": ("document_id", "an id of letters"),
    "number-id": ("document_id", "an id of letters"),
    "top-list": (None, "a JSON object at the top level"),
    "ids-number": ("facts[0].supports.incidents", "a list of ids"),
    "ids-nested": ("facts[0].supports.incidents", "a list of ids"),
    "fact-number": ("facts[0]", "an object"),
    "bad-date": ("published", "a date written YYYY-MM-DD"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_a_malformed_record_is_a_problem_naming_file_and_key(tmp_path, name):
    (tmp_path / f"{name}.json").write_text(BAD[name], encoding="utf-8")
    records, problems = read_seeds(tmp_path)
    assert records == []
    column, expected = EXPECTED[name]
    assert [(p.file, p.column) for p in problems] == [(f"{name}.json", column)]
    assert expected in problems[0].expected


def seeded(mini_data, name):
    (mini_data / "seeds" / f"{name}.json").write_text(BAD[name], encoding="utf-8")
    return mini_data


@pytest.mark.parametrize("name", ["deep", "list-id", "ids-number"])
def test_validate_reports_them_and_exits_1(mini_data, name):
    folder = seeded(mini_data, name)
    result = subprocess.run([sys.executable, "-m", "dashboard", "validate", "--data", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{name}.json" in result.stderr


@pytest.mark.parametrize("name", ["deep", "list-id"])
def test_every_page_shows_the_problem_instead_of_a_traceback(mini_data, monkeypatch, name):
    monkeypatch.setenv("DASHBOARD_DATA", str(seeded(mini_data, name)))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert any("cannot be shown until these problems are fixed" in e.value for e in at.error)
    assert not load_dataset(mini_data, strict=False).seeds == []  # the valid record is still read
