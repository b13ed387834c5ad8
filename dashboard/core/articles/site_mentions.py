"""Find the gazetteer sites an article names, under any spelling, and the place names that match none."""
from __future__ import annotations

import re
from typing import Sequence

from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.places.names import ARTICLES, normalise_name
from dashboard.core.data.validate import split_list
from dashboard.core.articles.text import PhraseMatch, PhraseMatcher, SpanSet, span

# One word of a place name: capitalised, perhaps behind an Arabic article ("al-Jir", "Al Asad").
_NAME_WORD = (
    r"(?:(?:[Aa]l|[Ee]l)[-\s]|(?:[Aa][dnrstz]|[Aa]sh|[Aa]dh|[Aa]th)-)?"
    r"[A-Z0-9][\w'\u2019]{0,40}(?:-[A-Za-z0-9][\w'\u2019]{0,40}){0,4}"
)
_NAME = rf"{_NAME_WORD}(?: {_NAME_WORD}){{0,3}}"
_AFTER = (r"air ?base|air ?field|air ?port|air ?strip|military base|base|garrison|camp|outpost|"
          r"oil ?field|gas ?field|landing zone")
_BEFORE = (r"Mission Support Site|Patrol Base|Landing Zone|Forward Operating Base|MSS|FOB|PB|LZ|Camp|"
           r"Tall|Tal|Tel|Tell|Ain|Ayn|Ein")
_DESCRIBED = r"mission support site|patrol base|landing zone|air ?base|base|garrison|outpost|air ?field|airport"

#: Place-like phrases that go through :meth:`Gazetteer.resolve`; each has a ``name`` and a ``facility`` group.
FACILITY_PHRASES = (
    re.compile(rf"\b(?P<name>{_NAME})\s{{1,10}}(?P<facility>(?i:{_AFTER}))\b"),
    re.compile(rf"\b(?P<facility>{_BEFORE})\s{{1,10}}(?P<name>{_NAME})"),
    re.compile(rf"\b(?P<facility>(?i:{_DESCRIBED}))\s{{1,10}}(?:at|in|called|known as|dubbed|named)\s{{1,10}}(?P<name>{_NAME})"),
)

# Capitalised words that open or close a phrase without naming a place.
_NOT_NAMES = frozenset(
    """the a an this that these those its their his her our another other several both one two three
    us u.s american americans iraqi iraqis syrian jordanian kurdish iranian israeli turkish russian
    coalition allied military army air force forces navy marine marines base bases main key remote
    iraq syria jordan iran israel lebanon kuwait turkey gaza
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    on in at after before since during when while separately meanwhile earlier later also last
    northern southern eastern western northeastern northwestern southeastern southwestern central
    anbar nineveh babil homs deir raqqa idlib aleppo damascus kurdistan mafraq province governorate
    pentagon centcom""".split()
)
#: Normalised names that look like sites but are places of no interest (not reported as unresolved).
NOT_SITES = frozenset({"tell aviv", "camp david"})
#: Forces whose bases are not the dataset's ("a Peshmerga base in Erbil province"): such a phrase names no site.
OTHER_FORCES = frozenset({"peshmerga", "iraqi army", "syrian army", "pmf", "popular mobilization", "sdf", "hashd"})

_US_DOTS = re.compile(r"\bU\.S\.")
_QUOTES = re.compile("[\"\u201c\u201d]")

#: Site names (normalised) that also name something else: a TV channel or newspaper, or a province named
#: after its capital. Such a name is a site only with a site word next to it ("the town of al-Mayadin",
#: "Hasakah city"); beside a media word or "province" it is that other thing; alone it is left for the
#: reviewer (status ``ambiguous``), never resolved by guess.
OTHER_MEANINGS = {
    "mayadeen": "a TV channel (Al Mayadeen)", "mayadin": "a TV channel (Al Mayadeen)",
    "hasakah": "a province (al-Hasakah governorate)", "hasaka": "a province (al-Hasakah governorate)",
    "hasakeh": "a province (al-Hasakah governorate)", "erbil": "a province (Erbil governorate)",
    "arbil": "a province (Erbil governorate)", "irbil": "a province (Erbil governorate)",
}
_SITE_WORD_BEFORE = re.compile(r"\b(?:city|town|village|district|outskirts|base|camp|airport|area)"
                               r"\s{1,10}(?:of|in|at|near)\s{1,10}(?:the\s{1,10})?$|\b(?:city|town)\s{1,10}$", re.IGNORECASE)
_SITE_WORD_AFTER = re.compile(r"\s{1,10}+(?:city|town|district|area|outskirts|air ?base|base|airport|camp)\b",
                              re.IGNORECASE)
_OTHER_WORD_BEFORE = re.compile(r"(?:^|\n)\s{0,10}By\s{1,10}$|\b(?:channel|television|broadcaster|newspaper|outlet|network|told|according to|reported by|"
                                r"cited by|quoted by|province of|governorate of)\s{1,10}(?:the\s{1,10})?$", re.IGNORECASE)
