"""Read the numbers of killed and injured from a sentence, in digits or words, with their wording.

"killed up to seven people" gives ``killed_max`` 7 and no ``killed``;
"at least 3 killed" gives ``killed`` 3 (a lower bound); "two to five
wounded" gives ``injured`` 2 and ``injured_max`` 5; "no one was hurt"
gives ``injured`` 0; "one US service member suffered minor injuries"
gives ``injured`` 1 and ``severity`` "minor".
"""
from __future__ import annotations

import re

from dashboard.core.articles.text import NUMBER, parse_number, span

_Q = r"(?:(?P<q>up to|as many as|at least|more than|over|nearly|almost|about|around|roughly|approximately|some)\s{1,10})?"
_N = (rf"(?P<n>{NUMBER}|an?(?!\s{{1,10}}(?:number|few|handful|couple|series|lot|total|dozen)\b))"
      rf"(?:\s{{0,10}}(?:to|-|\u2013|or)\s{{0,10}}(?P<n2>{NUMBER}))?")
_PERSON = (r"(?:service ?members?|servicemembers?|soldiers?|troops?|personnel|contractors?|civilians?|sailors?|"
           r"marines?|airm[ae]n|people|persons?|americans?|fighters?|militants?|members?|guards?|commanders?|"
           r"individuals?|children|women|men|staff)")
_NOT_MODIFIER = r"(?!(?:and|or|but|that|which|who|were|was|injured|wounded|killed|in|at|on|by)\b)"
_WHO = rf"(?P<who>(?:{_NOT_MODIFIER}[\w.'\u2019-]{{1,40}}\s{{1,10}}){{0,3}}?{_PERSON})"
_BE = r"(?:(?:were|was|have been|had been|are|is|being|reportedly|also|all|slightly|lightly|seriously|critically|severely)\s{1,10}){0,6}"
_INJURY = r"(?:injuries|injury|wounds|concussions|traumatic brain injur(?:y|ies)|tbi)"
#: A quotation mark around quoted wording ('suffered "minor injuries"').
_QUOTE = r"[\"'\u201c\u201d\u2018\u2019]?"

_KILLED = tuple(re.compile(p) for p in (
    rf"\b(?:killed|killing|kills)\s{{1,10}}{_Q}{_N}(?:\s{{1,10}}{_WHO})?\b",
    rf"\b(?:deaths?|killing) of\s{{1,10}}{_Q}{_N}(?:\s{{1,10}}{_WHO})?\b",
    rf"\b{_Q}{_N}\s{{1,10}}{_WHO}\s{{1,10}}{_BE}(?:killed|dead|died)\b",
    rf"\b{_Q}{_N}\s{{1,10}}(?:(?:were|people)\s{{1,10}})?(?:killed|dead)\b",
    rf"\bdeath toll\s{{1,10}}(?:\w{{1,40}}\s{{1,10}}){{0,3}}?(?:of|to|at|reached|rose to|stood at)\s{{1,10}}{_Q}{_N}",
    rf"\bleft\s{{1,10}}{_Q}{_N}\s{{1,10}}(?:\w{{1,40}}\s{{1,10}}){{0,2}}?dead\b",
))
_INJURED = tuple(re.compile(p) for p in (
    rf"\b(?:injuring|wounding|injured|wounded|injures|wounds)\s{{1,10}}{_Q}{_N}(?:\s{{1,10}}{_WHO})?\b",
    rf"\b{_Q}{_N}\s{{1,10}}{_WHO}\s{{1,10}}{_BE}(?:injured|wounded|hurt)\b",
    rf"\b{_Q}{_N}\s{{1,10}}{_WHO}\s{{1,10}}(?:\w{{1,40}}\s{{1,10}}){{0,2}}?(?:suffered|sustained|received|had|reported)"
    rf"\s{{1,10}}{_QUOTE}(?:[\w-]{{1,40}}\s{{1,10}}){{0,3}}?{_INJURY}\b",
    rf"\b(?:minor |slight |serious )?injuries{_QUOTE}\s{{1,10}}to\s{{1,10}}{_Q}{_N}\b",
    rf"\b{_Q}{_N}\s{{1,10}}(?:(?:were|people)\s{{1,10}})?(?:injured|wounded)\b",
))
_NONE_AT_ALL = re.compile(r"\bno (?:\w{1,40}\s{1,10}){0,2}?casualties\b|\bwithout (?:causing )?(?:any )?casualties\b|"
                          r"\b(?:did not|didn't|does not|do not) (?:cause|result in|lead to) (?:any )?(?:casualties|"
                          r"(?:material or )?human losses)\b|\bno (?:material or )?human losses\b")
_NO_ONE = (r"(?:no one|nobody|no (?:\w{1,40}\s{1,10}){0,2}?(?:personnel|troops|service members|soldiers|americans))"
           r"\s{1,10}(?:was|were)\s{1,10}")
_NONE_KILLED = re.compile(rf"\b{_NO_ONE}killed\b|\bno (?:deaths|fatalities)\b")
_NONE_INJURED = re.compile(rf"\b{_NO_ONE}(?:hurt|injured|wounded)\b|\bno (?:\w{{1,40}}\s{{1,10}})?injuries\b|"
                           r"\bwithout (?:causing )?(?:any )?injuries\b")
#: Injuries stated without a number ("the attack caused minor injuries"): some people were hurt, how many is not said.
_SOME_INJURED = re.compile(rf"\b(?:caused|causing|resulted in|resulting in|left|leaving|suffered|sustained|reported|with)"
                           rf"\s{{1,10}}{_QUOTE}(?:(?:some|several|minor|slight|light|non-life-threatening|serious)\s{{1,10}})?"
                           rf"{_INJURY}\b")
_MINOR = re.compile(r"\b(?:minor|slight|slightly|light|lightly)\b")
#: The patterns above are written in lower case and read :func:`ascii_lower` text: the same matches as
#: case-insensitive patterns on the text as written, about three times faster (a case-insensitive
#: alternative cannot be skipped on its first letter).
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
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
        ``none``, ``unstated`` (people were hurt, the number is not said) or None), ``severity`` ("minor" or None) and ``evidence``
        (the spans the figures were read from).
    """
    text = article[start:end].translate(ASCII_LOWER)  # same length: offsets stay those of the article
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
        if out[f"{what}_wording"] is None and what == "injured":
            some = _SOME_INJURED.search(text)
            if some and not _NONE_INJURED.search(text):
                out["injured_wording"] = "unstated"
                if _MINOR.search(some.group()):
                    out["severity"] = "minor"
                out["evidence"].append(span(article, start + some.start(), start + some.end()))
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
