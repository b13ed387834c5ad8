"""Issue 14: one attack, one row, with the facts of every sentence that tells it attached to it, and a reason.

Every text here is written for these tests (no sentence is copied from a report); each one reproduces a
failure seen on real wire reports, described in the issue.
"""
from __future__ import annotations

import pytest

from dashboard.core.places.gazetteer import Gazetteer

from .conftest import sites_frame


def rows(result: dict) -> list[tuple]:
    return [(i["site_id"], i["date"], i["event_type"]) for i in result["incidents"]]


def reasons(incident: dict) -> list[str]:
    return [a["reason"] for a in incident["attachments"]]


# --- consolidation: one attack, one row ----------------------------------------------------------------------

def test_one_attack_told_over_several_sentences_is_one_row_with_every_span(extract):
    text = ("On Oct. 18, two drones were launched at Ain al-Asad. Air defences at Ain al-Asad brought one of them down, "
            "a U.S. official said. The other exploded near the runway. Two service members suffered \"minor injuries\".")
    result = extract(text, "2023-10-20")
    (attack,) = result["incidents"]
    assert (attack["site_id"], attack["date"], attack["event_type"], attack["injured"], attack["injury_severity"]) == \
        ("IQ-ASAD", "2023-10-18", "drone", 2, "minor")
    assert attack["confirmation"] == "US-official"
    spans = [attack["evidence"]["text"]] + [e["text"] for e in attack["more_evidence"]]
    assert len(spans) == 4 and spans[0].startswith("On Oct. 18") and spans[-1].startswith("Two service members")


def test_two_names_of_one_site_in_one_sentence_make_one_row(extract):
    text = "A drone targeted Erbil Air Base, the military wing of the Erbil airport base, on Monday."
    assert rows(extract(text)) == [("IQ-ERBIL", "2023-11-20", "drone")]


def test_a_summary_sentence_adds_its_facts_to_the_attack_and_makes_no_row(extract):
    text = "Drones attacked Tall Baydar on Monday. The attacks caused minor injuries, the Pentagon said."
    (attack,) = extract(text)["incidents"]
    assert (attack["site_id"], attack["injury_severity"], attack["casualty_wording"].get("injured")) == \
        ("SY-TALLBAYDAR", "minor", "unstated")
    assert any("sentence 2" in r for r in reasons(attack))


def test_a_lead_that_names_only_the_country_gives_its_dead_to_the_attack_the_next_sentence_places(extract):
    text = ("Three U.S. service members were killed in a drone attack in Jordan on Sunday, officials said. "
            "The drone struck Tower 22, a small outpost near the Syrian border.")
    (attack,) = extract(text, "2024-01-29")["incidents"]
    assert (attack["site_id"], attack["date"], attack["killed"], attack["country"]) == \
        ("JO-TOWER22", "2024-01-28", 3, "Jordan")
    assert any("names no site" in r for r in reasons(attack))


def test_another_attack_on_the_same_place_stays_its_own_row(extract):
    text = "Rockets hit Tall Baydar on Monday. The base at Tall Baydar was also hit earlier this month."
    assert [r[0] for r in rows(extract(text))] == ["SY-TALLBAYDAR", "SY-TALLBAYDAR"]


def test_a_summary_of_several_attacks_adds_nothing_to_any_of_them(extract):
    text = ("Drones attacked Tall Baydar and al-Shaddadi on Monday. Several attacks in Syria caused injuries "
            "to five troops on Monday.")
    result = extract(text)
    assert rows(result) == [("SY-TALLBAYDAR", "2023-11-20", "drone"), ("SY-SHADDADI", "2023-11-20", "drone")]
    assert all(i["injured"] is None for i in result["incidents"])
    assert all(any("sums up several attacks" in note for note in i["review"]) for i in result["incidents"])


# --- attachment, with a reason -----------------------------------------------------------------------------

def test_a_date_stated_once_carries_to_the_sentences_that_continue_the_account(extract):
    text = ("On Oct. 18, a drone attacked Tall Baydar. Rockets were then fired at al-Shaddadi, which "
            "had been quiet. Defences at Tall Baydar shot down the drone, a U.S. official said.")
    result = extract(text, "2023-10-30")
    assert rows(result)[0] == ("SY-TALLBAYDAR", "2023-10-18", "drone")
    shaddadi = result["incidents"][1]
    assert shaddadi["site_id"] == "SY-SHADDADI" and shaddadi["date"] is None  # a new place starts a new account
    assert len(result["incidents"]) == 2


