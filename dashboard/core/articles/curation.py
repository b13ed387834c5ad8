"""From an article's extraction to reviewed rows: proposed incidents, likely duplicates, and the seed record.

Pure functions for the review page; writing to the data folder is
:func:`dashboard.core.data.storage.append_incidents` (re-exported here).
"""
from __future__ import annotations

import datetime as dt
from typing import Mapping

import pandas as pd

from dashboard.core.data.columns import ATTACK_TYPES, INCIDENT_COLUMNS
from dashboard.core.data.storage import AppendResult, append_incidents, duplicate_key
from dashboard.core.data.validate import split_list

__all__ = ["proposed_rows", "find_candidates", "build_seed_record", "append_incidents", "AppendResult", "duplicate_key"]

INCIDENT_NAMES = [c.name for c in INCIDENT_COLUMNS]
CANDIDATE_COLUMNS = ["incident_id", "date", "days_apart", "site_id", "country", "event_type", "killed", "injured",
                     "place_match", "type_match", "casualty_similarity", "score", "reasons"]
_EVENT_WORDS = {"drone": "Drone attack", "rocket": "Rocket or mortar attack", "missile": "Ballistic missile attack",
                "mixed": "Rocket and drone attack", "us_strike": "US strike", "unknown": "Attack (weapon not stated)"}
_WORDING = {"exact": "{n}", "at_least": "at least {n}", "more_than": "more than {n}", "about": "about {n}",
            "up_to": "up to {hi}", "range": "{n}-{hi}", "none": "no one", "unstated": "an unstated number"}


def proposed_rows(extraction: dict) -> pd.DataFrame:
    """One proposed ``incidents.csv`` row per extracted incident, for review.

    Parameters
    ----------
    extraction : dict
        The result of :func:`dashboard.core.articles.extract_article`.

    Returns
    -------
    pandas.DataFrame
        Columns exactly ``INCIDENT_COLUMNS``, all cells strings (empty when
        unknown), index ``draft-1``, ``draft-2``, ... in the order of
        ``extraction["incidents"]``. ``incident_id`` is left empty for
        :func:`append_incidents`. ``confirmation`` is ``US-official`` when
        the text attributes the report to US officials, ``local-official``
        for Iraqi, Kurdish or Syrian officials, else ``claim-only``.
        ``sources`` is the document's URL, else its id. ``notes`` is our own
        summary (short quotes only: the date words). A row without a date
        in the text keeps an empty date for the reviewer to fill in: the
        publication date is only the latest the attack can be (an attack
        of 18 October reported on 30 October is not an attack of the 30th),
        and :func:`append_incidents` refuses a row without a date.
    """
    document = extraction["document"]
    rows = [_row(incident, document) for incident in extraction["incidents"]]
    frame = pd.DataFrame(rows, columns=INCIDENT_NAMES, dtype=object)
    frame.index = [f"draft-{i + 1}" for i in range(len(frame))]
    return frame


def _row(incident: dict, document: dict) -> dict:
    date, certainty = incident["date"] or "", incident["date_certainty"] or ""
    place = incident["place"] or (f"{incident['country']} (no site named)" if incident["country"] else "not stated")
    if incident["site"]:
        place = incident["site"]["text"]
    return {
        "incident_id": "",
        "date": date,
        "date_certainty": certainty,
        "place": place,
        "site_id": incident["site_id"] or "",
        "country": incident["country"] or "",
        "event_type": incident["event_type"],
        "actor": _actor_text(incident),
        "casualties": casualty_summary(incident),
        "killed": _int_text(incident["killed"]),
        "killed_max": _int_text(incident["killed_max"]),
        "injured": _int_text(incident["injured"]),
        "injured_max": _int_text(incident["injured_max"]),
        "confirmation": incident["confirmation"],
        "sources": document.get("url") or document["document_id"],
        "notes": incident_summary(incident, document),
    }


def _int_text(value) -> str:
    return "" if value is None else str(int(value))


def _actor_text(incident: dict) -> str:
    if not incident["actor"]:
        return ""
    role = {"claimed": " (claimed)", "blamed": " (blamed)"}.get(incident["actor_role"], "")
    return incident["actor"] + role


def casualty_summary(incident: dict) -> str:
    """Casualties in our words, e.g. "up to 7 killed; 1 injured (minor)"; "not stated" when the text gives none."""
    parts = []
    for what, word in (("killed", "killed"), ("injured", "injured")):
        wording = incident.get("casualty_wording", {}).get(what)
        low, high = incident[what], incident[f"{what}_max"]
        if wording is None and low is None and high is None:
            continue
        text = _WORDING.get(wording or "exact", "{n}").format(n=low, hi=high)
        if what == "injured" and incident.get("injury_severity"):
            word += f" ({incident['injury_severity']})"
        parts.append(f"{text} {word}")
    return "; ".join(parts) or "not stated"