_PROVINCE_AFTER = re.compile(r"(?:\s{1,10}and\s{1,10}[\w'-]{1,20}(?:\s{1,10}[\w'-]{1,20}){0,2})?\s{1,10}"
                             r"(?:provinces?|governorates?|region)\b", re.IGNORECASE)
_OTHER_WORD_AFTER = re.compile(r"(?:'s)?\s{1,10}+(?:TV|television|channel|network|broadcaster|newspaper|daily|news|"
                               r"correspondent|reporter|website|English|Arabic|Net|province|governorate|region|reported|said|says|cited|quoted|"
                               r"aired|broadcast)\b", re.IGNORECASE)


def site_matcher(gazetteer: Gazetteer) -> PhraseMatcher:
    """A matcher for every spelling (name and aliases) of every gazetteer site, folded by ``normalise_name``."""
    sites = gazetteer.sites
    spellings = [
        (site_id, spelling)
        for site_id, name, aliases in zip(sites["site_id"], sites["name"], sites["aliases"].fillna(""))
        for spelling in [name, *split_list(aliases)]
    ]
    return PhraseMatcher(spellings, normalise_name, leading=ARTICLES)


def matching_text(article: str) -> str:
    """``article`` with "U.S." written "US  " and quotation marks as spaces (same length, so offsets stay valid),
    for matching only: 'targeting "a drone staging site" near Kirkuk' names the staging site."""
    return _QUOTES.sub(" ", _US_DOTS.sub("US  ", article))


def find_sites(article: str, gazetteer: Gazetteer, exclude: Sequence[tuple[int, int]] = (),
               matcher: PhraseMatcher | None = None) -> list[dict]:
    """Every mention of a site in ``article``.

    Two passes: (1) every gazetteer spelling, compared word by word after the
    normalisation of :func:`dashboard.core.places.names.normalise_name`; (2)
    capitalised place-like phrases with a facility word ("X air base",
    "Tall X", "Mission Support Site X", "a base at X"), resolved with
    :meth:`Gazetteer.resolve`. A phrase that resolves to nothing, or to two
    sites, is listed with status ``unresolved`` or ``ambiguous`` and no
    ``site_id``: it is never guessed.

    Parameters
    ----------
    article : str
        The article text.
    gazetteer : Gazetteer
        The sites to look for.
    exclude : list of (start, end)
        Spans already known to be something else (actor names); no phrase of
        pass 2 may overlap them.
    matcher : PhraseMatcher, optional
        A prebuilt :func:`site_matcher` of the gazetteer.

    Returns
    -------
    list of dict
        Sorted by ``start``; each has ``text``, ``start``, ``end``
        (``article[start:end] == text``), ``status``, ``site_id``, ``name``,
        ``country``, ``lat``, ``lon``, ``coord_precision``, ``method`` and
        ``score``; unresolved ones also ``candidates``. A name that also
        names a TV channel, a newspaper or a province (:data:`OTHER_MEANINGS`)
        without a site word next to it has status ``other_meaning`` or
        ``ambiguous`` and a ``reason``.
    """
    matcher = matcher or site_matcher(gazetteer)
    shadow = matching_text(article)
    found = SpanSet()
    for match in matcher.find(shadow):
        if len(match.ids) == 1:
            found.add(_resolved(article, gazetteer, match.start, match.end, match.ids[0], "spelling", 100.0))
        else:
            found.add(_ambiguous_spelling(article, match))
    for phrase in _phrases(article, shadow, gazetteer, exclude):
        overlapping = found.overlapping(phrase["start"], phrase["end"])
        if not overlapping:
            found.add(phrase)
        elif phrase["site_id"] and all(f["site_id"] == phrase["site_id"] for f in overlapping):
            start = min(phrase["start"], overlapping[0]["start"])
            end = max(phrase["end"], overlapping[-1]["end"])
            found.remove(overlapping)
            found.add({**overlapping[0], **span(article, start, end)})
    return [_other_meaning(article, mention) for mention in found.items]


def _other_meaning(article: str, mention: dict) -> dict:
    """A mention whose name also names a TV channel, a newspaper or a province (:data:`OTHER_MEANINGS`) stays
    resolved only with a site word next to it; beside a media or province word its status is ``other_meaning``
    (not a place of the dataset), else ``ambiguous`` for the reviewer."""
    if mention["status"] != "resolved":
        return mention
    start, end = mention["start"], mention["end"]
    before, after = article[max(0, start - 40):start], article[end:end + 40]
    candidate = [{"site_id": mention["site_id"], "score": mention["score"]}]
    blank = {"site_id": None, "name": None, "country": None, "lat": None, "lon": None, "coord_precision": None,
             "candidates": candidate}
    whole, last = normalise_name(mention["text"]), normalise_name(mention["text"].split()[-1])
    meaning = OTHER_MEANINGS.get(whole) or OTHER_MEANINGS.get(last)
    if meaning is None:
        return mention
    blank["meaning"] = meaning
    if meaning.startswith("a province") and _PROVINCE_AFTER.match(after):
        if whole in OTHER_MEANINGS:
            return {**mention, **blank, "status": "other_meaning", "reason": f"read as {meaning}, not a site"}
        return {**mention, **blank, "status": "unresolved",  # "a base in Hasakah province": somewhere in the province
                "reason": f"names a place in {meaning}, not a site of the gazetteer"}
    if whole not in OTHER_MEANINGS:  # the mention holds its own site word ("Hasakah city", "base in Hasakah")
        return mention
    if _SITE_WORD_BEFORE.search(before) or _SITE_WORD_AFTER.match(after):
        return mention
    if _OTHER_WORD_BEFORE.search(before) or _OTHER_WORD_AFTER.match(after):
        return {**mention, **blank, "status": "other_meaning",
                "reason": f"read as {meaning}, not a site: a media or province word is next to it"}
    return {**mention, **blank, "status": "ambiguous",
            "reason": f"also the name of {meaning}; no site word next to it, so not resolved"}


