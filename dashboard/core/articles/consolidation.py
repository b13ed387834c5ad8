"""One attack, one row: the incidents the sentence rules found in one article, merged per attack, with the
facts that later or earlier sentences state about them attached, each with a reason the analyst can read.

The sentence rules of :mod:`incidents` see one sentence (or clause) at a time, so an account told over
several sentences comes out as several rows: "On Oct. 18 drones attacked Al-Asad." then "The base was hit
again by a rocket." then "Two service members suffered minor injuries." This pass, run on the rows of one
article in order, does what a reader does:

1. **Dates carry forward.** A row without a date takes the date of the row before it in the same sentence,
   or of the last dated row of an earlier sentence when no other date and no other place has been named in
   between ("date carried from sentence 2"). The date of a sentence that names no place ("on Tuesday the
   group claimed four attacks in Syria") carries to the places the next sentences list; a sentence that opens "Simultaneously", "Meanwhile", "The same
   day", ... carries it to a new place too.
2. **Summaries are not attacks.** A row that names no site (a sentence that summarises, "the attacks caused
   minor injuries", or a lead that names only a country) adds its facts to the one attack it is about (the
   nearest sited row within two sentences, of a compatible country, date and type) and is dropped. A summary
   of several attacks ("attacks") whose facts fit more than one row adds them to none, and says so. A
   site-less row that fits no sited row stays, a summary too: some reports name only the country.
3. **Same site, same day, one row.** Rows at the same site (or the same unmatched place name) on the same
   day (or with no date on one side) and of compatible types become one row with the evidence of every
   sentence, unless the later sentence says it is another attack ("again", "also hit", "earlier").
   A row from a sentence about attacks in the plural that gives no date or casualties ("most attacks have
   targeted X"), or one dated months before the report (a photo caption of an earlier war), is background:
   it is set aside, with its reason, not proposed.
4. **A weapon named in the next sentence** ("It was a missile.") types a row whose own sentence named none.
5. **"The group"** carries the armed group named in the sentence before it.
"""
from __future__ import annotations

import datetime as dt
import re

from dashboard.core.data.columns import ATTACK_TYPES, CONFIRMATION_RANK, EVENT_TYPES
from dashboard.core.articles.text import Sentence, parse_number

#: How many sentences away a fact may be attached from.
REACH = 2
#: A row dated more than this many days before the report's publication is background, not its news.
STALE_DAYS = 90
_GROUP_REFERENCE = re.compile(r"\b(?:the|The)\s{1,10}(?:(?:umbrella|armed|militant|Iran-backed|Iraqi)\s{1,10}){0,2}"
                              r"(?:group|militia|faction|alliance|coalition of (?:militias|factions)|organi[sz]ation)\b")
_CLAIM = re.compile(r"\bclaim(?:s|ed|ing)?\b|\bresponsibility\b|\bsaid\b|\bannounced\b|\bstatement\b", re.IGNORECASE)
#: A sentence opening that says it tells of the same time, whatever place it names.
_SAME_TIME = re.compile(r"\s{0,10}(?:Simultaneously|At the same time|Meanwhile|Minutes later|Shortly after(?:wards)?|"
                        r"Other (?:[\w-]{1,20}\s{1,10}){0,2}?attacks|Similar attacks|"
                        r"In the (?:morning|afternoon|evening)|Earlier (?:that|in the) day|Overnight|"
                        r"Hours later|Later (?:on )?(?:in )?(?:that|the) (?:day|morning|afternoon|evening|night)|"
                        r"(?:On )?[Tt]he same day|That same day)\b")
#: The same, anywhere in the sentence: "..., also targeted with a drone on the same day".
_SAME_TIME_ANYWHERE = re.compile(r"\b(?:on the same day|the same night|at the same time|simultaneously)\b", re.IGNORECASE)
#: The end of a clause that says the next one happened days earlier ("which came a day | after a drone attack").
_DAYS_BEFORE = re.compile(r"\b(?P<n>a|one|two|three|four|five|\d)\s{1,10}days?\s{0,10}$", re.IGNORECASE)
#: "The strikes came hours after | terrorists fired two drones at al-Asad": the same day.
_HOURS_BEFORE = re.compile(r"\b(?:hours|minutes|shortly|moments|soon)\s{0,10}$", re.IGNORECASE)
#: A sentence that dates itself from the one before: "The day before, ...", "A day later, ...".
_DAY_OFFSET = re.compile(r"\s{0,10}(?:(?P<before>The day before|A day (?:earlier|before)|The previous day|The preceding day)|"
                         r"The (?:next|following) day|A day later|The day after)\b")