def test_a_date_carries_within_a_sentence_to_the_next_clause(extract):
    text = "Drones attacked Tall Baydar on Oct. 18; rockets hit al-Shaddadi."
    result = extract(text, "2023-10-30")
    assert rows(result) == [("SY-TALLBAYDAR", "2023-10-18", "drone"), ("SY-SHADDADI", "2023-10-18", "rocket")]
    assert reasons(result["incidents"][1]) == ["date carried from sentence 1 (the same sentence)"]


def test_casualties_in_a_later_sentence_that_names_no_site_go_to_the_attack_before(extract):
    text = "A drone struck al-Tanf on Monday, a U.S. official said. Two troops were lightly wounded."
    (attack,) = extract(text)["incidents"]
    assert (attack["site_id"], attack["injured"]) == ("SY-TANF", 2)
    assert any("from sentence 2" in r for r in reasons(attack))


def test_a_running_casualty_figure_is_not_given_to_the_attack_before(extract):
    text = "A drone struck al-Tanf on Monday. Sixty troops have been hurt since Oct. 17."
    (attack,) = extract(text)["incidents"]
    assert attack["injured"] is None


def test_a_weapon_named_in_the_next_sentence_types_the_attack(extract):
    text = "Ain al-Asad came under attack on Monday. Missiles landed inside the perimeter, officials said."
    (attack,) = extract(text)["incidents"]
    assert attack["event_type"] == "missile"
    assert any("type from sentence 2" in r for r in reasons(attack))


def test_a_weapon_of_one_site_is_not_lent_to_the_others_of_the_sentence(extract):
    text = "A drone was shot down near Harir on Monday, and attacks at Ain al-Asad and Tall Baydar were reported."
    assert rows(extract(text)) == [("IQ-HARIR", "2023-11-20", "drone"), ("IQ-ASAD", "2023-11-20", "unknown"),
                                   ("SY-TALLBAYDAR", "2023-11-20", "unknown")]


def test_sites_listed_together_share_their_weapon(extract):
    text = "Drones attacked Ain al-Asad and Tall Baydar on Monday."
    assert rows(extract(text)) == [("IQ-ASAD", "2023-11-20", "drone"), ("SY-TALLBAYDAR", "2023-11-20", "drone")]


def test_the_group_carries_the_group_named_in_the_sentence_before(extract):
    text = ("The Islamic Resistance in Iraq issued a statement on Monday. The group said its fighters "
            "had launched a drone at Tall Baydar.")
    (attack,) = extract(text)["incidents"]
    assert (attack["site_id"], attack["actor"]) == ("SY-TALLBAYDAR", "Islamic Resistance in Iraq")
    assert any("actor carried from sentence 1" in r for r in reasons(attack))


# --- flags, not guesses ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "Fearing U.S. airstrikes, militia members left their posts near al-Qaim on Monday.",
    "Officials said the militias could strike Ain al-Asad again.",
    "The group threatened attacks on Tall Baydar on Monday.",
    "Amid fears of retaliatory strikes near Abu Kamal, families fled on Monday.",
])
def test_a_feared_or_threatened_event_is_not_an_incident(extract, sentence):
    assert extract(sentence)["incidents"] == []


@pytest.fixture(scope="module")
def wider():
    frame = sites_frame()
    frame.loc[len(frame)] = ["SY-HASAKAH", "Hasakah city", "al-Hasakah; Hasaka; Hasakeh", "Syria", 36.5, 40.75, "approximate"]
    frame.loc[len(frame)] = ["STRIKE-MAYADIN", "Mayadin", "al-Mayadin; Mayadeen", "Syria", 35.02, 40.45, "approximate"]
    return Gazetteer(frame)


