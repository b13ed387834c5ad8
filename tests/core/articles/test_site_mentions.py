"""Sites are found under any spelling, on whole words only; unknown places are listed, never guessed."""
from __future__ import annotations

import pytest

from dashboard.core.articles.site_mentions import find_sites

from .conftest import assert_spans

# (sentence, mention text, site_id)
SPELLINGS = [
    ("Drones hit Al Asad Air Base.", "Al Asad Air Base", "IQ-ASAD"),
    ("Drones hit Ain al-Asad.", "Ain al-Asad", "IQ-ASAD"),
    ("Drones hit Ayn al Asad overnight.", "Ayn al Asad", "IQ-ASAD"),
    ("Drones hit Ein el-Asad.", "Ein el-Asad", "IQ-ASAD"),
    ("Drones hit the Al-Asad airbase.", "Al-Asad airbase", "IQ-ASAD"),
    ("Drones hit Al Asad AB.", "Al Asad AB", "IQ-ASAD"),
    ("Drones hit Ain al-Asad air base.", "Ain al-Asad air base", "IQ-ASAD"),
    ("A rocket fell near Tel Beydar.", "Tel Beydar", "SY-TALLBAYDAR"),
    ("A rocket fell near Tal-Baydar.", "Tal-Baydar", "SY-TALLBAYDAR"),
    ("A rocket fell near Tell Baydar.", "Tell Baydar", "SY-TALLBAYDAR"),
    ("A drone targeted MSS Euphrates.", "MSS Euphrates", "SY-EUPHRATES"),
    ("A drone targeted Mission Support Site Euphrates.", "Mission Support Site Euphrates", "SY-EUPHRATES"),
    ("A drone targeted a mission support site at Euphrates, Syria.", "mission support site at Euphrates", "SY-EUPHRATES"),
    ("A drone targeted the Conoco base.", "Conoco base", "SY-EUPHRATES"),
    ("Rockets hit the base at al-Tanf.", "base at al-Tanf", "SY-TANF"),
    ("Rockets hit at-Tanf.", "at-Tanf", "SY-TANF"),
    ("Rockets hit Tanf's perimeter.", "Tanf", "SY-TANF"),
    ("Rockets hit the Tanf garrison.", "Tanf garrison", "SY-TANF"),
    ("Strikes near al-Qa\u2019im.", "al-Qa\u2019im", "STRIKE-QAIM"),
    ("Strikes near Al Qaim.", "Al Qaim", "STRIKE-QAIM"),
    ("Strikes near ALBU KAMAL.", "ALBU KAMAL", "STRIKE-ABUKAMAL"),
    ("Three soldiers died at Tower-22 in Jordan.", "Tower-22", "JO-TOWER22"),
    ("Three soldiers died at T-22.", "T-22", "JO-TOWER22"),
    ("A drone hit Erbil airport base.", "Erbil airport base", "IQ-ERBIL"),
    ("A drone hit the Erbil air base.", "Erbil air base", "IQ-ERBIL"),
    ("Patrol Base Shaddadi was hit.", "Patrol Base Shaddadi", "SY-SHADDADI"),
    ("PB Shaddadi was hit.", "PB Shaddadi", "SY-SHADDADI"),
    ("A drone hit the al-Omar oil field.", "al-Omar oil field", "SY-GREEN"),
    ("The ORAA runway was hit.", "ORAA", "IQ-ASAD"),
    ("Drones hit Harir.", "Harir", "IQ-HARIR"),
    ("A drone hit Qasrak airfield.", "Qasrak airfield", "SY-QASRAK"),
]


@pytest.mark.parametrize("sentence, text, site_id", SPELLINGS)
def test_spelling_finds_site(gazetteer, sentence, text, site_id):
    found = find_sites(sentence, gazetteer)
    assert [(f["text"], f["site_id"], f["status"]) for f in found] == [(text, site_id, "resolved")]
    assert_spans(found, sentence)


@pytest.mark.parametrize("sentence", [
    "The Tanfield road was closed.",
    "Officials in Harirabad said nothing.",
    "Mr. Assadi spoke about Asadabad.",
    "The oraa of the day.",
    "Qaimari traders left.",
    "An atTanf sign.",
])
def test_name_inside_a_longer_word_does_not_match(gazetteer, sentence):
    assert find_sites(sentence, gazetteer) == []


def test_sentence_with_two_sites(gazetteer):
    sentence = "Drones attacked Ain al-Asad in Iraq and Tall Baydar in Syria on Sunday."
    found = find_sites(sentence, gazetteer)
    assert [(f["text"], f["site_id"], f["country"]) for f in found] == [
        ("Ain al-Asad", "IQ-ASAD", "Iraq"), ("Tall Baydar", "SY-TALLBAYDAR", "Syria")]
    assert_spans(found, sentence)


@pytest.mark.parametrize("sentence, text", [
    ("A drone hit Mission Support Site Hawk.", "Mission Support Site Hawk"),
    ("Rockets hit the Kharab Jabal air base.", "Kharab Jabal air base"),
    ("Militants shelled Camp Redwood.", "Camp Redwood"),
    ("Drones were launched at Tall Abyad.", "Tall Abyad"),
])
def test_place_like_phrase_without_a_site_is_unresolved(gazetteer, sentence, text):
    found = find_sites(sentence, gazetteer)
    assert [(f["text"], f["status"], f["site_id"]) for f in found] == [(text, "unresolved", None)]
    assert_spans(found, sentence)


@pytest.mark.parametrize("sentence", [
    "A US base in Syria was hit.",
    "The American base came under fire.",
    "Iraqi air base officials said.",
    "On Sunday base defences fired.",
    "Sirens sounded in Tel Aviv.",
])
def test_generic_or_excluded_phrases_are_not_places(gazetteer, sentence):
    assert find_sites(sentence, gazetteer) == []


def test_spelling_shared_by_two_sites_is_ambiguous(gazetteer):
    found = find_sites("Rockets fell in the Green Zone.", gazetteer)
    assert [(f["text"], f["status"]) for f in found] == [("Green Zone", "ambiguous")]
    assert {c["site_id"] for c in found[0]["candidates"]} == {"IQ-EMBASSY", "IQ-UNION3"}


def test_resolved_mention_carries_the_site(gazetteer):
    found = find_sites("A drone hit Tall Baydar.", gazetteer)[0]
    assert found["name"] == "Tall Baydar base" and found["country"] == "Syria"
    assert (found["lat"], found["lon"]) == (36.74, 40.59)
    assert found["method"] == "spelling"
    site_without_point = find_sites("A drone hit Qasrak airfield.", gazetteer)[0]
    assert site_without_point["lat"] is None and site_without_point["lon"] is None


def test_excluded_spans_block_phrases(gazetteer):
    sentence = "The Kataib Hezbollah camp was struck."
    assert find_sites(sentence, gazetteer)[0]["status"] == "unresolved"
    assert find_sites(sentence, gazetteer, exclude=[(4, 20)]) == []