#: A sentence that only dates an announcement: "This was announced on January 21 by ...".
ANNOUNCED = re.compile(r"\s{0,10}(?:This|That|It|The (?:attack|claim|statement))\s{1,10}(?:was|were)\s{1,10}"
                        r"(?:announced|reported|claimed|confirmed|published|said)\b")
#: Words of a trend over weeks, not of attacks on a day: "attacks have surged over the past two months".
_TREND = re.compile(r"\b(?:surged?|surging|increased|risen|escalat\w{1,5}|over the (?:past|last)|in recent (?:days|weeks|months)|"
                    r"a series of|several rounds|rounds of|had been limited|so far|to date|already|previous|earlier|"
                    r"for (?:weeks|months)|since (?:mid-|early |late )?(?:October|November|December|January|February)|"
                    r"almost daily|near-daily|nearly every day)\b", re.IGNORECASE)
_NO_DATE = re.compile(r"\bno date\b|\bundated\b|\bunknown date\b|\bdate (?:was|is) (?:not|unknown)", re.IGNORECASE)
#: Words that say a sentence is about another attack on the same place ("was also hit earlier this month").
_ANOTHER = re.compile(r"\b(?:again|another (?:attack|strike|assault)|(?:a |the )?second (?:attack|strike|time)|"
                      r"third (?:attack|strike|time)|also (?:\w{1,20} )?(?:hit|attacked|targeted|struck)|"
                      r"earlier|previously|before that|a day before|the day before|last (?:week|month))\b", re.IGNORECASE)
_CASUALTY_KEYS = ("killed", "killed_max", "injured", "injured_max")


def consolidate(incidents: list[dict], sentences: list[Sentence], dates: list[dict], sites: list[dict],
                actors: list[dict], event_type, set_aside: list[dict] | None = None,
                published: str | None = None) -> list[dict]:
    """Merge the rows of one article per attack (see the module notes); returns the rows kept, renumbered.

    Parameters
    ----------
    incidents : list of dict
        Rows of :func:`incidents.find_incidents` before numbering, each with ``sentence`` (1-based).
    sentences : list of Sentence
    dates, sites, actors : list of dict
        The article's date, site and actor mentions.
    event_type : callable
        ``event_type(text)`` of :mod:`incidents` (the weapon words), passed in to keep one definition.
    """
    for row in incidents:
        row.setdefault("attachments", [])
    _carry_dates(incidents, sentences, dates, sites)
    kept = _fold_siteless(incidents)
    _carry_dates(kept, sentences, dates, sites)  # dates that folding gave to a row carry to the rows after it
    kept = _strikes_per_country(kept)
    kept = _merge_same_attack(kept)
    kept = _join_answered(kept)
    kept = _without_background(kept, set_aside if set_aside is not None else [], published)
    _type_from_next_sentence(kept, sentences, sites, event_type)
    _carry_group(kept, sentences, actors, sites)
    for number, row in enumerate(kept, start=1):
        row["n"] = number
    return kept


def attach(row: dict, fact: str, sentence: int, reason: str) -> None:
    """Record on ``row`` that ``fact`` came from sentence ``sentence`` and why (shown to the reviewer)."""
    row.setdefault("attachments", []).append({"fact": fact, "sentence": sentence, "reason": reason})
    row["review"].append(reason)


# --- 1. dates ---------------------------------------------------------------------------------------------

