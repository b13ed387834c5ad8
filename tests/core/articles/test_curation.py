"""From extraction to reviewed rows: proposed rows, likely duplicates, and a safe append to the data folder."""
from __future__ import annotations

import json
import os

import pandas as pd
import pytest

from dashboard.core.data import storage
from dashboard.core.articles.curation import append_incidents, build_seed_record, find_candidates, proposed_rows
from dashboard.core.data.dataset import load_dataset
from dashboard.core.articles import extract_article, load_actors
from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.columns import COUNT_COLUMNS, INCIDENT_COLUMNS, SITE_COLUMNS
from tests.conftest import COUNTS, INCIDENTS, SITES, write_csv

NAMES = [c.name for c in INCIDENT_COLUMNS]
ARTICLE = """AMMAN (Wire) - Two one-way drones struck Alpha Air Base in Iraq on Friday, injuring four U.S. personnel, a defense official said.

Separately, rockets were fired at Tall Bravo in Syria on Monday. The Islamic Resistance in Iraq claimed the attack.

The base at Tall Bravo was also hit earlier this month, local sources said, though no date was given for a strike on Zulu Camp in Syria."""


@pytest.fixture
def data(tmp_path):
    """A valid data folder whose incidents have INC-#### ids."""
    folder = tmp_path / "data"
    (folder / "seeds").mkdir(parents=True)
    write_csv(folder / "sites.csv", SITE_COLUMNS, SITES)
    incidents = [{**row, "incident_id": f"INC-{i:04d}"} for i, row in enumerate(INCIDENTS, start=1)]
    write_csv(folder / "incidents.csv", INCIDENT_COLUMNS, incidents)
    write_csv(folder / "official_counts.csv", COUNT_COLUMNS, COUNTS)
    seed = {"document_id": "doc-1", "publisher": "Wire", "published": "2023-11-23",
            "facts": [{"n": 1, "kind": "attack", "summary": "an attack", "supports": {"incidents": ["INC-0006"]}}]}
    (folder / "seeds" / "doc-1.json").write_text(json.dumps(seed), encoding="utf-8")
    load_dataset(folder)
    return folder


@pytest.fixture
def extraction(data):
    sites = load_dataset(data).sites
    return extract_article(ARTICLE, "2023-10-24", Gazetteer(sites), load_actors(), source="https://example.org/wire/1",
                           document_id="wire-1")


def test_proposed_rows_layout(extraction):
    rows = proposed_rows(extraction)
    assert list(rows.columns) == NAMES
    assert list(rows.index) == ["draft-1", "draft-2", "draft-3", "draft-4"]
    assert set(rows["incident_id"]) == {""}
    first = rows.loc["draft-1"]
    assert (first["date"], first["date_certainty"], first["site_id"], first["event_type"]) == \
        ("2023-10-20", "inferred", "IQ-A", "drone")
    assert (first["injured"], first["killed"], first["casualties"]) == ("4", "", "4 injured")
    assert first["confirmation"] == "US-official"
    assert first["sources"] == "https://example.org/wire/1"
    second = rows.loc["draft-2"]
    assert (second["site_id"], second["event_type"], second["actor"], second["confirmation"]) == \
        ("SY-B", "rocket", "Islamic Resistance in Iraq (claimed)", "claim-only")
    month = rows.loc["draft-3"]
    assert (month["date"], month["date_certainty"], month["confirmation"]) == ("2023-10-01", "approximate", "local-official")
    unplaced = rows.loc["draft-4"]
    assert (unplaced["site_id"], unplaced["place"], unplaced["country"]) == ("", "Zulu Camp", "Syria")


def test_notes_are_our_summary_not_article_sentences(extraction):
    rows = proposed_rows(extraction)
    sentences = [s.strip() for s in ARTICLE.replace("\n", " ").split(". ") if len(s) > 30]
    for note in rows["notes"]:
        assert note and not any(sentence in note for sentence in sentences)
    assert "worked out from 'on Friday'" in rows.loc["draft-1", "notes"]