@pytest.mark.parametrize("text, status", [
    ("Al-Mayadeen TV reported that drones hit Tall Baydar on Monday.", "other_meaning"),
    ("A drone hit Tall Baydar on Monday, according to al-Mayadeen.", "other_meaning"),
    ("Drones were reported over al-Hasakah province on Monday.", "other_meaning"),
    ("Rockets hit Hasakah on Monday.", "ambiguous"),
    ("Rockets hit the city of Hasakah on Monday.", "resolved"),
    ("U.S. jets struck a depot in the town of al-Mayadin on Monday.", "resolved"),
])
def test_a_name_that_is_also_a_channel_or_a_province_needs_a_site_word(wider, actors, text, status):
    from dashboard.core.articles import extract_article
    result = extract_article(text, "2023-11-23", wider, actors)
    named = [s for s in result["sites"] if s["text"].lower().lstrip("al-").startswith(("mayad", "hasak"))
             or "Hasakah" in s["text"]]
    assert [s["status"] for s in named] == [status]
    placed = {i["site_id"] for i in result["incidents"]}
    assert ("SY-HASAKAH" in placed or "STRIKE-MAYADIN" in placed) == (status == "resolved")
    if status == "other_meaning":
        assert all(i["place"] is None or "ayadeen" not in i["place"] for i in result["incidents"])


def test_a_base_in_a_province_is_not_the_provincial_capital(wider, actors):
    from dashboard.core.articles import extract_article
    result = extract_article("A drone hit a base in Hasakah province on Monday.", "2023-11-23", wider, actors)
    assert [(s["status"], s["site_id"]) for s in result["sites"]] == [("unresolved", None)]


def test_a_place_that_only_locates_another_is_no_target(extract):
    text = "A drone struck al-Harir, some 45 km north of the Erbil airport base, on Saturday."
    assert rows(extract(text)) == [("IQ-HARIR", "2023-11-18", "drone")]


def test_a_byline_naming_a_channel_is_no_place(wider, actors):
    from dashboard.core.articles import extract_article
    text = "Militia hits Tall Baydar\nBy Al Mayadeen English\nDrones hit Tall Baydar on Monday, the group said."
    result = extract_article(text, "2023-11-23", wider, actors)
    assert [i["site_id"] for i in result["incidents"]] == ["SY-TALLBAYDAR"]


def test_a_sentence_that_says_simultaneously_keeps_the_date_at_a_new_place(extract):
    text = "Drones hit al-Tanf on Saturday, the group said. Simultaneously, rockets struck al-Shaddadi."
    assert rows(extract(text)) == [("SY-TANF", "2023-11-18", "drone"), ("SY-SHADDADI", "2023-11-18", "rocket")]


def test_the_date_of_a_summary_carries_to_the_places_listed_next(extract):
    text = ("On Tuesday the group claimed three attacks on bases in Syria. It said drones hit Tall Baydar and "
            "al-Shaddadi, and rockets hit al-Tanf.")
    assert rows(extract(text, "2024-01-03")) == [("SY-TALLBAYDAR", "2024-01-02", "drone"),
                                                 ("SY-SHADDADI", "2024-01-02", "drone"), ("SY-TANF", "2024-01-02", "rocket")]


def test_a_summary_of_several_operations_lends_no_date_to_an_attack_before_it(extract):
    text = ("Rockets hit al-Tanf, the group said. On Sunday, the group announced eleven operations against "
            "US bases in Iraq and Syria.")
    assert rows(extract(text, "2023-12-13")) == [("SY-TANF", None, "rocket")]


def test_a_summary_of_two_countries_does_not_retype_the_attack_it_is_folded_into(extract):
    text = ("The militia claimed a drone attack on a base in Syria and a mortar strike in Iraq on Sunday. "
            "It said its fighters launched a drone at Tall Baydar.")
    assert rows(extract(text, "2023-11-06"))[0][::2] == ("SY-TALLBAYDAR", "drone")


def test_the_group_the_troops_fight_is_not_the_attacker(extract):
    (attack,) = extract("Two drones attacked the coalition against the Islamic State at Harir on Monday.")["incidents"]
    assert attack["actor"] is None


@pytest.mark.parametrize("text", [
    "A drone hit al-Shaddadi, south of the Syrian city of Tall Baydar, on Monday.",
    "A drone hit al-Shaddadi near the town of Tall Baydar on Monday.",
])
def test_a_town_that_only_locates_the_base_is_no_target(extract, text):
    assert rows(extract(text)) == [("SY-SHADDADI", "2023-11-20", "drone")]


def test_sirens_for_a_possible_attack_are_no_attack(extract):
    assert extract("Sirens warned of a possible attack on the Green Zone on Monday.")["incidents"] == []


