"""Killed and injured, in words and digits, with their wording."""
from __future__ import annotations

import pytest

from dashboard.core.articles.casualties import find_casualties

from .conftest import assert_spans

KEYS = ("killed", "killed_max", "injured", "injured_max")
# (sentence, killed, killed_max, injured, injured_max)
CASUALTIES = [
    ("The strike reportedly killed up to seven people.", None, 7, None, None),
    ("One US service member suffered minor injuries.", None, None, 1, None),
    ("The blast killed 2 and injured 12 people.", 2, None, 12, None),
    ("At least 3 militants were killed.", 3, None, None, None),
    ("As many as nine fighters died.", None, 9, None, None),
    ("Two to five soldiers were wounded.", None, None, 2, 5),
    ("Forty-seven US troops were wounded.", None, None, 47, None),
    ("Eight troops sustained traumatic brain injuries.", None, None, 8, None),
    ("A US contractor was injured.", None, None, 1, None),
    ("The attack left two guards dead.", 2, None, None, None),
    ("The drone caused minor injuries to four personnel.", None, None, 4, None),
    ("Killing three Kataib Hezbollah members, the strike ended.", 3, None, None, None),
    ("No one was hurt.", None, None, 0, None),
    ("There were no injuries.", None, None, 0, None),
    ("There were no casualties.", 0, None, 0, None),
    ("No US personnel were killed.", 0, None, None, None),
    ("The strike killed a number of militants.", None, None, None, None),
    ("The drone attack that hit the hangar caused damage.", None, None, None, None),
    ("Two drones hit the base on Oct. 17, 2023.", None, None, None, None),
]


@pytest.mark.parametrize("sentence, killed, killed_max, injured, injured_max", CASUALTIES)
def test_casualty_figures(sentence, killed, killed_max, injured, injured_max):
    found = find_casualties(sentence, 0, len(sentence))
    assert tuple(found[k] for k in KEYS) == (killed, killed_max, injured, injured_max)
    assert_spans(found, sentence)


def test_wording_and_severity():
    text = "x killed up to seven people; one soldier suffered minor injuries"
    found = find_casualties(text, 0, len(text))
    assert found["killed_wording"] == "up_to" and found["injured_wording"] == "exact"
    assert found["severity"] == "minor"


def test_offsets_inside_a_longer_text():
    article = "Intro. The strike killed up to seven people. Outro."
    found = find_casualties(article, 7, 44)
    assert found["killed_max"] == 7
    assert [e["text"] for e in found["evidence"]] == ["killed up to seven people"]
    assert_spans(found, article)