def test_row_without_date_is_left_for_the_reviewer_and_refused_until_dated(data):
    """An undated report is not dated by its publication: an attack of 18 October reported on the 30th would
    appear on the 30th. The date stays empty, the note says why, and the append names the empty column."""
    sites = load_dataset(data).sites
    result = extract_article("Rockets hit Tall Bravo.", "2023-11-30", Gazetteer(sites), None, document_id="d")
    rows = proposed_rows(result)
    row = rows.iloc[0]
    assert (row["date"], row["date_certainty"], row["sources"]) == ("", "", "d")
    assert "No date in the article: set the attack's date before adding" in row["notes"]
    before = (data / "incidents.csv").read_bytes()
    with pytest.raises(DataValidationError, match="column 'date'"):
        append_incidents(data, rows, build_seed_record(result, rows))
    assert (data / "incidents.csv").read_bytes() == before


def candidate_ids(row: dict, data, **options) -> list[str]:
    return list(find_candidates(row, load_dataset(data).incidents, **options)["incident_id"])


@pytest.mark.parametrize("row, expected", [
    # same site, drone, 2 days after INC-0001 (also drone at IQ-A, 4 injured): first; INC-0003 shares IQ-A (mixed)
    ({"date": "2023-10-20", "site_id": "IQ-A", "country": "Iraq", "event_type": "drone", "injured": "4"},
     ["INC-0001", "INC-0003"]),
    ({"date": "2023-10-20", "site_id": "IQ-A", "country": "Iraq", "event_type": "unknown"}, ["INC-0001", "INC-0003"]),
    ({"date": "2023-10-20", "site_id": "IQ-A", "country": "Iraq", "event_type": "missile"}, []),
    # a wire item republished a week later: its relative date is 7 days off, still a candidate
    ({"date": "2023-11-27", "site_id": "SY-B", "country": "Syria", "event_type": "drone", "injured": "1"}, ["INC-0006"]),
    ({"date": "2023-11-28", "site_id": "SY-B", "country": "Syria", "event_type": "drone"}, []),
    # no site: the same country; a US strike only matches US strikes
    ({"date": "2023-11-06", "site_id": "", "country": "Syria", "event_type": "us_strike", "killed_max": "7"}, ["INC-0005"]),
    ({"date": "2023-11-06", "site_id": "SY-B", "country": "Syria", "event_type": "us_strike"}, []),
    # a range (week or month precision) widens the window
    ({"date": "2023-10-01", "date_end": "2023-10-31", "site_id": "SY-C", "country": "Syria", "event_type": "rocket"},
     ["INC-0002"]),
])
def test_find_candidates(data, row, expected):
    assert candidate_ids(row, data) == expected


def test_candidates_are_scored_and_explained(data):
    row = {"date": "2023-10-20", "site_id": "IQ-A", "country": "Iraq", "event_type": "drone", "injured": "4"}
    found = find_candidates(row, load_dataset(data).incidents)
    best = found.iloc[0]
    assert (best["days_apart"], best["place_match"], best["type_match"], best["casualty_similarity"]) == \
        (2, "same site", "same", 1.0)
    assert 0 < found.iloc[1]["score"] < best["score"] <= 1
    assert "same site" in best["reasons"]
    assert candidate_ids(row, data, window_days=1) == []


def test_find_candidates_accepts_a_proposed_row_and_raw_csv_incidents(data, extraction):
    raw = pd.read_csv(data / "incidents.csv", dtype=str, keep_default_na=False)
    row = proposed_rows(extraction).loc["draft-1"]
    assert list(find_candidates(row, raw)["incident_id"]) == ["INC-0001", "INC-0003"]


def test_append_assigns_ids_refuses_duplicates_and_keeps_old_bytes(data, extraction):
    old = (data / "incidents.csv").read_bytes()
    rows = proposed_rows(extraction).loc[["draft-1", "draft-2", "draft-3"]].copy()
    duplicate = {**rows.loc["draft-1"].to_dict(), "date": "2023-10-18", "injured": "4"}  # = INC-0001
    rows.loc["draft-9"] = duplicate
    rows.loc["draft-10"] = rows.loc["draft-2"]  # the same row twice in one call
    seed = build_seed_record(extraction, rows)

    result = append_incidents(data, rows, seed)

    assert list(result.added["incident_id"]) == ["INC-0007", "INC-0008", "INC-0009"]
    assert list(result.refused.index) == ["draft-9", "draft-10"]
    assert list(result.refused["duplicate_of"]) == ["INC-0001", "INC-0008"]
    new = (data / "incidents.csv").read_bytes()
    assert new.startswith(old) and new.count(b"\n") == old.count(b"\n") + 3
    assert result.backup_path.parent == data / "backups" and result.backup_path.read_bytes() == old
    dataset = load_dataset(data)  # the folder still validates
    assert len(dataset.incidents) == len(INCIDENTS) + 3
    record = json.loads(result.seed_path.read_text(encoding="utf-8"))
    assert result.seed_path == data / "seeds" / "wire-1.json"
    supports = [f["supports"]["incidents"] for f in record["facts"] if f["kind"] != "official_count"]
    assert supports == [["INC-0007"], ["INC-0008"], ["INC-0009"], ["INC-0001"], ["INC-0008"]]
    assert record["document_id"] == "wire-1" and record["url"] == "https://example.org/wire/1"
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]


