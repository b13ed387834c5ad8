"""Who a sentence says reported something ("according to a defense official"), and what kind of source that is.

Kinds: ``US-official`` (the Pentagon, CENTCOM, a US or defense official,
a named US spokesperson), ``local-official`` (Iraqi, Kurdish, Syrian or
Jordanian officials and security sources, the SDF), ``monitor`` (the Syrian
Observatory and similar), ``militia`` (a group's claim) and ``other``.
An unqualified "defense official" counts as a US official: in English
wire copy about attacks on US forces that is who the phrase means. So does
a coalition spokesperson or official: the coalition's command (CJTF-OIR) is
US-led and speaks for the US forces at the bases.
"""
from __future__ import annotations

import re

from dashboard.core.articles.text import span

#: Surnames of US spokespeople and officials who spoke about these attacks.
US_SPEAKERS = ("Ryder", "Singh", "Austin", "Kirby", "Garron", "Miller", "Blinken", "Biden", "Kurilla", "Sullivan")

_NOUN = (r"(?:(?i:officials?|spokesperson|spokesman|spokeswoman|spokespeople|press secretary)|Pentagon|CENTCOM|"
         r"Central Command|Defense Department|Department of Defense|Defence Ministry|White House|State Department|"
         r"[Mm]inistry|[Dd]irectorate|[Aa]uthorities|[Pp]olice|Observatory|security sources?|sources?|monitor|statement)")
_MODIFIER = r"(?:[A-Za-z][\w.'\u2019-]{0,40}\s{1,10}){0,4}?"
_TITLE_NAME = (r"(?:,?\s{1,10}(?:(?:Brig|Maj|Lt|Gen|Col|Capt|Adm|Sgt|Air Force|Army|Navy)\.?\s{1,10}){0,4}"
               r"(?:[A-Z][a-z'\u2019-]{1,40})(?:\s{1,10}[A-Z][a-z'\u2019-]{1,40}){0,2})?")
_SPEAKER = re.compile(rf"(?P<who>\b(?:(?:an?|the|An?|The)\s{{1,10}})?{_MODIFIER}{_NOUN}(?:\s{{1,10}}{_NOUN})?{_TITLE_NAME})")
_NAMED = re.compile(rf"(?P<who>(?:(?:Brig|Maj|Lt|Gen|Col|Capt|Adm)\.\s{{1,10}}){{0,4}}(?:[A-Z][a-z]{{1,40}}\s{{1,10}})?"
                    rf"(?:{'|'.join(US_SPEAKERS)}))\b")
_ACCORDING = re.compile(r"\b[Aa]ccording to\s{1,10}(?P<who>[^,;:()]{3,90}?)"
                        r"(?=\s{0,10}(?:[,;:()]|\.(?=\s{1,10}[A-Z\"\u201c]|\s{0,10}$)|$|\s{1,10}(?:on|in|who|which|that)\s))")
_VERB = (r"(?:said|says|told|stated|confirmed|counted|reported|announced|added|noted|acknowledged|claimed|estimated|"
         r"blamed|assessed|attributed|accused|believed?)")
_VERB_AFTER = re.compile(rf"[\s,]{{0,10}}+(?:\w{{1,40}}\s{{1,10}}+){{0,3}}?{_VERB}\b")
_VERB_BEFORE = re.compile(rf"\b{_VERB}(?:\s{{1,10}}\w{{1,40}})?,?\s{{0,10}}$")
#: How far before a speaker :data:`_VERB_BEFORE` looks for its verb.
_VERB_REACH = 80

_US = re.compile(r"\b(?:Pentagon|Defense Department|Department of Defense|DoD|CENTCOM|Centcom|Central Command|"
                 r"White House|State Department|Treasury|US|American|United States|defen[cs]e officials?|"
                 r"Inherent Resolve|coalition (?:spokesperson|spokesman|spokeswoman|officials?)|" + "|".join(US_SPEAKERS) + r")\b|\bU\.S\.(?!\w)")
_LOCAL = re.compile(r"\b(?:Iraqi|Iraq's|Kurdish|Kurdistan|Syrian Democratic|SDF|Peshmerga|[Cc]ounter-[Tt]errorism|"
                    r"security sources?|local (?:officials?|sources?|authorities)|Jordanian|Syrian (?:state|government|army|officials?)|"
                    r"police|medical sources?)\b")
_MONITOR = re.compile(r"\b(?:Observatory|SOHR|monitor|war monitor)\b", re.IGNORECASE)
_MILITIA = re.compile(r"\b(?:militia|militias|Islamic Resistance|Kataib|Kata'ib|Nujaba|group's|faction)\b", re.IGNORECASE)


def classify_source(who: str) -> str:
    """``US-official``, ``local-official``, ``monitor``, ``militia`` or ``other`` for a speaker's description."""
    if _MONITOR.search(who):
        return "monitor"
    if _LOCAL.search(who):
        return "local-official"
    if _US.search(who):
        return "US-official"
    if _MILITIA.search(who):
        return "militia"
    return "other"


def find_attributions(article: str, start: int, end: int) -> list[dict]:
    """Who ``article[start:end]`` (one sentence) says is speaking.

    Returns
    -------
    list of dict
        Each has ``text``, ``start``, ``end`` (the speaker phrase, so that
        ``article[start:end] == text``), ``who`` (the same phrase, tidied)
        and ``kind`` (see :func:`classify_source`), in the order found.
    """
    sentence = article[start:end]
    found: list[dict] = []
    for match in _ACCORDING.finditer(sentence):
        _add(found, article, start + match.start("who"), start + match.end("who"))
    for pattern in (_SPEAKER, _NAMED):
        for match in pattern.finditer(sentence):
            who_start, who_end = match.span("who")
            if _VERB_AFTER.match(sentence, who_end) or \
                    _VERB_BEFORE.search(sentence, max(0, who_start - _VERB_REACH), who_start):
                _add(found, article, start + who_start, start + who_end)
    return sorted(found, key=lambda f: f["start"])


def _add(found: list[dict], article: str, start: int, end: int) -> None:
    while end > start and article[end - 1] in " ,.":
        end -= 1
    if any(f["start"] < end and start < f["end"] for f in found):
        return
    text = article[start:end]
    who = re.sub(r"^(?:the|The)\s+", "", " ".join(text.split()))
    found.append({**span(article, start, end), "who": who, "kind": classify_source(text)})


_BACK_REFERENCE = re.compile(r"^(?:officials?|spokesperson|spokesman|spokeswoman|spokespeople|statement|a statement)$",
                             re.IGNORECASE)


def attributions_by_sentence(article: str, sentences) -> list[list[dict]]:
    """:func:`find_attributions` of every sentence; "the official" takes the kind of the last speaker named before it."""
    out: list[list[dict]] = []
    last_kind = None
    for sentence in sentences:
        found = find_attributions(article, sentence.start, sentence.end)
        for item in found:
            if item["kind"] == "other" and _BACK_REFERENCE.match(item["who"]) and last_kind:
                item["kind"] = last_kind
                item["rule"] = "refers back to the last speaker named before it"
            elif item["kind"] != "other":
                last_kind = item["kind"]
        out.append(found)
    return out
