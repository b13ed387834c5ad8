"""Sentences, numbers and whole-word phrase matching keep exact offsets."""
from __future__ import annotations

import pytest

from dashboard.core.articles.text import PhraseMatcher, parse_number, plain_key, split_sentences


@pytest.mark.parametrize("written, value", [
    ("7", 7), ("1,200", 1200), ("seven", 7), ("Seven", 7), ("thirty-three", 33), ("twenty one", 21),
    ("a dozen", 12), ("an", 1), ("nineteen", 19), ("ninety-nine", 99), ("several", None), ("ten-one", None),
])
def test_parse_number(written, value):
    assert parse_number(written) == value


SENTENCES = [
    ("Attacks rose. Officials said so.", ["Attacks rose.", "Officials said so."]),
    ("Since Oct. 17, U.S. forces were attacked. Ryder said.", ["Since Oct. 17, U.S. forces were attacked.", "Ryder said."]),
    ("Brig. Gen. Pat Ryder spoke. Then he left.", ["Brig. Gen. Pat Ryder spoke.", "Then he left."]),
    ("A drone hit the base.\n\nNobody was hurt", ["A drone hit the base.", "Nobody was hurt"]),
    ("Wrapped\nline stays one sentence. Next one.", ["Wrapped\nline stays one sentence.", "Next one."]),
    ('"It was a drone," he said. It fell.', ['"It was a drone," he said.', "It fell."]),
    ("It happened on Nov. 17. 62 attacks followed.", ["It happened on Nov. 17.", "62 attacks followed."]),
]


@pytest.mark.parametrize("article, expected", SENTENCES)
def test_split_sentences(article, expected):
    sentences = split_sentences(article)
    assert [s.text for s in sentences] == expected
    assert all(article[s.start:s.end] == s.text for s in sentences)


def test_paragraphs_are_numbered():
    sentences = split_sentences("One. Two.\n\nThree.")
    assert [s.paragraph for s in sentences] == [0, 0, 1]


def matcher() -> PhraseMatcher:
    return PhraseMatcher([("T", "Tanf"), ("K", "Kata'ib Hezbollah"), ("I", "IRI"), ("U", "U.S. Central Command")], plain_key)


@pytest.mark.parametrize("text, found", [
    ("attack on Tanf today", ["Tanf"]),
    ("Tanf's gate", ["Tanf"]),
    ("the Tanfield road", []),
    ("ATanf", []),
    ("Kataib Hezbollah and Kata'ib  Hezbollah", ["Kataib Hezbollah", "Kata'ib  Hezbollah"]),
    ("Kataib. Hezbollah", []),
    ("the IRI said", ["IRI"]),
    ("the iri said", []),
    ("U.S. Central Command said", ["U.S. Central Command"]),
])
def test_phrase_matcher_matches_whole_words_only(text, found):
    matches = matcher().find(text)
    assert [text[m.start:m.end] for m in matches] == found
