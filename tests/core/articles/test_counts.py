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


# Issue 14: running totals worded as the wire reports word them (our own sentences).

def _counts(extract, text, published="2024-01-21"):
    return [{k: c[k] for k in ("total", "qualifier", "by_country", "since", "as_of")} | {"flags": c["flags"]}
            for c in extract(text, published)["counts"]]


def test_a_total_on_so_many_occasions_between_two_days(extract):
    text = "American troops came under fire on 23 occasions between October 17 and 26, a defense official said."
    assert _counts(extract, text, "2023-10-28") == [
        {"total": 23, "qualifier": "exact", "by_country": {}, "since": "2023-10-17", "as_of": "2023-10-26", "flags": []}]


def test_the_number_of_attacks_risen_to_with_its_split_in_the_next_sentence_and_the_day_it_was_said(extract):
    text = ("A spokesman said on January 11 that since October 17 the number of attacks on the bases had risen "
            "to 130. Of this number, 53 struck bases in Iraq and 77 more in Syria.")
    (count,) = _counts(extract, text)
    assert count == {"total": 130, "qualifier": "exact", "by_country": {"Iraq": 53, "Syria": 77},
                     "since": "2023-10-17", "as_of": "2024-01-11", "flags": []}


def test_a_split_that_does_not_add_up_is_kept_and_flagged(extract):
    (count,) = _counts(extract, "Officials counted 66 attacks since Oct. 17: 29 in Iraq and 33 in Syria.", "2023-11-20")
    assert (count["total"], count["by_country"]) == (66, {"Iraq": 29, "Syria": 33})
    assert count["flags"] == ["the split by country (29 in Iraq + 33 in Syria = 62) does not add up to the stated "
                              "total of 66; both are kept as stated"]


def test_a_lower_bound_whose_split_is_larger_adds_up(extract):
    (count,) = _counts(extract, "At least 60 attacks since Oct. 17 hit troops: 32 in Iraq and 34 in Syria.", "2023-11-20")
    assert count["flags"] == []


def test_a_story_code_above_a_headline_is_no_total(extract):
    text = "Story Code : 1099752\nAttacks on a US base resume\nRockets hit al-Shaddadi on Friday, the monitor said."
    result = extract(text, "2023-12-02")
    assert result["counts"] == []
    assert [(i["site_id"], i["date"]) for i in result["incidents"]] == [("SY-SHADDADI", "2023-12-01")]


def test_according_to_at_the_start_of_a_sentence_names_the_speaker(extract):
    (count,) = extract("According to two defense officials, there have been 66 attacks since Oct. 17.",
                       "2023-11-20")["counts"]
    assert (count["reported_by"], count["reported_by_kind"]) == ("two defense officials", "US-official")


def test_an_ordinal_attack_since_a_day_is_a_running_total_of_the_country_it_names(extract):
    (count,) = extract("The monitor called it the 39th recorded attack on US bases in Syria since Oct. 19.",
                       "2023-11-19")["counts"]
    assert (count["total"], count["since"], count["by_country"]) == (39, "2023-10-19", {"Syria": 39})
    assert count["notes"] == ["a tally of attacks in Syria only, as the sentence reads"]


def test_brought_the_number_of_attacks_to(extract):
    text = "The strikes brought the number of recorded attacks on US bases in Syria to 71 since Oct. 19, the monitor said."
    (count,) = extract(text, "2024-01-03")["counts"]
    assert (count["total"], count["by_country"], count["since"]) == (71, {"Syria": 71}, "2023-10-19")


def test_separate_rocket_and_drone_attacks(extract):
    text = "Troops have come under at least 41 separate rocket and drone attacks since Oct. 17, officials said."
    (count,) = extract(text, "2023-11-09")["counts"]
    assert (count["total"], count["qualifier"]) == (41, "at_least")


def test_the_day_a_total_was_said_is_its_as_of_date(extract):
    text = "On Tuesday, a Pentagon spokesman said troops had been attacked at least 27 times, 16 in Iraq and 11 in Syria."
    (count,) = extract(text, "2023-11-04")["counts"]
    assert (count["as_of"], count["by_country"]) == ("2023-10-31", {"Iraq": 16, "Syria": 11})


def test_an_ordinal_without_a_starting_day_is_no_total(extract):
    assert extract("It was the 3rd attack on the base this week.", "2023-11-19")["counts"] == []


def test_a_split_before_its_total_in_the_same_sentence(extract):
    text = ("From October 17 to October 30, forces have been attacked at least 14 separate times in Iraq and nine "
            "separate times in Syria, for a total of 23 attacks to date, an official said.")
    (count,) = extract(text, "2023-10-31")["counts"]
    assert (count["total"], count["by_country"], count["since"], count["as_of"]) == (
        23, {"Iraq": 14, "Syria": 9}, "2023-10-17", "2023-10-30")


def test_a_split_in_separate_times_in_the_next_sentence(extract):
    text = "Forces have been attacked at least 40 times to date. 22 separate times in Iraq and 18 separate times in Syria."
    (count,) = extract(text, "2023-11-07")["counts"]
    assert (count["total"], count["by_country"]) == (40, {"Iraq": 22, "Syria": 18})


def test_attacks_of_which_there_have_been(extract):
    text = 'The strike answered attacks on U.S. service members, of which there have been more than 160 since mid-October.'
    (count,) = extract(text, "2024-02-08")["counts"]
    assert (count["total"], count["qualifier"]) == (160, "more_than")


def test_a_headline_repeating_the_total_of_the_quote_is_one_total(extract):
    text = ("US forces attacked 23 times since October 17\n\nForces have been attacked at least 14 separate times in "
            "Iraq and nine separate times in Syria, for a total of 23 attacks to date, an official said.")
    assert [(c["total"], c["by_country"]) for c in extract(text, "2023-10-31")["counts"]] == [(23, {"Iraq": 14, "Syria": 9})]


def test_at_least_the_32nd_with_its_split(extract):
    text = ("Sunday's attack was at least the 32nd on US and coalition forces since Oct. 17: at least 17 attacks in "
            "Iraq and 15 in Syria.")
    (count,) = extract(text, "2023-11-06")["counts"]
    assert (count["total"], count["qualifier"], count["by_country"]) == (32, "at_least", {"Iraq": 17, "Syria": 15})


def test_a_total_of_recorded_incidents(extract):
    (count,) = extract("Officials counted a total of 66 recorded incidents in Iraq and Syria since Oct. 17.",
                       "2023-11-22")["counts"]
    assert count["total"] == 66


def test_only_the_split_is_given_and_the_total_is_its_sum(extract):
    (count,) = extract("As of Thursday, there had been 36 attacks in Iraq and 37 in Syria since Oct. 17, officials said.",
                       "2023-11-24")["counts"]
    assert (count["total"], count["by_country"]) == (73, {"Iraq": 36, "Syria": 37})
    assert count["notes"] == ["the text gives only the split by country; the total is its sum"]


def test_a_split_sentence_after_a_total_is_no_total_of_its_own(extract):
    text = "US forces have been attacked at least 102 times since Oct. 17. 47 of the attacks were in Iraq and 55 in Syria."
    (count,) = extract(text, "2023-12-22")["counts"]
    assert (count["total"], count["by_country"]) == (102, {"Iraq": 47, "Syria": 55})
