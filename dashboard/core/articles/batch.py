"""Many articles at once: one proposed row per attack however many outlets reported it, matched to the dataset.

Steps, each a pure function: :func:`merge_reports` groups the incidents extracted from several articles
into attacks (the rule is in its docstring), and :func:`match_proposals` compares each attack with the
dataset's incidents through :func:`curation.find_candidates` and says whether it is new, adds something to
an incident already there (a source, a casualty figure), or is already known. Reading the files and
writing the review is :mod:`dashboard.core.articles.batch_files`. Nothing here writes to the data folder.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.core.articles.curation import find_candidates, proposed_rows
from dashboard.core.data.columns import ATTACK_TYPES, CONFIRMATION_RANK
from dashboard.core.data.validate import is_http_url, split_sources
from dashboard.core.places.names import normalise_name

#: Most days two reports of one attack may be apart (a wire item republished the next day, a time zone).
MERGE_DAYS = 1
#: Most days a proposal may be from a dataset incident at its site to be that incident.
MATCH_DAYS = 1
#: Confirmation levels, lowest first.
_CERTAINTY_RANK = {"reported": 0, "inferred": 1, "approximate": 2}
#: Kinds of proposal, in the order the review lists them.
KINDS = ("new", "addition", "known")


def review_batch(readings: list[dict], incidents: pd.DataFrame) -> list[dict]:
    """:func:`merge_reports`, then :func:`match_proposals`; numbered ``P1``, ``P2``, ... with the new incidents
    first, then the additions, then those already known, each in date order."""
    proposals = sorted(match_proposals(merge_reports(readings), incidents), key=lambda p: KINDS.index(p["kind"]))
    return [{"proposal": f"P{n}", "kind": p.pop("kind"), "incident_id": p.pop("incident_id"), **p}
            for n, p in enumerate(proposals, start=1)]


def merge_reports(readings: list[dict]) -> list[dict]:
    """Group the incidents of several articles into one proposal per attack.

    Two incidents from different articles are the same attack when they are at the same site (or, neither
    naming a gazetteer site, in the same country at the same place name; one that names only a country is
    merged with none), of compatible types (the same;
    ``unknown`` with any attack type; drone, rocket and mixed together make ``mixed``; a US strike only
    with a US strike) and dated within :data:`MERGE_DAYS` of each other. An incident joins a group only
    when it fits every incident already in it, and the group of the nearest date when several fit. An
    incident whose article gives no date joins a group only when exactly one fits it (ignoring dates);
    otherwise it stays a proposal of its own, with a note. Two incidents of one article are never merged
    here: the extractor has already merged what one article says about one attack.

    Parameters
    ----------
    readings : list of dict
        One per article read: ``article`` (its file name) and ``extraction`` (the result of
        :func:`dashboard.core.articles.extract_article`), in the order read.

    Returns
    -------
    list of dict
        Proposals in date order; see :func:`build_proposal` for the keys.
    """
    reports = []
    for order, reading in enumerate(readings):
        rows = proposed_rows(reading["extraction"]).to_dict("records")
        for incident, row in zip(reading["extraction"]["incidents"], rows):
            reports.append({"order": order, "article": reading["article"], "incident": incident, "row": row,
                            "published": reading["extraction"]["document"]["published"]})
    groups: list[dict] = []
    for report in sorted((r for r in reports if r["incident"]["date"]), key=lambda r: (r["incident"]["date"], r["order"])):
        fitting = [g for g in groups if _fits(report, g, dated=True)]
        if fitting:
            min(fitting, key=lambda g: _days_to(report, g))["reports"].append(report)
        else:
            groups.append({"reports": [report], "notes": []})
    for report in (r for r in reports if not r["incident"]["date"]):
        fitting = [g for g in groups if _fits(report, g, dated=False)]
        if len(fitting) == 1:
            fitting[0]["reports"].append(report)
            continue
        notes = []
        if fitting:
            notes.append(f"{report['article']} gives no date and fits {len(fitting)} attacks at this place in the "
                         "batch, so it was merged with none of them")
        groups.append({"reports": [report], "notes": notes})
    proposals = [build_proposal(sorted(g["reports"], key=lambda r: r["order"]), g["notes"]) for g in groups]
    return sorted(proposals, key=lambda p: (p["date"], p["place"], p["articles"][0]))


def combined_type(one: str, other: str) -> str | None:
    """The event type of two reports of one attack, or None when the types cannot be one attack."""
    if one == other:
        return one
    pair = {one, other}
    if "us_strike" in pair or not pair <= set(ATTACK_TYPES):
        return None
    if "unknown" in pair:
        return (pair - {"unknown"}).pop()
    return "mixed" if pair <= {"drone", "rocket", "mixed"} else None


def _fits(report: dict, group: dict, dated: bool) -> bool:
    kind = report["incident"]["event_type"]
    for member in group["reports"]:
        if member["order"] == report["order"] or not _same_place(report["incident"], member["incident"]):
            return False
        kind = combined_type(kind, member["incident"]["event_type"])
        if kind is None:
            return False
        if dated and member["incident"]["date"] and _gap(report["incident"], member["incident"]) > MERGE_DAYS:
            return False
    return True


def _same_place(one: dict, other: dict) -> bool:
    if one["site_id"] or other["site_id"]:
        return one["site_id"] == other["site_id"]
    if not one["site"] or not other["site"] or not one["country"] or one["country"] != other["country"]:
        return False  # an incident that names only a country is too vague to be merged
    return normalise_name(one["site"]["text"]) == normalise_name(other["site"]["text"])


def _gap(one: dict, other: dict) -> int:
    """Days between two incidents' date spans (0 when they overlap)."""
    first, last = max(one["date"], other["date"]), min(one["date_end"] or one["date"], other["date_end"] or other["date"])
    return max(0, (dt.date.fromisoformat(first) - dt.date.fromisoformat(last)).days)


