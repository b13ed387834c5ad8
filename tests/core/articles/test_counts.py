"""Running totals: number, wording, split by country, start date, speaker."""
from __future__ import annotations

import pytest

# (sentence, total, qualifier, by_country, since, reported_by)
COUNTS = [
    ("A defense official said there had been a total of 62 attacks, with 29 occurring in Iraq and 33 in Syria.",
     62, "exact", {"Iraq": 29, "Syria": 33}, None, "A defense official"),
    ("US forces have been attacked at least 66 times since Oct. 17, according to a defense official.",
     66, "at_least", {}, "2023-10-17", "a defense official"),
    ("Officials counted nearly 140 attacks since mid-October.", 140, "about", {}, "2023-10-11", "Officials"),
    ("There have been more than 150 attacks on US troops so far.", 150, "more_than", {}, None, None),
    ("Pentagon spokesperson Sabrina Singh said there had been 61 attacks since Oct. 17, 29 in Iraq and 32 in Syria.",
     61, "exact", {"Iraq": 29, "Syria": 32}, "2023-10-17", "Pentagon spokesperson Sabrina Singh"),
    ("Brig. Gen. Pat Ryder said US forces were attacked 13 times in Iraq and Syria.", 13, "exact", {}, None,
     "Brig. Gen. Pat Ryder"),
    ("Since October 17 there have been seventy-eight attacks: Iraq (37) and Syria (41).", 78, "exact",
     {"Iraq": 37, "Syria": 41}, "2023-10-17", None),
]


@pytest.mark.parametrize("sentence, total, qualifier, by_country, since, reported_by", COUNTS)
def test_running_totals(extract, sentence, total, qualifier, by_country, since, reported_by):
    counts = extract(sentence)["counts"]
    assert len(counts) == 1, counts
    count = counts[0]
    assert (count["total"], count["qualifier"], count["by_country"], count["since"], count["reported_by"]) == \
        (total, qualifier, by_country, since, reported_by)
    assert count["evidence"]["text"] == sentence


@pytest.mark.parametrize("sentence", [
    "Two drone attacks hit Al Asad on Sunday.",
    "The base was hit three times on Monday.",
    "Officials said 62 troops were hurt.",
    "He repeated it 20 times.",
])
def test_numbers_that_are_not_running_totals(extract, sentence):
    assert extract(sentence)["counts"] == []


def test_as_of_date_and_speaker_kind(extract):
    count = extract("As of Nov. 21, US forces had been attacked 66 times, a US official said.")["counts"][0]
    assert (count["as_of"], count["as_of_basis"], count["reported_by_kind"]) == ("2023-11-21", "stated", "US-official")
    plain = extract("There were 62 attacks.", "2023-11-23")["counts"][0]
    assert (plain["as_of"], plain["as_of_basis"]) == ("2023-11-23", "publication date")
