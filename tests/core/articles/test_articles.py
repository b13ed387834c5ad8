"""Whole articles in the style of wire reports (written for these tests): what is found, and every span is exact."""
from __future__ import annotations

import json

import pytest

from dashboard.core.articles import RESULT_KEYS, extract_article

from .conftest import assert_spans

BRIEFING = """WASHINGTON, Nov 1 (Wire) - U.S. and coalition troops in Iraq and Syria have been attacked at least 27 times since Oct. 17, 16 in Iraq and 11 in Syria, Pentagon press secretary Brig. Gen. Pat Ryder told reporters on Tuesday.

On Monday, two one-way attack drones targeted al-Tanf in southern Syria. One was shot down and the other crashed without causing injuries, Ryder said.

Separately, rockets were fired at Ain al-Asad air base on Sunday. Twenty-one U.S. personnel have suffered minor injuries since the campaign began.

Ryder said the United States would respond "at a time and place of our choosing."
"""

KURDISH = """ERBIL, Kurdistan Region (Wire) - An explosive-laden drone was downed near Harir airfield late on Saturday, the Kurdistan Region's counter-terrorism directorate said in a statement.

The drone fell in an open field and nobody was hurt, the statement said. The Islamic Resistance in Iraq, a coalition of Iran-aligned armed factions, claimed the attack on its Telegram channel.

A second drone struck near Erbil airport base yesterday, damaging a vehicle, security sources said.
"""

STRIKES = """DAMASCUS (Wire) - U.S. warplanes struck a weapons depot near Abu Kamal in eastern Syria on Wednesday, killing at least four fighters, a war monitor said.

The strikes came after a rocket attack on Patrol Base Shaddadi on Monday that wounded two U.S. service members, the Pentagon said.

Kataib Hezbollah, which Washington blames for many of the attacks, denied any role.
"""


def test_result_has_the_keys_and_is_json(extract):
    result = extract(BRIEFING, "2023-11-01", source="Wire", document_id="wire-2023-11-01")
    assert tuple(result) == RESULT_KEYS
    assert json.loads(json.dumps(result)) == result
    assert result["document"]["document_id"] == "wire-2023-11-01"
    assert result["document"]["publisher"] == "Wire"


def test_briefing(extract):
    result = extract(BRIEFING, "2023-11-01")
    assert assert_spans(result, BRIEFING) > 10
    (count,) = result["counts"]
    assert (count["total"], count["qualifier"], count["by_country"], count["since"]) == \
        (27, "at_least", {"Iraq": 16, "Syria": 11}, "2023-10-17")
    assert count["reported_by"] == "Pentagon press secretary Brig. Gen. Pat Ryder"
    summary = [(i["event_type"], i["site_id"], i["date"], i["date_certainty"], i["confirmation"], i["injured"])
               for i in result["incidents"]]
    assert summary == [
        ("drone", "SY-TANF", "2023-10-30", "inferred", "US-official", 0),
        ("rocket", "IQ-ASAD", "2023-10-29", "inferred", "claim-only", None),  # its sentence names no source
    ]
    assert result["incidents"][0]["more_evidence"][0]["text"].startswith("One was shot down")


def test_kurdish_report_across_the_year_end(extract):
    result = extract(KURDISH, "2024-01-01")
    incidents = result["incidents"]
    assert [(i["event_type"], i["site_id"], i["date"], i["confirmation"]) for i in incidents] == [
        ("drone", "IQ-HARIR", "2023-12-30", "local-official"),
        ("drone", "IQ-ERBIL", "2023-12-31", "local-official"),
    ]
    assert incidents[0]["injured"] == 0
    assert (incidents[0]["actor"], incidents[0]["actor_role"]) == ("Islamic Resistance in Iraq", "claimed")
    assert [a["actor_id"] for a in result["actors"]] == ["IRI", "IRAN"]
    assert result["actors"][1]["role"] == "backer"


def test_strikes_across_the_month_end(extract):
    result = extract(STRIKES, "2024-03-01")
    incidents = result["incidents"]
    assert [(i["event_type"], i["site_id"], i["date"]) for i in incidents] == [
        ("us_strike", "STRIKE-ABUKAMAL", "2024-02-28"),
        ("rocket", "SY-SHADDADI", "2024-02-26"),
    ]
    strike, attack = incidents
    assert (strike["killed"], strike["casualty_wording"], strike["actor"]) == (4, {"killed": "at_least"}, "United States")
    assert strike["confirmation"] == "claim-only" and strike["reported_by"] == "a war monitor"
    assert (attack["injured"], attack["confirmation"]) == (2, "US-official")
    assert attack["actor"] is None  # Kataib Hezbollah is named as blamed, and denies; not an attacker in the text
    assert {a["actor_id"] for a in result["actors"]} == {"KH"}


def test_empty_and_unrelated_text(extract):
    for text in ("", "The weather in Baghdad was mild on Sunday, officials said."):
        result = extract(text)
        assert result["sites"] == result["counts"] == result["incidents"] == result["actors"] == []


def test_document_record(extract, gazetteer):
    result = extract("Rockets hit Tanf.", "2023-11-23", source="https://example.org/a/1")
    document = result["document"]
    assert (document["url"], document["publisher"], document["published"]) == ("https://example.org/a/1", None, "2023-11-23")
    assert document["document_id"] == "article-" + document["sha256"][:12]
    assert extract_article("Rockets hit Tanf.", "2023-11-23", gazetteer)["document"]["published"] == "2023-11-23"


@pytest.mark.parametrize("kwargs, message", [
    ({"published": "23 Nov 2023"}, "`published` was '23 Nov 2023'"),
    ({"document_id": "has space"}, "`document_id` was 'has space'"),
    ({"url": "ftp://example.org/x"}, "`url` was 'ftp://example.org/x'"),
])
def test_bad_arguments_are_named(gazetteer, kwargs, message):
    options = {"published": "2023-11-23", **kwargs}
    with pytest.raises(ValueError, match=message):
        extract_article("Rockets hit Tanf.", gazetteer=gazetteer, **options)