def incident_summary(incident: dict, document: dict) -> str:
    """Our one-paragraph note on an extracted incident: what, where, when and on whose word."""
    if incident["place"]:
        where = f"at {incident['place']}" + (f" ({incident['country']})" if incident["country"] else "")
    else:
        where = f"in {incident['country']} (no site named)" if incident["country"] else "(no place named)"
    sentences = [f"{_EVENT_WORDS[incident['event_type']]} {where}"
                 + (", one of several attacks described together" if incident["multiple"] else "") + "."]
    if incident["date"] is None:
        sentences.append(f"No date in the article: set the attack's date before adding; the publication date "
                         f"({document['published']}) is only the latest it can be.")
    elif incident["date_evidence"] and incident["date_certainty"] != "reported":
        span = f"{incident['date']} to {incident['date_end']}" if incident["date_end"] != incident["date"] else incident["date"]
        sentences.append(f"Date {span} worked out from '{incident['date_evidence']['text']}' against the "
                         f"publication date; a republished item can be days off.")
    if incident["reported_by"]:
        who = incident["reported_by"]
        sentences.append(f"Attributed to {who[0].lower() + who[1:] if who[:2] in ('A ', 'An') else who}.")
    source = " ".join(p for p in (document.get("publisher"), document["document_id"]) if p)
    sentences.append(f"Extracted from {source} of {document['published']}; reviewed before adding.")
    return " ".join(sentences)


def find_candidates(row: Mapping, incidents: pd.DataFrame, window_days: int = 7) -> pd.DataFrame:
    """Existing incidents that may be the same event as ``row``, best first.

    A candidate is at the same site (any shared site; the same country when
    ``row`` names no site), of a compatible type (the same; ``unknown``
    with any attack; ``mixed`` with ``drone`` or ``rocket``; a US strike
    only with a US strike) and dated within ``window_days`` of ``row`` (or
    of its range, when ``row`` has ``date_end``). Wire items are often
    republished days later, so a relative date can be a week off.

    Parameters
    ----------
    row : mapping
        A proposed row (``date``, ``site_id``, ``country``, ``event_type``,
        ``killed``, ``killed_max``, ``injured``, ``injured_max``; optional
        ``date_end``), e.g. a row of :func:`proposed_rows`.
    incidents : pandas.DataFrame
        Existing incidents, as :func:`load_dataset` returns them or as read
        from the CSV (strings).
    window_days : int
        How many days apart two dates may be.

    Returns
    -------
    pandas.DataFrame
        Columns ``CANDIDATE_COLUMNS``. ``score`` (0-1) weighs date closeness
        (0.35), place (0.3: same site set 1, shared site 0.75, same country
        0.4), type (0.15: same 1, compatible 0.6) and casualty similarity
        (0.2; 0.5 when either side gives no figure).
    """
    if window_days < 0:
        raise ValueError(f"`window_days` was {window_days!r} but is expected to be 0 or more")
    first = _as_date(row.get("date"))
    if first is None:
        raise ValueError(f"`row['date']` was {row.get('date')!r} but is expected to be a date")
    last = _as_date(row.get("date_end")) or first
    sites, countries = _ids(row.get("site_id")), _ids(row.get("country"))
    found = []
    for other in incidents.to_dict("records"):
        when = _as_date(other.get("date"))
        if when is None:
            continue
        days = 0 if first <= when <= last else min(abs((when - first).days), abs((when - last).days))
        if days > window_days:
            continue
        place = _place_match(sites, countries, _ids(other.get("site_id")), _ids(other.get("country")))
        kind = _type_match(row.get("event_type"), other.get("event_type"))
        if place is None or kind is None:
            continue
        similarity = casualty_similarity(row, other)
        score = (0.35 * (1 - days / (window_days + 1)) + 0.3 * {"same site": 1.0, "shared site": 0.75, "same country": 0.4}[place]
                 + 0.15 * (1.0 if kind == "same" else 0.6) + 0.2 * (0.5 if similarity is None else similarity))
        found.append({
            "incident_id": other.get("incident_id"), "date": when.isoformat(), "days_apart": days,
            "site_id": ";".join(sorted(_ids(other.get("site_id")))), "country": ";".join(sorted(_ids(other.get("country")))),
            "event_type": other.get("event_type"), "killed": _number(other.get("killed")), "injured": _number(other.get("injured")),
            "place_match": place, "type_match": kind,
            "casualty_similarity": None if similarity is None else round(similarity, 3), "score": round(score, 3),
            "reasons": f"{place}, {kind} type, {days} day(s) apart"
                       + ("" if similarity is None else f", casualty similarity {similarity:.2f}"),
        })
    frame = pd.DataFrame(found, columns=CANDIDATE_COLUMNS)
    return frame.sort_values(["score", "days_apart"], ascending=[False, True], kind="stable").reset_index(drop=True)