def _days_to(report: dict, group: dict) -> int:
    return min((_gap(report["incident"], m["incident"]) for m in group["reports"] if m["incident"]["date"]), default=0)


def build_proposal(reports: list[dict], notes: list[str]) -> dict:
    """One attack's proposal from the reports of it (in article order) and the notes of the merge.

    Keys: the ``incidents.csv`` columns of :func:`curation.proposed_rows` (but ``sources`` a list),
    ``date_end``, ``articles``, ``published`` (the first publication date), ``evidence`` (spans with
    their ``article``), ``review_notes``. Without a date in any article, ``date`` is empty.
    The date is the most certain one (``reported`` before ``inferred``; the earliest among equals);
    each casualty figure comes from the first article that states it; the confirmation is the highest;
    the actor is the first named. Disagreements are written into ``review_notes``.
    """
    first = reports[0]
    proposal = {key: first["row"][key] for key in ("place", "site_id", "country", "event_type")}
    notes = list(notes)
    proposal.update(_merged_date(reports, notes))
    for report in reports[1:]:
        proposal["event_type"] = combined_type(proposal["event_type"], report["incident"]["event_type"])
    proposal["confirmation"] = max((r["row"]["confirmation"] for r in reports), key=CONFIRMATION_RANK.__getitem__)
    named = [r for r in reports if r["row"]["actor"]]
    proposal["actor"] = named[0]["row"]["actor"] if named else ""
    others = {r["row"]["actor"] for r in named} - {proposal["actor"]}
    if others:
        notes.append("sources name different actors: " + ", ".join(f"{r['article']} {r['row']['actor']}" for r in named))
    proposal.update(_merged_casualties(reports, notes))
    proposal["sources"] = list(dict.fromkeys(r["row"]["sources"] for r in reports))
    proposal["articles"] = list(dict.fromkeys(r["article"] for r in reports))
    proposal["published"] = min(r["published"] for r in reports)
    proposal["evidence"] = [{"article": r["article"], **span} for r in reports
                            for span in [r["incident"]["evidence"], *r["incident"]["more_evidence"]]]
    proposal["review_notes"] = [f"{r['article']}: {note}" for r in reports for note in r["incident"]["review"]] + notes
    return proposal


def _merged_date(reports: list[dict], notes: list[str]) -> dict:
    dated = [r for r in reports if r["incident"]["date"]]
    if not dated:  # left empty for the reviewer, as curation.proposed_rows leaves it
        notes.append(f"no article gives a date; the first was published {min(r['published'] for r in reports)}, "
                     "the latest the attack can be")
        return {"date": "", "date_end": "", "date_certainty": ""}
    best = min(dated, key=lambda r: (_CERTAINTY_RANK.get(r["incident"]["date_certainty"], 3), r["incident"]["date"]))
    if len({r["incident"]["date"] for r in dated}) > 1:
        notes.append("sources give different dates: " + ", ".join(
            f"{r['article']} {r['incident']['date']} ({r['incident']['date_certainty']})" for r in dated))
    incident = best["incident"]
    return {"date": incident["date"], "date_end": incident["date_end"] or incident["date"],
            "date_certainty": incident["date_certainty"]}


def _merged_casualties(reports: list[dict], notes: list[str]) -> dict:
    merged = {}
    for what in ("killed", "injured"):
        stating = [r for r in reports if r["incident"][what] is not None or r["incident"][f"{what}_max"] is not None]
        figures = [(r["incident"][what], r["incident"][f"{what}_max"]) for r in stating]
        low, high = figures[0] if figures else (None, None)
        merged[what], merged[f"{what}_max"] = _text(low), _text(high)
        if len(set(figures)) > 1:
            notes.append("sources disagree on casualties: " + ", ".join(
                f"{r['article']} says {figure_text(*f, what)}" for r, f in zip(stating, figures)))
    return merged


