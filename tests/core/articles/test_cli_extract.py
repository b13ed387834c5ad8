"""`python -m dashboard extract`, run as a user runs it, on the bundled gazetteer."""
from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

ARTICLE = """WASHINGTON (Wire) - A defense official said there had been 62 attacks on US and coalition forces since Oct. 17, 29 in Iraq and 33 in Syria.

One was a one-way drone attack on Mission Support Site Euphrates. In a separate attack on Sunday, one US service member suffered minor injuries at Tall Baydar.
"""


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "extract", *args], capture_output=True, text=True,
                          cwd=ROOT, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_json_output(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(str(path), "--published", "2023-11-23", "--source", "Wire", "--id", "wire-test", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert list(payload) == ["document", "sites", "dates", "counts", "incidents", "actors", "set_aside"]
    assert payload["document"]["document_id"] == "wire-test"
    assert {s["site_id"] for s in payload["sites"]} >= {"SY-EUPHRATES", "SY-TALLBAYDAR"}
    assert payload["counts"][0]["by_country"] == {"Iraq": 29, "Syria": 33}
    tall_baydar = [i for i in payload["incidents"] if i["site_id"] == "SY-TALLBAYDAR"]
    assert [(i["date"], i["injured"]) for i in tall_baydar] == [("2023-11-19", 1)]
    for item in payload["sites"] + payload["dates"]:
        assert ARTICLE[item["start"]:item["end"]] == item["text"]


def test_readable_summary(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    result = run(str(path), "--published", "2023-11-23")
    assert result.returncode == 0, result.stderr
    for words in ("sites ", "dates ", "counts ", "incidents ", "actors ", "SY-TALLBAYDAR", "62 (exact) since 2023-10-17"):
        assert words in result.stdout


def test_bad_date_and_missing_file_exit_2(tmp_path):
    bad = run(str(tmp_path / "nope.txt"), "--published", "2023-11-23")
    assert bad.returncode == 2 and "cannot read" in bad.stderr
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    wrong = run(str(path), "--published", "23/11/2023")
    assert wrong.returncode == 2 and "YYYY-MM-DD" in wrong.stderr
