"""`python -m dashboard extract FOLDER` and `extract --list FILE`, run as a user runs them, on a small data folder."""
from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from dashboard.cli import extract_batch as cli_batch
from dashboard.core.articles.batch_files import ArticleJob
from dashboard.core.places.gazetteer import Gazetteer
from tests.conftest import ROOT
from tests.core.articles.conftest import sites_frame
from tests.core.articles.test_batch import LOCAL, PAPER, TALL_BRAVO, WIRE


def run(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dashboard", "extract", *args], capture_output=True, text=True,
                          cwd=cwd, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=120)


def write_articles(folder, articles: dict) -> None:
    folder.mkdir()
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")


def read_review(out):
    table = pd.read_csv(out / "review.csv", dtype=str, keep_default_na=False)
    return table, json.loads((out / "review.json").read_text(encoding="utf-8"))


def test_folder_writes_both_files(tmp_path, mini_data):
    articles = tmp_path / "articles"
    write_articles(articles, {"2023-11-15_wire.txt": WIRE, "2023-11-15_local.txt": LOCAL,
                              "2023-11-16_paper.txt": PAPER, "2023-11-21_pentagon.txt": TALL_BRAVO,
                              "2023-11-11_formula.txt": '=HYPERLINK("http://x") Rockets hit Alpha Air Base in Iraq on Nov. 10.'})
    out = tmp_path / "review"
    result = run(str(articles), "--published-from-filename", "--data", str(mini_data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5 article(s) read, 0 failed, 2 new incident(s) proposed, 0 addition(s), "
                                    "1 already known; review in ")
    table, payload = read_review(out)
    assert list(table["kind"]) == ["new", "new", "known"]
    merged = table.iloc[1]
    assert merged["articles"] == "2023-11-15_local.txt; 2023-11-15_wire.txt; 2023-11-16_paper.txt"
    assert merged["sources"] == "2023-11-15_local ; 2023-11-15_wire ; 2023-11-16_paper"
    assert table.iloc[2]["incident_id"] == "I-6"
    assert payload["failures"] == [] and len(payload["documents"]) == 5
    assert payload["proposals"][1]["evidence"][0]["article"] == "2023-11-15_local.txt"
    # a sentence that starts with a formula: neutralised in the CSV, as it is in the JSON
    assert table.iloc[0]["evidence"].startswith("'=HYPERLINK(")
    assert payload["proposals"][0]["evidence"][0]["text"].startswith("=HYPERLINK(")
    assert not result.stderr  # stderr is no terminal: no progress bar


def test_file_without_a_date_is_named_and_the_others_are_read(tmp_path, mini_data):
    articles = tmp_path / "articles"
    write_articles(articles, {"2023-11-15_wire.txt": WIRE, "wire-followup.txt": LOCAL})
    (articles / "2023-11-17_scan.txt").write_bytes(b"Rockets \xff\xfe hit Charlie Garrison.")
    out = tmp_path / "review"
    result = run(str(articles), "--published-from-filename", "--data", str(mini_data), "--out", str(out), "--quiet")
    assert result.returncode == 1
    assert "'wire-followup.txt' does not start with a publication date written YYYY-MM-DD" in result.stderr
    assert "2023-11-17_scan.txt is not UTF-8 text" in result.stderr
    assert result.stdout.startswith("1 article(s) read, 2 failed, 1 new incident(s) proposed")
    table, payload = read_review(out)
    assert list(table["articles"]) == ["2023-11-15_wire.txt"]
    assert sorted(f["article"] for f in payload["failures"]) == ["2023-11-17_scan.txt", "wire-followup.txt"]


def test_list_form(tmp_path, mini_data):
    articles = tmp_path / "articles"
    write_articles(articles, {"wire.txt": WIRE, "local.txt": LOCAL, "pentagon.txt": TALL_BRAVO})
    (tmp_path / "list.csv").write_text(
        "path,published,source,url\n"
        "articles/wire.txt,2023-11-15,Wire,https://example.org/wire\n"
        "articles/local.txt,2023-11-15,Local TV,https://example.org/local\n"
        f"{articles / 'pentagon.txt'},2023-11-21,https://example.org/pentagon,\n", encoding="utf-8")
    out = tmp_path / "review"
    result = run("--list", str(tmp_path / "list.csv"), "--data", str(mini_data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    table, payload = read_review(out)
    assert list(table["kind"]) == ["new", "addition"]
    assert table.iloc[0]["sources"] == "https://example.org/wire ; https://example.org/local"
    assert (table.iloc[1]["incident_id"], table.iloc[1]["new_sources"]) == ("I-6", "https://example.org/pentagon")
    assert [d["publisher"] for d in payload["documents"]] == ["Wire", "Local TV", None]


def test_default_out_folder_is_in_the_current_folder(tmp_path, mini_data):
    articles = tmp_path / "articles"
    write_articles(articles, {"2023-11-15_wire.txt": WIRE})
    result = run(str(articles), "--published-from-filename", "--data", str(mini_data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [out] = tmp_path.glob("review-*")
    assert {p.name for p in out.iterdir()} == {"review.csv", "review.json"}


def test_usage_errors_exit_2(tmp_path, mini_data):
    articles = tmp_path / "articles"
    write_articles(articles, {"2023-11-15_wire.txt": WIRE})
    no_flag = run(str(articles), "--data", str(mini_data))
    assert no_flag.returncode == 2 and "--published-from-filename" in no_flag.stderr
    both = run(str(articles), "--published", "2023-11-15", "--data", str(mini_data))
    assert both.returncode == 2 and "each article has its own date" in both.stderr
    (tmp_path / "bad.csv").write_text("file,date\n", encoding="utf-8")
    bad_list = run("--list", str(tmp_path / "bad.csv"), "--data", str(mini_data))
    assert bad_list.returncode == 2 and "expected to have ['path', 'published', 'source']" in bad_list.stderr
    nothing = run("--data", str(mini_data))
    assert nothing.returncode == 2 and "ARTICLE.txt --published" in nothing.stderr
    assert not list(tmp_path.glob("review-*")) and not list(ROOT.glob("review-*"))


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("quiet, shown", [(False, True), (True, False)])
def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch, quiet, shown):
    (tmp_path / "a.txt").write_text(WIRE, encoding="utf-8")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("COLUMNS", "100")
    jobs = [ArticleJob(tmp_path / "a.txt", dt.date(2023, 11, 15))]
    readings, failures = cli_batch._extract_with_progress(jobs, Gazetteer(sites_frame()), None, quiet)
    assert len(readings) == 1 and failures == []
    assert ("1/1" in terminal.getvalue()) is shown