def _carry_dates(rows: list[dict], sentences: list[Sentence], dates: list[dict], sites: list[dict]) -> None:
    last = None  # the last row with a date of its own (or carried)
    summary = None  # the last dated row that names no site: a lead that sums up the attacks told next
    for row in rows:
        if row["date"] is not None:
            last = row
            if row["site"] is None:
                summary = row
            continue
        sentence = sentences[row["sentence"] - 1]
        offset = _DAY_OFFSET.match(sentence.text)
        if offset and last is not None and last["sentence"] < row["sentence"] and last["date_precision"] == "day":
            days = -1 if offset.group("before") else 1
            _set_day(row, (dt.date.fromisoformat(last["date"]) + dt.timedelta(days=days)).isoformat())
            attach(row, "date", last["sentence"], f"date: '{offset.group().strip()}' counted from the date of "
                                                  f"sentence {last['sentence']}")
            continue
        if _NO_DATE.search(sentence.text):
            continue  # "no date was given for the strike on X"
        announced = _announced_next(row, sentences, dates, sites)
        if announced is not None:
            for key in ("date", "date_end", "date_precision", "date_certainty"):
                row[key] = announced[key] if key in announced else row[key]
            row.update({"date_certainty": "reported" if announced["kind"] == "absolute" else "inferred",
                        "date_evidence": {k: announced[k] for k in ("start", "end", "text")}})
            row["review"] = [r for r in row["review"] if r != "the sentence gives no date"]
            attach(row, "date", row["sentence"] + 1, f"date of the announcement in sentence {row['sentence'] + 1} "
                                                     "('This was announced on ...'), taken as the day of the attack")
            last = row
            continue
        source = last if last is not None and _carries(last, row, sentences, dates, sites, REACH + 1) else None
        if source is not None and row.get("answered") \
                and not _DAYS_BEFORE.search(sentence.text, 0, max(0, row["clause_start"] - sentence.start)) \
                and not _HOURS_BEFORE.search(sentence.text, 0, max(0, row["clause_start"] - sentence.start)):
            continue  # "US jets struck X on Tuesday in response to an attack on Y": Y's day is not Tuesday
        if source is None and summary is not None and _carries(summary, row, sentences, dates, sites, 5) \
                and (not summary["country"] or not row["country"] or row["country"] in summary["country"].split(";")):
            source = summary  # "Three drones on Saturday hit two bases ... The statement said ... Separately, ... Harir"
        if source is None:
            continue
        same_sentence = source["sentence"] == row["sentence"]
        for key in ("date", "date_end", "date_precision", "date_certainty", "date_evidence"):
            row[key] = source[key]
        row["review"] = [r for r in row["review"] if r != "the sentence gives no date"]
        earlier = _DAYS_BEFORE.search(sentence.text, 0, max(0, row.get("clause_start", sentence.start) - sentence.start))
        if earlier and source["date_precision"] == "day" and row.get("clause_start", sentence.start) > sentence.start \
                and (not same_sentence or source.get("clause_start", 0) < row["clause_start"]):
            days = parse_number(earlier.group("n")) or 1  # "..., which came a day after a drone attack on X"
            _set_day(row, (dt.date.fromisoformat(source["date"]) - dt.timedelta(days=days)).isoformat())
            attach(row, "date", source["sentence"],
                   f"date: '{earlier.group().strip()} after' the attack of sentence {source['sentence']}")
            continue
        how = " (the same sentence)" if same_sentence else (", which sums up the attacks" if source is summary else "")
        attach(row, "date", source["sentence"], f"date carried from sentence {source['sentence']}{how}")
        last = row


def _announced_next(row: dict, sentences: list[Sentence], dates: list[dict], sites: list[dict]) -> dict | None:
    """The day of the sentence right after ``row``'s when it only says when the attack was announced ("This was
    announced on January 21 by ...") and names no place: a claim's day is the attack's when no other is given."""
    if row["sentence"] >= len(sentences):
        return None
    following = sentences[row["sentence"]]
    if any(following.start <= s["start"] < following.end for s in sites) or not ANNOUNCED.match(following.text):
        return None
    days = [d for d in dates if following.start <= d["start"] < following.end and d["precision"] == "day"
            and not d.get("dateline")]
    return days[0] if len(days) == 1 else None


def _carries(source: dict, row: dict, sentences: list[Sentence], dates: list[dict], sites: list[dict], reach: int) -> bool:
    """Whether ``source``'s date carries to ``row``: the same sentence; or a later one within ``reach`` with no
    other date in between and no new place (unless the source names none, or the sentence says "meanwhile")."""
    if source["sentence"] == row["sentence"]:
        return True
    if row["sentence"] - source["sentence"] > reach:
        return False
    between = (sentences[source["sentence"] - 1].end, sentences[row["sentence"] - 1].start)
    own = (source.get("date_evidence") or {}).get("start")  # "This was announced on January 21": the source's own day
    if _dated_between([d for d in dates if d["start"] != own], *between):
        return False
    return row["site_id"] is None or source["site"] is None or _place_named_before(row, source, sites, sentences) \
        or bool(_SAME_TIME.match(sentences[row["sentence"] - 1].text)) \
        or bool(_SAME_TIME_ANYWHERE.search(sentences[row["sentence"] - 1].text))


def _set_day(row: dict, day: str) -> None:
    row.update({"date": day, "date_end": day, "date_precision": "day", "date_certainty": "inferred", "date_evidence": None})
    row["review"] = [r for r in row["review"] if r != "the sentence gives no date"]


