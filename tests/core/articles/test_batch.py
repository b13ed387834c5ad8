"""Many articles at once: reports of one attack merged, matched to the dataset, and the files of the review."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pandas as pd
import pytest

from dashboard.core.articles import MAX_ARTICLE_CHARS, extract_article, load_actors
from dashboard.core.articles.batch import combined_type, merge_reports, review_batch
from dashboard.core.articles.batch_files import (ArticleJob, date_from_filename, extract_articles, jobs_from_folder,
                                                  jobs_from_list, review_csv, review_payload, review_rows, write_review)
from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.gazetteer import Gazetteer

# Three outlets on one rocket attack on Charlie Garrison (SY-C) on Tuesday 14 November 2023; the second
# dates it a day later (it was filed after midnight), and they disagree on the number hurt.
WIRE = "Rockets were fired at Charlie Garrison in Syria on Tuesday, wounding two American soldiers, a US defense official said."
LOCAL = ("Charlie Garrison in eastern Syria came under a rocket attack on Wednesday. Three US troops were lightly "
         "hurt, local officials said. The Islamic Resistance in Iraq claimed responsibility.")
PAPER = "On Nov. 14, several rockets struck Charlie Garrison, the Syrian base used by US forces. Nobody was killed."
# I-6 of the test data: a drone attack on Tall Bravo (SY-B) on 2023-11-20, one injured, source https://example.org/report.
TALL_BRAVO = "A drone attacked Tall Bravo in Syria on Monday, injuring one US service member, a Pentagon spokesperson said."
# I-4: a drone attack on Delta Camp (IQ-D) on 2023-11-02 with no casualty figure.
DELTA = "A drone hit Delta Camp in Iraq on Thursday, injuring two people, a US official said."


@pytest.fixture
def dataset(mini_data):
    return load_dataset(mini_data)


@pytest.fixture
def read(dataset):
    """``read((name, published, text[, url]), ...)``: the readings of those articles, in that order."""
    gazetteer, actors = Gazetteer(dataset.sites), load_actors()

    def run(*articles) -> list[dict]:
        readings = []
        for name, published, text, *url in articles:
            extraction = extract_article(text, published, gazetteer, actors, document_id=name.removesuffix(".txt"),
                                         url=url[0] if url else None)
            readings.append({"article": name, "path": name, "extraction": extraction})
        return readings
    return run


def test_three_reports_of_one_attack_make_one_row_with_three_sources(read, dataset):
    readings = read(("wire.txt", "2023-11-15", WIRE, "https://example.org/wire"),
                    ("local.txt", "2023-11-15", LOCAL, "https://example.org/local"),
                    ("paper.txt", "2023-11-16", PAPER, "https://example.org/paper"))
    [proposal] = review_batch(readings, dataset.incidents)
    assert (proposal["kind"], proposal["site_id"], proposal["event_type"]) == ("new", "SY-C", "rocket")
    assert proposal["sources"] == ["https://example.org/wire", "https://example.org/local", "https://example.org/paper"]
    assert proposal["articles"] == ["wire.txt", "local.txt", "paper.txt"]
    # the paper's "Nov. 14" is reported; the weekdays were worked out from the publication dates
    assert (proposal["date"], proposal["date_certainty"]) == ("2023-11-14", "reported")
    assert proposal["confirmation"] == "US-official"
    assert proposal["actor"].startswith("Islamic Resistance in Iraq")
    assert (proposal["killed"], proposal["injured"]) == ("0", "2")  # the first article stating each figure
    notes = " | ".join(proposal["review_notes"])
    assert "sources disagree on casualties: wire.txt says 2 injured, local.txt says 3 injured" in notes
    assert "sources give different dates" in notes
    assert {span["article"] for span in proposal["evidence"]} == {"wire.txt", "local.txt", "paper.txt"}
    texts = {"wire.txt": WIRE, "local.txt": LOCAL, "paper.txt": PAPER}
    for span in proposal["evidence"]:
        assert texts[span["article"]][span["start"]:span["end"]] == span["text"]


@pytest.mark.parametrize("one, other, expected", [
    ("drone", "drone", "drone"),
    ("unknown", "rocket", "rocket"),
    ("drone", "rocket", "mixed"),
    ("mixed", "drone", "mixed"),
    ("missile", "drone", None),
    ("us_strike", "us_strike", "us_strike"),
    ("us_strike", "unknown", None),
    ("us_strike", "drone", None),
])
def test_combined_type(one, other, expected):
    assert combined_type(one, other) == expected
    assert combined_type(other, one) == expected


@pytest.mark.parametrize("second", [
    ("b.txt", "2023-11-18", "Rockets were fired at Charlie Garrison in Syria on Friday."),  # three days later
    ("b.txt", "2023-11-15", "Rockets were fired at Tall Bravo in Syria on Tuesday."),  # another site
    ("b.txt", "2023-11-15", "US warplanes struck Charlie Garrison in Syria on Tuesday."),  # a US strike
])
def test_reports_of_different_attacks_stay_apart(read, second):
    readings = read(("a.txt", "2023-11-15", WIRE), second)
    assert len(merge_reports(readings)) == 2


def test_one_article_is_not_merged_with_itself(read):
    text = ("Rockets were fired at Charlie Garrison in Syria on Tuesday. "
            "Separately, a rocket attack on Charlie Garrison in Syria was reported on Wednesday.")
    proposals = merge_reports(read(("a.txt", "2023-11-16", text)))
    assert all(p["articles"] == ["a.txt"] for p in proposals)


def test_an_undated_report_joins_only_a_single_candidate(read):
    undated = ("c.txt", "2023-11-16", "Rockets struck Charlie Garrison, local officials said.")
    [merged] = merge_reports(read(("a.txt", "2023-11-15", WIRE), undated))
    assert merged["articles"] == ["a.txt", "c.txt"] and merged["date"] == "2023-11-14"
    two = read(("a.txt", "2023-11-15", WIRE), ("b.txt", "2023-11-18", "Rockets hit Charlie Garrison in Syria on Friday."),
               undated)
    proposals = merge_reports(two)
    assert len(proposals) == 3
    alone = next(p for p in proposals if p["articles"] == ["c.txt"])
    assert (alone["date"], alone["date_certainty"], alone["published"]) == ("", "", "2023-11-16")
    assert any("c.txt gives no date and fits 2 attacks" in note for note in alone["review_notes"])


def test_an_undated_report_is_matched_as_of_its_publication(read, dataset):
    undated = "A drone attacked Tall Bravo in Syria, injuring one US service member, a Pentagon spokesperson said."
    [known] = review_batch(read(("tb.txt", "2023-11-23", undated, "https://example.org/report")), dataset.incidents)
    assert (known["kind"], known["incident_id"], known["date"]) == ("known", "I-6", "")
    [new] = review_batch(read(("tb.txt", "2023-12-20", undated, "https://example.org/report")), dataset.incidents)
    assert (new["kind"], new["date"]) == ("new", "")
    assert "no article gives a date; the first was published 2023-12-20, the latest the attack can be" in new["review_notes"]


def test_an_attack_in_the_dataset_with_a_new_source_is_an_addition(read, dataset):
    [proposal] = review_batch(read(("tb.txt", "2023-11-21", TALL_BRAVO, "https://example.org/pentagon")),
                              dataset.incidents)
    assert (proposal["kind"], proposal["incident_id"]) == ("addition", "I-6")
    assert proposal["new_sources"] == ["https://example.org/pentagon"] and proposal["new_casualties"] == {}


def test_an_attack_in_the_dataset_with_nothing_new_is_known(read, dataset):
    [proposal] = review_batch(read(("tb.txt", "2023-11-21", TALL_BRAVO, "https://example.org/report")),
                              dataset.incidents)
    assert (proposal["kind"], proposal["incident_id"], proposal["new_sources"]) == ("known", "I-6", [])


def test_a_casualty_figure_the_incident_lacks_is_an_addition(read, dataset):
    [proposal] = review_batch(read(("d.txt", "2023-11-03", DELTA, "https://example.org/report")), dataset.incidents)
    assert (proposal["kind"], proposal["incident_id"]) == ("addition", "I-4")
    assert proposal["new_sources"] == [] and proposal["new_casualties"] == {"injured": 2, "injured_max": None}


def test_a_report_two_days_off_the_dataset_is_new_with_the_candidate_noted(read, dataset):
    text = "A drone attacked Tall Bravo in Syria on Wednesday, injuring one US service member."
    [proposal] = review_batch(read(("tb.txt", "2023-11-23", text, "https://example.org/x")), dataset.incidents)
    assert proposal["kind"] == "new" and proposal["candidates"][0]["incident_id"] == "I-6"
    assert any(note.startswith("close to I-6") for note in proposal["review_notes"])


@pytest.mark.parametrize("name, expected", [
    ("2023-11-20_shafaq-erbil.txt", dt.date(2023, 11, 20)),
    ("2024-02-29 wire.txt", dt.date(2024, 2, 29)),
])
def test_date_from_filename(name, expected):
    assert date_from_filename(name) == expected


@pytest.mark.parametrize("name, words", [
    ("shafaq-erbil.txt", "'shafaq-erbil.txt' does not start with a publication date"),
    ("20231120_erbil.txt", "'20231120_erbil.txt' does not start"),
    ("2023-02-30_erbil.txt", "'2023-02-30_erbil.txt' starts with '2023-02-30', which is not a date that exists"),
])
def test_date_from_filename_names_the_file(name, words):
    with pytest.raises(ValueError, match=words):
        date_from_filename(name)


def test_jobs_from_folder_reports_every_file(tmp_path):
    for name in ("2023-11-15_wire.txt", "wire-copy.txt", "README.md", ".hidden.txt"):
        (tmp_path / name).write_text(WIRE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    jobs, failures, ignored = jobs_from_folder(tmp_path)
    assert [(j.name, j.published) for j in jobs] == [("2023-11-15_wire.txt", dt.date(2023, 11, 15))]
    assert [f["article"] for f in failures] == ["wire-copy.txt"] and "wire-copy.txt" in failures[0]["reason"]
    assert ignored == ["README.md", "sub"]


def test_jobs_from_list(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "list.csv").write_text(
        "path,published,source,url\n"
        "articles/wire.txt,2023-11-15,Wire,https://example.org/wire\n"
        "articles/local.txt,15/11/2023,Local,\n"
        "articles/wire.txt,2023-11-15,Wire,\n", encoding="utf-8")
    jobs, failures = jobs_from_list(tmp_path / "list.csv")
    assert jobs == [ArticleJob(tmp_path / "articles" / "wire.txt", dt.date(2023, 11, 15), "Wire", "https://example.org/wire")]
    assert [f["reason"] for f in failures] == [
        "list.csv line 3: `published` was '15/11/2023' but is expected to be a date written YYYY-MM-DD",
        "list.csv line 4: listed already on line 2"]
    (tmp_path / "bad.csv").write_text("file,date\nx.txt,2023-11-15\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected to have \\['path', 'published', 'source'\\]"):
        jobs_from_list(tmp_path / "bad.csv")


def test_unreadable_articles_fail_alone(tmp_path, dataset):
    good, bad, long = tmp_path / "good.txt", tmp_path / "latin1.txt", tmp_path / "long.txt"
    good.write_text(WIRE, encoding="utf-8")
    bad.write_bytes("Rockets hit Charlie Garrison near Deir ez-Zor, said Al-Mayadeen\u00e9.".encode("latin-1"))
    long.write_text("a" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")
    jobs = [ArticleJob(p, dt.date(2023, 11, 15)) for p in (bad, good, long, tmp_path / "missing.txt")]
    seen = []
    readings, failures = extract_articles(jobs, Gazetteer(dataset.sites), None, seen.append)
    assert [r["article"] for r in readings] == ["good.txt"] and len(seen) == 4
    reasons = {f["article"]: f["reason"] for f in failures}
    assert "not UTF-8" in reasons["latin1.txt"] and "100,000 characters" in reasons["long.txt"]
    assert "missing.txt cannot be read" in reasons["missing.txt"]
    assert readings[0]["extraction"]["document"]["document_id"] == "good"


@pytest.mark.parametrize("cell", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx", " =1"])
def test_review_csv_neutralises_formulas(cell):
    rows = pd.DataFrame([{"proposal": "P1", "kind": "new", "actor": cell}], dtype=object)
    header, row = csv.reader(io.StringIO(review_csv(rows), newline=""))
    assert dict(zip(header, row)) == {"proposal": "P1", "kind": "new", "actor": "'" + cell}


def test_review_files_round_trip(tmp_path, read, dataset):
    readings = read(("wire.txt", "2023-11-15", WIRE, "https://example.org/wire"),
                    ("tb.txt", "2023-11-21", TALL_BRAVO + " There have been 62 attacks on US forces since Oct. 17, "
                     "a defense official said."))
    proposals = review_batch(readings, dataset.incidents)
    failures = [{"article": "x.txt", "path": "x.txt", "reason": "x.txt is not UTF-8 text"}]
    payload = review_payload(proposals, readings, failures, ["README.md"], "data")
    csv_path, json_path = write_review(tmp_path / "review", review_rows(proposals), payload)
    table = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    assert list(table["proposal"]) == ["P1", "P2"] and list(table["kind"]) == ["new", "known"]
    assert table.loc[1, "incident_id"] == "I-6" and table.loc[0, "articles"] == "wire.txt"
    saved = json.loads(json_path.read_text(encoding="utf-8"))
    assert saved["summary"] == {"articles_read": 2, "failed": 1, "new": 1, "additions": 0, "known": 1}
    assert [d["document_id"] for d in saved["documents"]] == ["wire", "tb"]
    assert saved["running_totals"][0]["article"] == "tb.txt" and saved["running_totals"][0]["counts"][0]["total"] == 62
    assert saved["failures"] == failures and saved["ignored"] == ["README.md"]
    assert not [p for p in (tmp_path / "review").iterdir() if p.name.startswith(".")]  # no temporary file left
