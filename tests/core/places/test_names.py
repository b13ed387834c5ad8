"""Name normalisation: one key for the spellings of one place."""
from __future__ import annotations

import pytest

from dashboard.core.places.names import core_name, has_facility_word, normalise_name

SAME_KEY = [
    ("Ain al-Asad", "Ayn al Asad"),
    ("Ain al-Asad", "Ein el-Asad"),
    ("Ain al-Asad", "AIN AL ASAD"),
    ("Tall Baydar", "Tal Baydar"),
    ("Tall Baydar", "Tel-Baydar"),
    ("Tall Baydar", "Tell Baydar"),
    ("al-Tanf", "At-Tanf"),
    ("al-Tanf", "Tanf"),
    ("ash-Shaddadi", "Al Shaddadi"),
    ("Al Asad Air Base", "Al-Asad Airbase"),
    ("Al Asad Air Base", "Al Asad AB"),
    ("Mission Support Site Euphrates", "MSS Euphrates"),
    ("al-Qa'im", "Al Qaim"),
    ("al-Qa\u2019im", "al-Qaim"),
    ("Hesek\u00ea", "Heseke"),
    ("Tower 22", "Tower-22"),
    ("Tower 22", "tower22"),
    ("Rumalyn Landing Zone", "Rumalyn LZ"),
    ("Patrol Base Shaddadi", "PB Shaddadi"),
    ("Harir Air Base (Shaqlawa district)", "Harir Air Base"),
]


@pytest.mark.parametrize("one, other", SAME_KEY)
def test_spellings_share_a_key(one, other):
    assert normalise_name(one) == normalise_name(other)


@pytest.mark.parametrize("one, other", [("Tall Baydar", "Tal Afar"), ("Ain al-Asad", "Ain Issa"), ("Tanf", "Tabqa")])
def test_different_places_keep_different_keys(one, other):
    assert normalise_name(one) != normalise_name(other)


@pytest.mark.parametrize(
    "name, core",
    [("al-Tanf garrison", "tanf"), ("Al Asad Air Base", "asad"), ("Erbil International Airport", "erbil"),
     ("US base at Conoco", "conoco"), ("MSS Green Village", "green village")],
)
def test_core_name_drops_facility_words(name, core):
    assert core_name(name) == core


def test_facility_word_detection():
    assert has_facility_word("Tanf garrison") and not has_facility_word("Tall Baydar")