def test_no_casualties_worded_as_did_not_cause(extract):
    (attack,) = extract("A drone hit al-Tanf on Monday. The attack did not cause casualties, officials said.")["incidents"]
    assert (attack["killed"], attack["injured"]) == (0, 0)


def test_a_footnote_mark_ends_a_sentence_and_each_attack_keeps_its_own_day(extract):
    text = ("On December 16, the group claimed the launch of drones at Tall Baydar.[2] On December 17, it claimed "
            "the launch of drones at two bases, one at al-Shaddadi and one at al-Tanf.[3]")
    assert rows(extract(text, "2023-12-18")) == [("SY-TALLBAYDAR", "2023-12-16", "drone"),
                                                 ("SY-SHADDADI", "2023-12-17", "drone"), ("SY-TANF", "2023-12-17", "drone")]


def test_a_dateline_below_the_headline_is_not_the_day_of_the_attack(extract):
    text = "Militants say they hit three bases\n\nBaghdad, Jan 15 (Wire) The group said on Sunday it hit al-Tanf."
    assert rows(extract(text, "2024-01-15")) == [("SY-TANF", "2024-01-14", "unknown")]


def test_a_lead_naming_the_country_by_its_adjective_dates_the_attack_the_next_sentence_places(extract):
    text = ("A drone targeted troops at a base in the western Iraqi province of al-Anbar on December 6, an official "
            "said. The drone was launched at Ain al-Asad, the official added.")
    assert rows(extract(text, "2023-12-07")) == [("IQ-ASAD", "2023-12-06", "drone")]


def test_a_base_in_the_countryside_of_a_town_is_not_the_town(extract):
    text = "Later that morning, a drone targeted Tall Baydar in the northeastern countryside of al-Shaddadi."
    assert [r[0] for r in rows(extract(text))] == ["SY-TALLBAYDAR"]


def test_us_forces_responding_by_targeting_is_a_us_strike(extract):
    text = "U.S. forces responded to the attacks by targeting militia positions near Abu Kamal on Monday."
    assert rows(extract(text)) == [("STRIKE-ABUKAMAL", "2023-11-20", "us_strike")]


def test_a_state_named_in_a_dateline_is_not_the_attacker(extract):
    (attack,) = extract("TEHRAN, Jan. 26 (Wire) - Drones hit al-Tanf on Thursday, the group said.",
                        "2024-01-26")["incidents"]
    assert attack["actor"] is None


def test_an_attack_a_day_before_the_one_answered_is_its_own_row_a_day_earlier(extract):
    text = ("Rockets hit al-Shaddadi on Monday. Helicopters were scrambled in response to the attack, which came a "
            "day after a drone attack that killed three troops at a base in Jordan, near the border with Syria.")
    result = extract(text, "2024-01-29")
    assert [(i["site_id"], i["country"], i["date"], i["killed"]) for i in result["incidents"]] == [
        ("SY-SHADDADI", "Syria", "2024-01-29", None), (None, "Jordan", "2024-01-28", 3)]


def test_the_day_before_counts_from_the_date_of_the_sentence_before(extract):
    text = ("The group said it hit al-Tanf with a drone on Saturday, February 3. The day before, American soldiers "
            "struck more than 85 targets in Iraq and Syria.")
    result = extract(text, "2024-02-03")
    assert [(i["site_id"], i["country"], i["date"], i["event_type"]) for i in result["incidents"]] == [
        ("SY-TANF", "Syria", "2024-02-03", "drone"), (None, "Iraq", "2024-02-02", "us_strike"),
        (None, "Syria", "2024-02-02", "us_strike")]


def test_a_quoted_self_defense_strike_in_a_province_is_a_us_strike_in_its_country(actors):
    from dashboard.core.articles import extract_article
    text = 'On December 3, CENTCOM said it launched a "self-defense" strike in the province of Kirkuk, killing five.'
    frame = sites_frame().assign(admin1="")
    frame.loc[len(frame)] = ["STRIKE-KIRKUK", "Kirkuk drone staging site", "", "Iraq", 35.4, 44.3, "approximate", "Kirkuk"]
    result = extract_article(text, "2023-12-06", Gazetteer(frame), actors)
    assert [(i["event_type"], i["site_id"], i["country"], i["date"], i["killed"]) for i in result["incidents"]] == [
        ("us_strike", None, "Iraq", "2023-12-03", 5)]  # the province names the country, not the site