def _phrases(article: str, shadow: str, gazetteer: Gazetteer, exclude: Sequence[tuple[int, int]]) -> list[dict]:
    """Resolve every facility phrase; the longest phrase wins where two overlap."""
    results = SpanSet()
    excluded = SpanSet(_merged(exclude))
    for pattern in FACILITY_PHRASES:
        for match in pattern.finditer(shadow):
            phrase = _resolve_phrase(article, match, gazetteer)
            if phrase is None or excluded.overlapping(phrase["start"], phrase["end"]):
                continue
            clash = results.overlapping(phrase["start"], phrase["end"])
            if all((phrase["end"] - phrase["start"]) > (r["end"] - r["start"]) and (phrase["site_id"] or not r["site_id"])
                   for r in clash):
                results.remove(clash)
                results.add(phrase)
    return results.items


def _merged(spans: Sequence[tuple[int, int]]) -> list[dict]:
    """The union of ``spans`` as spans that do not overlap, in order."""
    merged: list[dict] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1]["end"]:
            merged[-1]["end"] = max(merged[-1]["end"], end)
        else:
            merged.append({"start": start, "end": end})
    return merged


def _resolve_phrase(article: str, match: re.Match, gazetteer: Gazetteer) -> dict | None:
    words = [(m.start() + match.start("name"), m.end() + match.start("name"), m.group())
             for m in re.finditer(r"\S+", match.group("name"))]
    while words and _word_key(words[-1][2]) in _NOT_NAMES:
        words.pop()
    while words and _word_key(words[0][2]) in _NOT_NAMES:
        words.pop(0)
    if not words or len(re.sub(r"\W", "", " ".join(w[2] for w in words))) < 2:
        return None  # "a base in E. Syria": an abbreviation, not a name
    facility = match.group("facility")
    facility_first = match.start("facility") < match.start("name")
    best = None
    for first in range(len(words)):  # "Syrian Conoco base": try the whole name, then drop words from the left
        name = " ".join(w[2] for w in words[first:])
        query = f"{facility} {name}" if facility_first else f"{name} {facility}"
        if normalise_name(name) in NOT_SITES or normalise_name(query) in NOT_SITES or normalise_name(name) in OTHER_FORCES:
            return None
        result = gazetteer.resolve(query)
        if result.ok:
            start = match.start() if facility_first else words[first][0]
            end = words[-1][1] if facility_first else match.end()
            return _resolved(article, gazetteer, start, end, result.site_id, f"phrase:{result.method}", result.score)
        best = best or result
    start = match.start() if facility_first else words[0][0]
    end = words[-1][1] if facility_first else match.end()
    return {**span(article, start, end), "status": best.status, "site_id": None, "name": None, "country": None,
            "lat": None, "lon": None, "coord_precision": None, "method": "phrase", "score": best.score,
            "candidates": [{"site_id": s, "score": sc} for s, sc in best.candidates]}


def _resolved(article: str, gazetteer: Gazetteer, start: int, end: int, site_id: str, method: str, score: float) -> dict:
    site = gazetteer.site_record(site_id)
    return {
        **span(article, start, end), "status": "resolved", "site_id": site_id, "name": site.get("name"),
        "country": site.get("country"), "lat": _number(site.get("lat")), "lon": _number(site.get("lon")),
        "coord_precision": site.get("coord_precision") or None, "method": method, "score": float(score),
    }


def _ambiguous_spelling(article: str, match: PhraseMatch) -> dict:
    return {**span(article, match.start, match.end), "status": "ambiguous", "site_id": None, "name": None,
            "country": None, "lat": None, "lon": None, "coord_precision": None, "method": "spelling",
            "score": 100.0, "candidates": [{"site_id": s, "score": 100.0} for s in match.ids]}


def _number(value) -> float | None:
    try:
        return None if value is None or value != value else float(value)
    except (TypeError, ValueError):
        return None


def _word_key(word: str) -> str:
    return re.sub(r"['\u2019]s$|[^\w.]", "", word).lower().rstrip(".")
