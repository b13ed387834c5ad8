"""The "Add from an article" page: extraction shown for review, saving to a copy of the data only when allowed."""
from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.ui.article_review import highlighted_markdown, spans_of
from dashboard.ui.markdown import escape_markdown
from tests.conftest import ROOT

PAGE = "dashboard/app_pages/article_page.py"
ARTICLE = (
    "BAGHDAD, Nov 23 (Wire) - A one-way drone struck Tall Baydar in northeastern Syria on Monday, "
    "wounding one US service member, a defense official said. Separately, rockets hit Ain al-Asad "
    "air base on Tuesday, Iraqi security sources said. US and coalition forces have been attacked "
    "at least 62 times since Oct. 17, 29 in Iraq and 33 in Syria, the official said."
)


def proposed_table(at: AppTest):
    """The editor of the proposed rows (its first column is "keep"; the other tables are possible duplicates)."""
    return next(d.value for d in at.dataframe if "keep" in d.value.columns)


def open_page(monkeypatch, folder=None, allow_write=False, article=ARTICLE) -> AppTest:
    if folder:
        monkeypatch.setenv("DASHBOARD_DATA", str(folder))
    if allow_write:
        monkeypatch.setenv("DASHBOARD_ALLOW_WRITE", "1")
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.run()
    at.switch_page(PAGE)
    at.run()
    at.text_area(key="article_text").set_value(article)
    at.date_input(key="article_published").set_value(dt.date(2023, 11, 23))
    at.text_input(key="article_publisher").set_value("Wire")
    at.text_input(key="article_id").set_value("wire-test-1")
    form_submit = [b for b in at.button if b.label == "Extract"][0]
    form_submit.click().run()
    return at


def test_extraction_is_shown_for_review_and_saving_is_off_by_default(monkeypatch):
    at = open_page(monkeypatch)
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert ":blue-background[Tall Baydar]" in text
    assert any("Saving is switched off" in i.value for i in at.info)
    assert not [b for b in at.button if b.label.startswith("Save")]


def test_an_undated_attack_is_proposed_without_a_date_and_not_saved_until_dated(monkeypatch, tmp_path):
    """Issue 14: an attack the text gives no date for is not dated by the publication (an attack of 18 October
    reported on 30 October would land on the 30th): the row's date is empty, its possible duplicates are looked
    for over the week before publication, and saving names the empty date instead of writing."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", folder, ignore=shutil.ignore_patterns("backups"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    before = (folder / "incidents.csv").read_bytes()
    at = open_page(monkeypatch, folder, allow_write=True,
                   article="Rockets were fired at Tall Baydar, a defense official said.")
    assert not at.exception, at.exception
    table = proposed_table(at)
    assert list(table["date"]) == [""] and list(table["site_id"]) == ["SY-TALLBAYDAR"]
    save = [b for b in at.button if b.label.startswith("Save")][0]
    save.click().run()
    assert not at.exception, at.exception
    assert any("date" in e.value for e in at.error), [e.value for e in at.error]
    assert (folder / "incidents.csv").read_bytes() == before


def test_saving_appends_rows_and_records_the_article(monkeypatch, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", folder, ignore=shutil.ignore_patterns("backups"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    before = (folder / "incidents.csv").read_bytes()
    with open(folder / "incidents.csv", encoding="utf-8") as handle:
        known = {r["incident_id"] for r in csv.DictReader(handle)}
    at = open_page(monkeypatch, folder, allow_write=True)
    save = [b for b in at.button if b.label.startswith("Save")][0]
    save.click().run()
    assert not at.exception, at.exception
    after = (folder / "incidents.csv").read_bytes()
    assert after.startswith(before) and len(after) > len(before)
    with open(folder / "incidents.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    new = [r for r in rows if r["incident_id"] not in known]
    assert new and {r["site_id"] for r in new} >= {"SY-TALLBAYDAR"}
    seed = json.loads((folder / "seeds" / "wire-test-1.json").read_text(encoding="utf-8"))
    cited = {i for fact in seed["facts"] for i in fact["supports"].get("incidents", [])}
    assert {r["incident_id"] for r in new} <= cited
    check = subprocess.run([sys.executable, "-m", "dashboard", "validate", "--data", str(folder)],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize("text, expected", [("a*b", "a\\*b"), ("[x](y)", "\\[x\\]\\(y\\)"), ("<b>", "\\<b\\>"),
                                            (":red[x]", "\\:red\\[x\\]")])
def test_markdown_escaping(text, expected):
    assert escape_markdown(text) == expected


def test_highlight_spans_do_not_overlap_and_keep_the_text():
    text = "Rockets hit Tall Baydar on Monday."
    extraction = {"sites": [{"start": 12, "end": 23}], "dates": [{"start": 24, "end": 33}, {"start": 12, "end": 16}],
                  "actors": [], "counts": []}
    assert spans_of(extraction) == [(12, 23, "sites"), (24, 33, "dates")]
    assert highlighted_markdown(text, extraction) == (
        "Rockets hit :blue-background[Tall Baydar] :green-background[on Monday]\\.")


def test_saving_the_same_article_twice_adds_nothing_and_says_so(monkeypatch, tmp_path):
    """Issue 8: the second save read "Added 0 incident(s): . Previous file kept as None" and doubled the facts."""
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", folder, ignore=shutil.ignore_patterns("backups"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    at = open_page(monkeypatch, folder, allow_write=True)
    [b for b in at.button if b.label.startswith("Save")][0].click().run()
    first = [s.value for s in at.success]
    assert first and "is kept as backups" in first[0] and str(folder) not in first[0]
    seed_path = folder / "seeds" / "wire-test-1.json"
    facts = json.loads(seed_path.read_text(encoding="utf-8"))["facts"]
    incidents = (folder / "incidents.csv").read_bytes()
    again = open_page(monkeypatch, folder, allow_write=True)
    [b for b in again.button if b.label.startswith("Save")][0].click().run()
    assert not again.exception
    assert not again.success
    assert any("No incident was added: every row kept duplicates one already in the data" in i.value for i in again.info)
    assert json.loads(seed_path.read_text(encoding="utf-8"))["facts"] == facts
    assert (folder / "incidents.csv").read_bytes() == incidents


def test_one_attack_told_in_several_sentences_is_one_row_listing_every_sentence(monkeypatch):
    """Issue 14: the review table shows each merged row once, with all the sentences it was read from."""
    article = ("On Monday, two drones were launched at Tall Baydar, a defense official said. Air defences at Tall "
               "Baydar shot one down. Two service members suffered minor injuries.")
    at = open_page(monkeypatch, article=article)
    assert not at.exception, at.exception
    table = proposed_table(at)
    assert list(table["site_id"]) == ["SY-TALLBAYDAR"] and list(table["injured"]) == ["2"]
    texts = [t.value for t in at.text]
    assert "Read from 3 sentence(s):" in texts
    assert any(t.strip().startswith("Two service members suffered") for t in texts)
    assert any(t.startswith("Check: casualties from sentence 3") or t.startswith("Check: facts from sentence 3")
               for t in texts), texts