def test_the_date_of_a_lead_summing_up_two_attacks_reaches_the_second_told_later(extract):
    text = ("Drones on Saturday hit two bases, one in Syria and one in Iraq. The group said it launched them. "
            "A monitor said a drone hit Tall Baydar. It caused no damage. Separately, a security source said a "
            "drone hit Harir at noon.")
    assert rows(extract(text, "2023-11-13")) == [("SY-TALLBAYDAR", "2023-11-11", "drone"),
                                                 ("IQ-HARIR", "2023-11-11", "drone")]


@pytest.mark.parametrize("text, role", [
    ("Drones hit Ain al-Asad on Tuesday. The Islamic Resistance in Iraq endorsed the attack.", "claimed"),
    ("Rockets hit al-Shaddadi on Friday. The shells were believed to have been launched by the Islamic "
     "Resistance in Iraq from across the border.", "blamed"),
])
def test_the_group_named_in_the_next_sentence(extract, text, role):
    (attack,) = extract(text)["incidents"]
    assert (attack["actor_id"], attack["actor_role"]) == ("IRI", role)


def test_no_human_losses_is_no_casualties(extract):
    (attack,) = extract("Two drones targeted Harir on Thursday, causing no material or human losses.")["incidents"]
    assert (attack["killed"], attack["injured"]) == (0, 0)


def test_two_provinces_named_together_are_no_places_and_their_day_reaches_the_bases(wider, actors):
    from dashboard.core.articles import extract_article
    text = ("U.S. bases in Syria's Hasakah and Deir ez-Zor provinces came under attack Monday. Local sources said "
            "rockets were fired at al-Tanf while the al-Shaddadi base in Hasakah was targeted by drones. In the morning, "
            "rockets hit the Green Village base.")
    result = extract_article(text, "2024-01-09", wider, actors)
    assert [(i["site_id"], i["date"], i["event_type"]) for i in result["incidents"]] == [
        ("SY-TANF", "2024-01-08", "rocket"), ("SY-SHADDADI", "2024-01-08", "drone"), ("SY-GREEN", "2024-01-08", "rocket")]


def test_the_day_an_attack_was_announced_in_the_next_sentence(extract):
    text = ("Drones of the group attacked two US bases in Syria. This was announced on January 21 by a TV channel. "
            "The group said its drones struck al-Shaddadi and Green Village.")
    assert rows(extract(text, "2024-01-21")) == [("SY-SHADDADI", "2024-01-21", "drone"), ("SY-GREEN", "2024-01-21", "drone")]


def test_aircraft_of_unknown_origin_striking_a_militia_convoy_is_out_of_scope(extract):
    assert extract("Aircraft of unknown origin targeted a militia convoy near Abu Kamal on Sunday.")["incidents"] == []


def test_a_group_named_in_brackets_after_the_one_fought_is_not_the_attacker(extract):
    text = "A drone aimed at the coalition against the Islamic State [ISIS] at Harir was shot down on Monday."
    (attack,) = extract(text)["incidents"]
    assert attack["actor"] is None


def test_a_militias_retaliatory_strikes_on_us_bases_are_attacks(extract):
    text = "The Islamic Resistance in Iraq targets US bases at Tall Baydar in retaliatory strikes on Monday."
    assert rows(extract(text)) == [("SY-TALLBAYDAR", "2023-11-20", "unknown")]


def test_a_headline_and_the_body_of_one_attack_are_one_row(extract):
    text = ("Two drones downed at Harir base, says the directorate\n\nThe coalition on early Tuesday downed two "
            "drones at Harir airfield close to the Erbil airport base while another one did not explode.")
    assert rows(extract(text, "2023-11-07")) == [("IQ-HARIR", "2023-11-07", "drone")]


def test_an_attack_answered_by_a_strike_keeps_its_own_day(extract):
    text = ("Drones hit Tall Baydar on Sunday. On Tuesday US jets struck targets near Abu Kamal in response to the "
            "attack on Tall Baydar.")
    assert rows(extract(text, "2023-11-22")) == [("SY-TALLBAYDAR", "2023-11-19", "drone"),
                                                 ("STRIKE-ABUKAMAL", "2023-11-21", "us_strike")]