def _dated_between(dates: list[dict], start: int, end: int) -> bool:
    return any(start <= d["start"] < end and not d.get("dateline") for d in dates)


def _place_named_before(row: dict, last: dict, sites: list[dict], sentences: list[Sentence]) -> bool:
    """Whether the row's site was already named in the account the date comes from (from the dated sentence up
    to the row's own sentence): a sentence that names a new place starts a new account."""
    low = sentences[last["sentence"] - 1].start
    high = sentences[row["sentence"] - 1].start
    return any(low <= s["start"] < high and s["site_id"] == row["site_id"] for s in sites)


# --- 2. rows that name no site -----------------------------------------------------------------------------

def _fold_siteless(rows: list[dict]) -> list[dict]:
    sited = [r for r in rows if r["site"] is not None]
    kept = []
    for row in rows:
        if row["site"] is not None:
            kept.append(row)
            continue
        fits = [s for s in sited if abs(s["sentence"] - row["sentence"]) <= REACH and _compatible(row, s)]
        if not fits and not row["multiple"]:  # a report about one attack names it again far from where it placed it
            anywhere = [s for s in sited if _compatible(row, s) and row["country"] and s["country"] == row["country"]]
            fits = anywhere if len(anywhere) == 1 else []
        if row["multiple"] and not fits:
            if row["event_type"] == "us_strike" or (row["date"] is not None and row["country"] and ";" not in row["country"]
                                                    and not _TREND.search(row["evidence"]["text"])):
                kept.append(row)  # attacks in one country on one day told only here, without a site; or US strikes
            continue  # "attacks on US forces in Iraq and Syria have surged": a summary of the campaign
        if row["multiple"]:
            if len(fits) == 1:
                _absorb(fits[0], row, f"facts of sentence {row['sentence']}, which sums up the attacks and names no "
                                      f"site, added to the one attack they fit", retype=False)
            else:
                for target in fits:
                    if _no_casualties(row) and all(target[k] is None for k in _CASUALTY_KEYS):
                        target.update(killed=0, injured=0)  # "attacked four times ..., but there were no casualties"
                        target["casualty_wording"] = {**target.get("casualty_wording", {}), "killed": "none", "injured": "none"}
                        attach(target, "casualties", row["sentence"], f"sentence {row['sentence']} says the attacks it "
                                                                     "sums up caused no casualties")
                    else:
                        target["review"].append(f"sentence {row['sentence']} sums up several attacks without naming a "
                                                "site; its facts were not attached to any one of them")
            continue
        if fits:
            target = min(fits, key=lambda s: (abs(s["sentence"] - row["sentence"]), s["sentence"] > row["sentence"]))
            _absorb(target, row, f"sentence {row['sentence']} names no site; its facts belong to the attack at "
                                 f"{target['place']} (sentence {target['sentence']})", retype=False)
            continue
        kept.append(row)
    return kept


def _no_casualties(row: dict) -> bool:
    return row["killed"] == 0 and row["injured"] == 0 and row.get("killed_max") is None and row.get("injured_max") is None


def _compatible(a: dict, b: dict) -> bool:
    """Whether two rows can be the same attack: country, date and type do not contradict."""
    if a["country"] and b["country"] and not set(a["country"].split(";")) & set(b["country"].split(";")):
        return False
    if a["date"] and b["date"] and not (a["date"] <= b["date_end"] and b["date"] <= a["date_end"]):
        return False
    return _types_compatible(a["event_type"], b["event_type"])


def _types_compatible(a: str, b: str) -> bool:
    if "us_strike" in (a, b):
        return a == b
    return True  # "unknown" fits any attack; drone and rocket on one site and day make a mixed attack


def _merged_type(a: str, b: str) -> str:
    if a == b or b == "unknown":
        return a
    if a == "unknown":
        return b
    if "missile" in (a, b):
        return "missile"
    return "mixed"


# --- 3. same site, same day ------------------------------------------------------------------------------

def _place_key(row: dict):
    if row["site_id"]:
        return ("site", row["site_id"])
    if row["site"]:
        return ("place", " ".join(row["site"]["text"].lower().split()))
    if row["country"] and ";" not in row["country"]:
        return ("country", row["country"])  # one row per country and day for attacks told without a place
    return None


def _same_dates(a: dict, b: dict) -> bool:
    """The same day (or range), or no date on one side: a day inside another row's month is not enough."""
    return a["date"] is None or b["date"] is None or (a["date"], a["date_end"]) == (b["date"], b["date_end"])


