"""Read the numbers of killed and injured from a sentence, in digits or words, with their wording.

"killed up to seven people" gives ``killed_max`` 7 and no ``killed``;
"at least 3 killed" gives ``killed`` 3 (a lower bound); "two to five
wounded" gives ``injured`` 2 and ``injured_max`` 5; "no one was hurt"
gives ``injured`` 0; "one US service member suffered minor injuries"
gives ``injured`` 1 and ``severity`` "minor".
"""
from __future__ import annotations

import re

from .text import NUMBER, parse_number, span

_Q = r"(?:(?P<q>up to|as many as|at least|more than|over|nearly|almost|about|around|roughly|approximately|some)\s+)?"
_N = rf"(?P<n>{NUMBER}|an?(?!\s+(?:number|few|handful|couple|series|lot|total|dozen)\b))(?:\s*(?:to|-|\u2013|or)\s*(?P<n2>{NUMBER}))?"
_PERSON = (r"(?:service ?members?|servicemembers?|soldiers?|troops?|personnel|contractors?|civilians?|sailors?|"
           r"marines?|airm[ae]n|people|persons?|Americans?|fighters?|militants?|members?|guards?|commanders?|"
           r"individuals?|children|women|men|staff)")
_NOT_MODIFIER = r"(?!(?:and|or|but|that|which|who|were|was|injured|wounded|killed|in|at|on|by)\b)"
_WHO = rf"(?P<who>(?:{_NOT_MODIFIER}[\w.'\u2019-]+\s+){{0,3}}?{_PERSON})"
_BE = r"(?:(?:were|was|have been|had been|are|is|being|reportedly|also|all|slightly|lightly|seriously|critically|severely)\s+)*"
_INJURY = r"(?:injuries|injury|wounds|concussions|traumatic brain injur(?:y|ies)|TBI)"

_KILLED = tuple(re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?:killed|killing|kills)\s+{_Q}{_N}(?:\s+{_WHO})?\b",
    rf"\b{_Q}{_N}\s+{_WHO}\s+{_BE}(?:killed|dead|died)\b",
    rf"\b{_Q}{_N}\s+(?:(?:were|people)\s+)?(?:killed|dead)\b",
    rf"\bdeath toll\s+(?:\w+\s+){{0,3}}?(?:of|to|at|reached|rose to|stood at)\s+{_Q}{_N}",
    rf"\bleft\s+{_Q}{_N}\s+(?:\w+\s+){{0,2}}?dead\b",
))
_INJURED = tuple(re.compile(p, re.IGNORECASE) for p in (
    rf"\b(?:injuring|wounding|injured|wounded|injures|wounds)\s+{_Q}{_N}(?:\s+{_WHO})?\b",
    rf"\b{_Q}{_N}\s+{_WHO}\s+{_BE}(?:injured|wounded|hurt)\b",
    rf"\b{_Q}{_N}\s+{_WHO}\s+(?:\w+\s+){{0,2}}?(?:suffered|sustained|received|had|reported)\s+(?:[\w-]+\s+){{0,3}}?{_INJURY}\b",
    rf"\b(?:minor |slight |serious )?injuries to\s+{_Q}{_N}\b",
    rf"\b{_Q}{_N}\s+(?:(?:were|people)\s+)?(?:injured|wounded)\b",
))
_NONE_AT_ALL = re.compile(r"\bno (?:\w+\s+){0,2}?casualties\b|\bwithout (?:causing )?(?:any )?casualties\b", re.IGNORECASE)
_NO_ONE = r"(?:no one|nobody|no (?:\w+\s+){0,2}?(?:personnel|troops|service members|soldiers|Americans))\s+(?:was|were)\s+"
_NONE_KILLED = re.compile(rf"\b{_NO_ONE}killed\b|\bno (?:deaths|fatalities)\b", re.IGNORECASE)
_NONE_INJURED = re.compile(rf"\b{_NO_ONE}(?:hurt|injured|wounded)\b|\bno (?:\w+\s+)?injuries\b|"
                           r"\bwithout (?:causing )?(?:any )?injuries\b", re.IGNORECASE)
_MINOR = re.compile(r"\b(?:minor|slight|slightly|light|lightly)\b", re.IGNORECASE)
_QUALIFIERS = {"up to": "up_to", "as many as": "up_to", "at least": "at_least", "more than": "more_than",
               "over": "more_than"}


def find_casualties(article: str, start: int, end: int) -> dict:
    """Killed and injured stated in ``article[start:end]`` (a sentence or a clause).

    Returns
    -------
    dict
        ``killed``, ``killed_max``, ``injured``, ``injured_max`` (int or
        None), ``killed_wording`` and ``injured_wording`` (``exact``,
        ``up_to``, ``at_least``, ``more_than``, ``about``, ``range``,
        ``none`` or None), ``severity`` ("minor" or None) and ``evidence``
        (the spans the figures were read from).
    """
    text = article[start:end]
    out = {"killed": None, "killed_max": None, "injured": None, "injured_max": None,
           "killed_wording": None, "injured_wording": None, "severity": None, "evidence": []}
    taken: list[tuple[int, int]] = []
    for what, patterns, none_pattern in (("killed", _KILLED, _NONE_KILLED), ("injured", _INJURED, _NONE_INJURED)):
        for pattern in patterns:
            for match in pattern.finditer(text):
                figure = _figure(match)
                if figure is None or any(s < match.end("n") and match.start("n") < e for s, e in taken):
                    continue
                taken.append(match.span("n"))
                out["evidence"].append(span(article, start + match.start(), start + match.end()))
                if out[what] is None and out[f"{what}_max"] is None:
                    out[what], out[f"{what}_max"], out[f"{what}_wording"] = figure
                    if what == "injured" and _MINOR.search(text[max(0, match.start() - 20):match.end() + 30]):
                        out["severity"] = "minor"
        if out[f"{what}_wording"] is None:
            zero = none_pattern.search(text) or _NONE_AT_ALL.search(text)
            if zero:
                out[what], out[f"{what}_wording"] = 0, "none"
                out["evidence"].append(span(article, start + zero.start(), start + zero.end()))
    out["evidence"].sort(key=lambda e: e["start"])
    return out


def _figure(match: re.Match) -> tuple[int | None, int | None, str] | None:
    """(low, high, wording) of a match, or None when it holds no usable number."""
    written = match.group("n")
    if written.lower() in ("a", "an") and not match.groupdict().get("who"):
        return None  # "killed a number of ..." is no figure; "a soldier was wounded" is one
    number = parse_number(written)
    if number is None:
        return None
    if match.group("n2"):
        high = parse_number(match.group("n2"))
        if high is not None and high > number:
            return number, high, "range"
    qualifier = (match.group("q") or "").lower()
    wording = _QUALIFIERS.get(qualifier, "about" if qualifier else "exact")
    if wording == "up_to":
        return None, number, wording
    return number, None, wording