def test_each_site_of_a_sentence_takes_the_day_of_its_own_clause(extract):
    text = ("On Sunday, a drone was used against forces near al-Shaddadi, and on Thursday another drone targeted "
            "forces at Ain al-Asad, officials said.")
    assert rows(extract(text, "2023-10-30")) == [("SY-SHADDADI", "2023-10-29", "drone"), ("IQ-ASAD", "2023-10-26", "drone")]


def test_strikes_in_a_country_told_twice_on_one_day_are_one_row(extract):
    text = ("US forces struck targets in Iraq on Friday, CENTCOM said. The strikes in Iraq on Friday hit command "
            "centres, the statement added.")
    assert [(i["country"], i["date"], i["event_type"]) for i in extract(text, "2024-02-03")["incidents"]] == [
        ("Iraq", "2024-02-02", "us_strike")]


def test_strikes_in_retaliation_for_the_attack_are_not_merged_into_it(extract):
    text = ("The United States has begun strikes on 85 targets in Syria and Iraq in retaliation for the drone attack "
            "on a US military base last Sunday, which killed three soldiers.")
    result = extract(text, "2024-02-03")
    assert {(i["event_type"], i["country"]) for i in result["incidents"]} == {("us_strike", "Iraq"), ("us_strike", "Syria")}
    assert all(i["killed"] is None for i in result["incidents"])


def test_the_attack_a_strike_answered_joins_the_attack_told_later(extract):
    text = ("The United States struck three militia sites in Iraq on Tuesday in response to an attack on Harir. "
            "On Monday a drone hit Harir, wounding three troops, officials said.")
    result = extract(text, "2023-12-26")
    assert [(i["site_id"], i["date"], i["event_type"], i["injured"]) for i in result["incidents"]] == [
        (None, "2023-12-26", "us_strike", None), ("IQ-HARIR", "2023-12-25", "drone", 3)]


def test_a_country_named_as_where_the_shells_came_from_is_no_target(extract):
    text = ("Rockets hit al-Shaddadi on Friday. The shells were believed to have been launched from the Iraqi side "
            "of the border, the monitor said.")
    assert rows(extract(text, "2023-12-02")) == [("SY-SHADDADI", "2023-12-01", "rocket")]


def test_a_militia_leader_killed_in_an_airstrike_likely_by_the_us_is_a_us_strike(extract):
    text = "Two leaders of the militia Kataib Hezbollah were killed in an airstrike in Iraq on Wednesday, likely by a U.S. drone."
    assert [(i["event_type"], i["country"]) for i in extract(text, "2024-02-08")["incidents"]] == [("us_strike", "Iraq")]


def test_attacked_four_times_with_no_casualties_gives_each_attack_none(extract):
    text = ("US forces were attacked four times in Iraq and Syria on Thursday, but there were no casualties. "
            "Drones were launched at Ain al-Asad and another was launched at Harir.")
    result = extract(text, "2023-11-24")
    assert [(i["site_id"], i["date"], i["event_type"], i["killed"], i["injured"]) for i in result["incidents"]] == [
        ("IQ-ASAD", "2023-11-23", "drone", 0, 0), ("IQ-HARIR", "2023-11-23", "drone", 0, 0)]


def test_strikes_told_only_as_a_plural_without_a_site_are_still_rows(extract):
    text = "The attempted drone attack followed US strikes on two military facilities in eastern Syria on Friday."
    assert [(i["event_type"], i["country"], i["date"]) for i in extract(text, "2023-10-28")["incidents"]] == [
        ("us_strike", "Syria", "2023-10-27")]


def test_a_summary_of_attacks_in_two_countries_is_no_row(extract):
    text = "Attacks on US forces in Iraq and Syria have surged since Monday, the militia said."
    assert extract(text, "2023-11-28")["incidents"] == []


def test_a_strike_answering_an_attack_is_not_placed_in_the_attacked_sites_country(extract):
    """The strikes that answered Tower 22 hit Iraq and Syria, not Jordan: a strike's place is never borrowed."""
    text = "The first counterstrikes from the U.S. to the deadly January 28 attack on Tower 22 began on Friday."
    assert [(i["event_type"], i["site_id"]) for i in extract(text, "2024-02-03")["incidents"]] == [("unknown", "JO-TOWER22")]