def _merge_same_attack(rows: list[dict]) -> list[dict]:
    kept: list[dict] = []
    for row in rows:
        key = _place_key(row)
        target = None
        if key is not None:
            target = next((k for k in kept if _place_key(k) == key and _compatible(k, row) and _same_dates(k, row)
                           and (k["sentence"] == row["sentence"] or not _ANOTHER.search(row["evidence"]["text"]))), None)
        if target is None and key is not None and row.get("answered"):  # "in response to the attack on X": told before
            target = next((k for k in reversed(kept) if _place_key(k) == key and _types_compatible(k["event_type"], row["event_type"])
                           and (row["date"] is None or k["date"] is None or k["date"] <= row["date_end"])), None)
        if target is None:
            kept.append(row)
            continue
        same = "the same sentence" if target["sentence"] == row["sentence"] else f"sentence {row['sentence']}"
        _absorb(target, row, f"the row from {same} is the same attack (same place, "
                             f"{'same date' if row['date'] == target['date'] else 'no contradicting date'}): merged")
    return kept


def _join_answered(rows: list[dict]) -> list[dict]:
    """An attack named only as what a strike answered ("strikes ... in response to an attack on Erbil Air Base")
    is the attack at that place told elsewhere in the report, before or after: joined to it."""
    kept = list(rows)
    for row in [r for r in rows if r.get("answered") and r["event_type"] != "us_strike"]:
        key = _place_key(row)
        target = next((k for k in kept if k is not row and not k.get("answered") and key is not None
                       and _place_key(k) == key and _types_compatible(k["event_type"], row["event_type"])
                       and (row["date"] is None or k["date"] is None or k["date"] <= row["date_end"])), None)
        if target is not None:
            kept.remove(row)
            _absorb(target, row, f"the attack that sentence {row['sentence']} says was answered is the one at "
                                 f"{target['place'] or target['country']} (sentence {target['sentence']})")
    return kept


def _absorb(target: dict, other: dict, reason: str, retype: bool = True) -> None:
    """Move what ``other`` says into ``target`` (evidence, missing facts, a stronger source), with ``reason``."""
    spans = [other["evidence"], *other["more_evidence"]]
    known = {target["evidence"]["start"], *(e["start"] for e in target["more_evidence"])}
    target["more_evidence"].extend(e for e in spans if e["start"] not in known)
    target["more_evidence"].sort(key=lambda e: e["start"])
    if target["date"] is None and other["date"] is not None:
        for key in ("date", "date_end", "date_precision", "date_certainty", "date_evidence"):
            target[key] = other[key]
    if target["site"] is None and target["country"] and other["country"] and \
            set(other["country"].split(";")) < set(target["country"].split(";")):
        target["country"] = other["country"]  # "on the border between Syria and Jordan" + "a base in Jordan"
        target["review"] = [r for r in target["review"] if r != "the sentence gives no date"]
    merged = _merged_type(target["event_type"], other["event_type"]) if retype or target["event_type"] == "unknown" \
        else target["event_type"]  # a summary's weapons may be another attack's: they only fill an unknown type
    if merged != target["event_type"] and merged in ATTACK_TYPES:
        target.update({"event_type": merged, "event_label": EVENT_TYPES[merged]})
    if all(target[k] is None for k in _CASUALTY_KEYS) and any(other[k] is not None for k in _CASUALTY_KEYS):
        for key in _CASUALTY_KEYS:
            target[key] = other[key]
    target["casualty_wording"] = {**other.get("casualty_wording", {}), **target.get("casualty_wording", {})}
    target["injury_severity"] = target.get("injury_severity") or other.get("injury_severity")
    target["casualty_evidence"] = target.get("casualty_evidence", []) + other.get("casualty_evidence", [])
    if CONFIRMATION_RANK[other["confirmation"]] > CONFIRMATION_RANK[target["confirmation"]]:
        for key in ("confirmation", "reported_by", "attribution"):
            target[key] = other[key]
    if target["actor"] is None and other["actor"] is not None:
        for key in ("actor", "actor_id", "actor_role"):
            target[key] = other[key]
    target["multiple"] = target["multiple"] and other["multiple"]
    for note in other["review"]:
        if note not in target["review"] and note != "the sentence gives no date":
            target["review"].append(note)
    target["attachments"].extend(other.get("attachments", []))
    attach(target, "merged", other["sentence"], reason)