def casualty_similarity(one: Mapping, other: Mapping) -> float | None:
    """1 for equal figures, the ratio smaller/larger otherwise, averaged over killed and injured; None without figures on both sides."""
    scores = []
    for what in ("killed", "injured"):
        a = _figure(one, what)
        b = _figure(other, what)
        if a is None or b is None:
            continue
        scores.append(1.0 if a == b else min(a, b) / max(a, b))
    return sum(scores) / len(scores) if scores else None


def _figure(row: Mapping, what: str) -> float | None:
    low, high = _number(row.get(what)), _number(row.get(f"{what}_max"))
    return low if low is not None else high


def _number(value) -> int | None:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value) or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _as_date(value) -> dt.date | None:
    if value is None or value is pd.NaT or value == "" or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _ids(value) -> set[str]:
    if value is None or (isinstance(value, float) and value != value):
        return set()
    if isinstance(value, (tuple, list, set, frozenset)):
        return {str(v) for v in value if str(v)}
    return set(split_list(str(value)))


def _place_match(sites: set[str], countries: set[str], other_sites: set[str], other_countries: set[str]) -> str | None:
    if sites:
        if sites == other_sites:
            return "same site"
        return "shared site" if sites & other_sites else None
    return "same country" if countries and countries & other_countries else None


def _type_match(one, other) -> str | None:
    if one == other:
        return "same"
    pair = {one, other}
    if "us_strike" in pair:
        return None
    if "unknown" in pair and pair <= set(ATTACK_TYPES):
        return "compatible"
    if "mixed" in pair and pair & {"drone", "rocket"}:
        return "compatible"
    return None


def build_seed_record(extraction: dict, rows: pd.DataFrame, *, item_code: str | None = None,
                      notes: str | None = None) -> dict:
    """The seed record of the article: the document and our summary of each fact with the rows it supports.

    Parameters
    ----------
    extraction : dict
        The result of :func:`extract_article`.
    rows : pandas.DataFrame
        The reviewed rows (as from :func:`proposed_rows`; the reviewer may
        have dropped or edited some). Each becomes one fact whose
        ``supports.incidents`` lists the row's index label, which
        :func:`append_incidents` replaces by the incident id.
    item_code, notes : str, optional
        The wire's item code; a note on the record.

    Returns
    -------
    dict
        In the layout of ``seeds/*.json``. Running totals become facts of
        kind ``official_count`` that support no row (they are not added to
        ``official_counts.csv`` here).
    """
    document = extraction["document"]
    facts = []
    for label, row in rows.iterrows():
        kind = "us_strike" if row["event_type"] == "us_strike" else "attack"
        facts.append({"n": len(facts) + 1, "kind": kind, "summary": row["notes"] or row["casualties"],
                      "supports": {"incidents": [str(label)], "official_counts": [],
                                   "sites": split_list(row["site_id"] or "")}})
    for count in extraction["counts"]:
        facts.append({"n": len(facts) + 1, "kind": "official_count", "summary": count_summary(count), "supports":
                      {"incidents": [], "official_counts": [], "sites": []}})
    return {
        "document_id": document["document_id"], "publisher": document.get("publisher"),
        "published": document["published"], "item_code": item_code, "url": document.get("url"),
        "title": document.get("title"), "language": "en", "text_stored": False,
        "notes": notes or "Facts found by the rule-based extractor (dashboard.core.articles, version "
                          f"{document.get('extractor_version')}) and reviewed before the rows were added; "
                          "summaries are ours.",
        "facts": facts,
    }


def count_summary(count: dict) -> str:
    """A running total in our words, e.g. "A defense official gave at least 66 attacks since 2023-10-17 (Iraq 32, Syria 34)"."""
    qualifier = {"exact": "", "at_least": "at least ", "about": "about ", "more_than": "more than "}[count["qualifier"]]
    who = count["reported_by"] or "The article"
    text = f"{who[0].upper()}{who[1:]} gave {qualifier}{count['total']} attacks"
    if count["since"]:
        text += f" since {count['since']}"
    if count["by_country"]:
        text += " (" + ", ".join(f"{c} {n}" for c, n in count["by_country"].items()) + ")"
    return text + f", as of {count['as_of']}."