def test_jets_using_munitions_against_a_depot_is_a_strike(extract):
    text = "Two F-16 fighter jets used precision munitions against a depot near Abu Kamal early Friday."
    assert rows(extract(text, "2023-10-28")) == [("STRIKE-ABUKAMAL", "2023-10-27", "us_strike")]


def test_a_site_named_in_quotes(extract):
    from dashboard.core.articles import extract_article
    frame = sites_frame()
    frame.loc[len(frame)] = ["STRIKE-KIRKUK", "Kirkuk drone staging site", "drone staging site near Kirkuk", "Iraq",
                             35.4, 44.3, "approximate"]
    from dashboard.core.articles import load_actors
    result = extract_article('US jets struck "a drone staging site" near Kirkuk on Sunday.', "2023-12-04",
                             Gazetteer(frame), load_actors())
    assert [(i["site_id"], i["event_type"]) for i in result["incidents"]] == [("STRIKE-KIRKUK", "us_strike")]


def test_other_attacks_told_next_keep_the_day_of_the_latest(extract):
    text = ("The latest attack on Monday used rockets against Ain al-Asad, an official said. Other rocket attacks "
            "were launched against forces at Green Village and al-Tanf.")
    assert rows(extract(text, "2023-10-31")) == [("IQ-ASAD", "2023-10-30", "rocket"), ("SY-GREEN", "2023-10-30", "rocket"),
                                                 ("SY-TANF", "2023-10-30", "rocket")]


def test_sites_listed_across_a_province_share_their_weapon(extract):
    text = ("The group said it carried out drone attacks on the bases in al-Shaddadi and Tall Baydar in the al-Hasakah "
            "province, as well as the U.S. Green Village base, on Tuesday.")
    assert [r[2] for r in rows(extract(text, "2024-01-03"))] == ["drone", "drone", "drone"]


def test_the_exchange_of_fire_on_a_day_dates_the_attack_not_the_campaigns_start(extract):
    text = ("Militants launched a ballistic missile at Ain al-Asad, the Pentagon said. The exchange of fire on Monday "
            "was the first such use since a series of attacks began on Oct. 17.")
    assert rows(extract(text, "2023-11-22")) == [("IQ-ASAD", "2023-11-20", "missile")]


def test_a_trend_of_attacks_in_a_country_is_no_row(extract):
    text = "Drones hit Ain al-Asad on Sunday. Attacks on US interests in Iraq have surged over the past two months."
    assert rows(extract(text, "2023-12-04")) == [("IQ-ASAD", "2023-12-03", "drone")]


def test_a_series_of_strikes_without_a_day_is_background(extract):
    text = "The US has launched several rounds of airstrikes in Syria and Iraq in response to the attacks."
    result = extract(text, "2023-12-23")
    assert result["incidents"] == [] and result["set_aside"]


def test_a_place_explained_in_brackets_is_no_target_and_a_peshmerga_base_is_not_the_datasets(extract):
    text = ("The other drone impacted Tall Baydar [the American base near al-Shaddadi] on Monday. Two drones also hit "
            "a Peshmerga base in Erbil province on Monday.")
    assert [r[0] for r in rows(extract(text))] == ["SY-TALLBAYDAR"]


def test_a_lead_dating_the_attack_it_places_in_the_next_sentence(extract):
    text = ("The agency released details about the attack that occurred on Thursday evening. At 19:15, a drone "
            "attacked the Harir airfield, the statement said.")
    assert rows(extract(text, "2023-11-10")) == [("IQ-HARIR", "2023-11-09", "drone")]


def test_an_attack_hours_before_a_strike_is_on_the_strikes_day(extract):
    text = "US jets struck militia sites in Iraq on Tuesday. The strikes came hours after militants fired drones at Ain al-Asad."
    assert rows(extract(text, "2024-01-23")) == [(None, "2024-01-23", "us_strike"), ("IQ-ASAD", "2024-01-23", "drone")]


def test_bulleted_lines_are_sentences_and_the_day_said_is_not_the_day_struck(extract):
    text = ("Troops were wounded in the attacks.\n- On October 27, the defense secretary said at a briefing that on "
            "October 26, the United States struck two targets near Abu Kamal.")
    assert rows(extract(text, "2023-11-24")) == [("STRIKE-ABUKAMAL", "2023-10-26", "us_strike")]