def _strikes_per_country(rows: list[dict]) -> list[dict]:
    """A US strike that names no site but two countries ("struck 85 targets in Iraq and Syria") is a strike in
    each: one row per country, so that each country's count holds it."""
    out = []
    for row in rows:
        if row["event_type"] != "us_strike" or row["site"] is not None or not row["country"] or ";" not in row["country"]:
            out.append(row)
            continue
        for country in row["country"].split(";"):
            copy = {**row, "country": country, "review": list(row["review"]), "attachments": list(row["attachments"]),
                    "more_evidence": list(row["more_evidence"])}
            attach(copy, "country", row["sentence"], f"one row per country the strike's sentence names ({row['country']})")
            out.append(copy)
    return out


def _without_background(rows: list[dict], set_aside: list[dict], published: str | None) -> list[dict]:
    """Rows from a sentence about attacks in the plural that gives no date for them ("most of the attacks
    have targeted X and Y") are background, not an attack: set aside (listed, with the reason) rather than
    proposed."""
    kept = []
    for row in rows:
        if row["multiple"] and row["date"] is None and all(row[k] is None for k in _CASUALTY_KEYS) \
                and (row["event_type"] != "us_strike" or _TREND.search(row["evidence"]["text"])):
            set_aside.append({"evidence": row["evidence"], "sentence": row["sentence"], "place": row["place"],
                              "reason": "names attacks in the plural with no date: background, not one attack"})
            continue
        if row["site"] is None and not row["country"]:
            set_aside.append({"evidence": row["evidence"], "sentence": row["sentence"], "place": None,
                              "reason": "names neither a site nor a country, and no attack told next fits it"})
            continue
        if row["site"] is None and row["date"] is None and row["event_type"] != "us_strike" \
                and all(row[k] is None for k in _CASUALTY_KEYS):
            set_aside.append({"evidence": row["evidence"], "sentence": row["sentence"], "place": row["country"],
                              "reason": "names only a country, with no day and no casualties: too vague for a row"})
            continue
        if row["date"] is not None and published is not None and \
                (dt.date.fromisoformat(published) - dt.date.fromisoformat(row["date_end"])).days > STALE_DAYS:
            set_aside.append({"evidence": row["evidence"], "sentence": row["sentence"], "place": row["place"],
                              "reason": f"dated {row['date']}, more than {STALE_DAYS} days before publication: "
                                        "background (a photo caption, an earlier war), not news of this report"})
            continue
        kept.append(row)
    return kept


# --- 4. and 5. the type and the group from a neighbouring sentence ------------------------------------------

def _type_from_next_sentence(rows: list[dict], sentences: list[Sentence], sites: list[dict], event_type) -> None:
    for row in rows:
        if row["event_type"] != "unknown" or row["sentence"] >= len(sentences):
            continue
        following = sentences[row["sentence"]]
        others = [s for s in sites if following.start <= s["start"] < following.end and s["site_id"] != row["site_id"]]
        if others:
            continue  # it is about another place
        kind = event_type(following.text)
        if kind in ATTACK_TYPES and kind != "unknown":
            row.update({"event_type": kind, "event_label": EVENT_TYPES[kind]})
            attach(row, "type", row["sentence"] + 1, f"type from sentence {row['sentence'] + 1}, the next one, "
                                                     "which names the weapon")


def _carry_group(rows: list[dict], sentences: list[Sentence], actors: list[dict], sites: list[dict]) -> None:
    groups = [a for a in actors if a["role"] != "backer" and a["kind"] == "armed group"]
    for row in rows:
        if row["actor"] is not None or row["event_type"] == "us_strike":
            continue
        for index in range(row["sentence"] - 1, min(len(sentences), row["sentence"] + REACH)):
            sentence = sentences[index]
            if index >= row["sentence"] and any(sentence.start <= s["start"] < sentence.end for s in sites):
                break  # a later sentence that names a site reports its own event
            reference = _GROUP_REFERENCE.search(sentence.text)
            if reference is None or (index >= row["sentence"] and not _CLAIM.search(sentence.text)):
                continue
            before = [g for g in groups if g["end"] <= sentence.start + reference.start()]
            if not before:
                break
            group = before[-1]
            named_in = next(i for i, s in enumerate(sentences) if s.start <= group["start"] < s.end) + 1
            row.update({"actor": group["name"], "actor_id": group["actor_id"],
                        "actor_role": "claimed" if re.search(r"\bclaim", sentence.text, re.IGNORECASE) else "named"})
            attach(row, "actor", named_in, f"actor carried from sentence {named_in}: '{reference.group()}' in "
                                           f"sentence {index + 1} refers to it")
            break