def test_second_append_of_the_same_document_merges_its_facts(data, extraction):
    rows = proposed_rows(extraction)
    append_incidents(data, rows.loc[["draft-1"]], build_seed_record(extraction, rows.loc[["draft-1"]]))
    result = append_incidents(data, rows.loc[["draft-2"]], build_seed_record(extraction, rows.loc[["draft-2"]]))
    record = json.loads(result.seed_path.read_text(encoding="utf-8"))
    incident_facts = [f for f in record["facts"] if f["kind"] != "official_count"]
    assert [f["supports"]["incidents"] for f in incident_facts] == [["INC-0007"], ["INC-0008"]]
    assert [f["n"] for f in record["facts"]] == list(range(1, len(record["facts"]) + 1))
    assert len(list((data / "seeds").glob("*.json"))) == 2
    load_dataset(data)


def test_invalid_row_changes_nothing(data, extraction):
    old = (data / "incidents.csv").read_bytes()
    rows = proposed_rows(extraction).loc[["draft-1", "draft-4"]]  # draft-4 has no site and country; make it bad
    rows.loc["draft-4", "site_id"] = "SY-NOPE"
    with pytest.raises(DataValidationError) as info:
        append_incidents(data, rows, build_seed_record(extraction, rows))
    assert any(p.column == "site_id" and p.value == "SY-NOPE" for p in info.value.problems)
    assert (data / "incidents.csv").read_bytes() == old
    assert not (data / "backups").exists() and not (data / "seeds" / "wire-1.json").exists()


def test_failed_write_leaves_the_old_file_and_no_temporary_file(data, extraction, monkeypatch):
    old = (data / "incidents.csv").read_bytes()
    rows = proposed_rows(extraction).loc[["draft-1"]]
    real_replace = os.replace

    def failing_replace(source, target):
        if str(target).endswith("incidents.csv"):
            raise OSError("disk full")
        return real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        append_incidents(data, rows, build_seed_record(extraction, rows))
    assert (data / "incidents.csv").read_bytes() == old
    assert not [p for p in data.iterdir() if p.name.endswith(".tmp")]
    load_dataset(data)


@pytest.mark.parametrize("terminator, final", [("\r\n", True), ("\n", False)])
def test_line_endings_and_a_missing_final_newline_are_respected(data, extraction, terminator, final):
    text = (data / "incidents.csv").read_text(encoding="utf-8").replace("\n", terminator)
    if not final:
        text = text.rstrip(terminator)
    (data / "incidents.csv").write_bytes(text.encode("utf-8"))
    old = (data / "incidents.csv").read_bytes()
    rows = proposed_rows(extraction).loc[["draft-1"]]
    append_incidents(data, rows, build_seed_record(extraction, rows))
    new = (data / "incidents.csv").read_bytes()
    assert new.startswith(old)
    assert new[len(old):].endswith(terminator.encode()) and new[len(old):].count(b"\n") == (1 if final else 2)
    assert len(load_dataset(data).incidents) == len(INCIDENTS) + 1


def test_seed_must_reference_rows_or_existing_incidents(data, extraction):
    rows = proposed_rows(extraction).loc[["draft-1"]]
    seed = build_seed_record(extraction, rows)
    seed["facts"][0]["supports"]["incidents"] = ["draft-77"]
    with pytest.raises(ValueError, match="draft-77"):
        append_incidents(data, rows, seed)
    with pytest.raises(ValueError, match="lacks key"):
        append_incidents(data, rows, {"document_id": "x"})