def figure_text(low: int | None, high: int | None, what: str) -> str:
    """A casualty figure in words: "3 killed", "up to 7 killed", "2-5 injured"."""
    if high is None or high == low:
        return f"{low} {what}"
    return f"up to {high} {what}" if low is None else f"{low}-{high} {what}"


def _text(value) -> str:
    return "" if value is None else str(int(value))


def match_proposals(proposals: list[dict], incidents: pd.DataFrame) -> list[dict]:
    """Say for each proposal whether it is ``new``, an ``addition`` to an incident, or ``known``.

    A proposal is that incident when the dataset has one at its site (the same site, or a multi-site
    incident that includes it), dated within :data:`MATCH_DAYS` of it, of a compatible type (what
    :func:`curation.find_candidates` lists as ``same site`` or ``shared site``; the best scored of them).
    Such a candidate scores at least 0.62 of :func:`find_candidates`' 1, but so can one in the same
    country at another place, so the place and the days are read rather than a score threshold. A
    proposal whose articles give no date is compared as of its first publication date, and is that
    incident only when it is the one candidate at its site within :func:`find_candidates`' week. A proposal that names no gazetteer
    site is always ``new``, with its closest candidates in the notes.

    An ``addition`` brings a source URL the incident lacks (``new_sources``) or a casualty figure it
    lacks (``new_casualties``); with neither it is ``known``. Figures that differ from the incident's
    are noted, not proposed. Returns new dicts with ``kind``, ``incident_id``, ``new_sources``,
    ``new_casualties`` and ``candidates`` (the best three, as records) added.
    """
    by_id = {row["incident_id"]: row for row in incidents.to_dict("records")}
    matched = []
    for proposal in proposals:
        proposal = {**proposal, "review_notes": list(proposal["review_notes"]), "new_sources": [], "new_casualties": {}}
        dated = bool(proposal["date"])
        candidates = find_candidates(proposal if dated else {**proposal, "date": proposal["published"], "date_end": None},
                                     incidents)
        proposal["candidates"] = _records(candidates.head(3))
        strong = _strong(candidates, dated)
        if strong is None:
            proposal.update(kind="new", incident_id="")
            if len(candidates):
                proposal["review_notes"].append("close to " + "; ".join(
                    f"{c['incident_id']} ({c['reasons']}, score {c['score']})" for c in proposal["candidates"]))
        else:
            _compare(proposal, by_id[strong["incident_id"]])
        if not any(is_http_url(s) for s in proposal["sources"]):
            proposal["review_notes"].append("no URL among the sources (document ids only); list the articles with "
                                            "their URLs (--list) before adding them")
        matched.append(proposal)
    return matched


def _strong(candidates: pd.DataFrame, dated: bool) -> dict | None:
    at_site = candidates[candidates["place_match"].isin(["same site", "shared site"])]
    if dated:
        at_site = at_site[at_site["days_apart"] <= MATCH_DAYS]
    elif len(at_site) != 1:
        return None
    return at_site.iloc[0].to_dict() if len(at_site) else None


def _compare(proposal: dict, incident: dict) -> None:
    proposal["incident_id"] = incident["incident_id"]
    known = set(_list(incident.get("sources")))
    proposal["new_sources"] = [s for s in proposal["sources"] if is_http_url(s) and s not in known]
    for what in ("killed", "injured"):
        ours = (_int(proposal[what]), _int(proposal[f"{what}_max"]))
        theirs = (_int(incident.get(what)), _int(incident.get(f"{what}_max")))
        if ours == (None, None) or ours == theirs:
            continue
        if theirs == (None, None):
            proposal["new_casualties"].update({what: ours[0], f"{what}_max": ours[1]})
        else:
            proposal["review_notes"].append(f"{incident['incident_id']} gives {figure_text(*theirs, what)}; "
                                            f"the articles say {figure_text(*ours, what)} (not proposed)")
    proposal["kind"] = "addition" if proposal["new_sources"] or proposal["new_casualties"] else "known"


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{key: (None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else
                   value.item() if hasattr(value, "item") else value) for key, value in row.items()}
            for row in frame.to_dict("records")]


def _list(value) -> list[str]:
    if value is None or (isinstance(value, float) and value != value):
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return split_sources(str(value))


def _int(value) -> int | None:
    if value is None or value is pd.NA or value == "" or (isinstance(value, float) and value != value):
        return None
    return int(value)
