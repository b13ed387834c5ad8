"""Resolve a free-text place name to one site of the gazetteer, or say why it cannot."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from rapidfuzz import fuzz

from dashboard.core.places.names import core_name, has_facility_word, normalise_name
from dashboard.core.data.validate import split_list

#: Lowest fuzzy score (0-100) accepted as a match.
FUZZY_THRESHOLD = 85.0
#: A runner-up site this close to the best score makes the name ambiguous.
AMBIGUITY_MARGIN = 4.0
#: Names shorter than this (once normalised) are never matched fuzzily.
MIN_FUZZY_LENGTH = 4

#: How many answers :meth:`Gazetteer.resolve` remembers before it starts afresh.
_REMEMBERED = 50_000


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name.

    ``status`` is ``"resolved"``, ``"ambiguous"`` or ``"unresolved"``;
    ``method`` says how: ``"name"`` (a spelling in the gazetteer, once
    normalised), ``"core"`` (the same without words such as *base* or
    *garrison*) or ``"fuzzy"``. ``candidates`` lists ``(site_id, score)``
    of the close sites when the name is ambiguous.
    """

    query: str
    status: str
    site_id: str | None = None
    score: float = 0.0
    method: str | None = None
    matched: str | None = None
    candidates: tuple[tuple[str, float], ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return self.status == "resolved"


class Gazetteer:
    """Spellings of every site, indexed for exact and fuzzy look-up.

    Parameters
    ----------
    sites : pandas.DataFrame
        The gazetteer table with at least ``site_id``, ``name`` and
        ``aliases`` (``;``-separated spellings).
    """

    def __init__(self, sites: pd.DataFrame):
        missing = {"site_id", "name", "aliases"} - set(sites.columns)
        if missing:
            raise ValueError(f"`sites` lacks column(s) {sorted(missing)}; it has {list(sites.columns)}")
        self.sites = sites.set_index("site_id", drop=False)
        self._spellings: list[tuple[str, str]] = []  # (site_id, spelling)
        self._resolved: dict[str, Resolution] = {}  # answers already given (a Resolution is immutable)
        self._by_name: dict[str, set[str]] = {}
        self._by_core: dict[str, set[str]] = {}
        for site_id, name, aliases in zip(sites["site_id"], sites["name"], sites["aliases"].fillna("")):
            for spelling in [name, *split_list(aliases)]:
                self._add(site_id, spelling)
        self._fuzzy_names = sorted({(site_id, normalise_name(sp)) for site_id, sp in self._spellings if normalise_name(sp)})
        self._fuzzy_cores = sorted({(site_id, core_name(sp)) for site_id, sp in self._spellings if core_name(sp)})

    def _add(self, site_id: str, spelling: str) -> None:
        self._spellings.append((site_id, spelling))
        key = normalise_name(spelling)
        if key:
            self._by_name.setdefault(key, set()).add(site_id)
        core = core_name(spelling)
        if core:
            self._by_core.setdefault(core, set()).add(site_id)

    @property
    def spelling_count(self) -> int:
        """How many spellings (names and aliases) the gazetteer holds."""
        return len(self._spellings)

    def resolve(self, query: str) -> Resolution:
        """Resolve ``query`` to a site.

        The normalised name is looked up among the normalised spellings; when
        the query names a facility ("... air base", "... garrison"), its core
        name is looked up among the core names; then a fuzzy match on both
        keys is tried. Two sites equally matched make the result ambiguous.
        """
        if not isinstance(query, str) or not query.strip():
            return Resolution(str(query), "unresolved")
        known = self._resolved.get(query)
        if known is None:
            known = self._resolve(query)
            if len(self._resolved) >= _REMEMBERED:
                self._resolved.clear()
            self._resolved[query] = known
        return known

    def _resolve(self, query: str) -> Resolution:
        key = normalise_name(query)
        core = core_name(query)
        hit = self._lookup(query, self._by_name.get(key), "name", key)
        if hit:
            return hit
        if has_facility_word(query) and core:
            hit = self._lookup(query, self._by_core.get(core), "core", core)
            if hit:
                return hit
        if has_facility_word(query) and core:
            return self._fuzzy(query, "", core)
        return self._fuzzy(query, key, "")

    def _lookup(self, query: str, site_ids: set[str] | None, method: str, matched: str) -> Resolution | None:
        if not site_ids:
            return None
        if len(site_ids) == 1:
            return Resolution(query, "resolved", next(iter(site_ids)), 100.0, method, matched)
        return Resolution(query, "ambiguous", None, 100.0, method, matched, tuple((s, 100.0) for s in sorted(site_ids)))

    def _fuzzy(self, query: str, key: str, core: str) -> Resolution:
        """Best fuzzy score per site: the name against names, or the core name against core names."""
        pairs = [(p, keys) for p, keys in ((key, self._fuzzy_names), (core, self._fuzzy_cores))
                 if len(p.replace(" ", "")) >= MIN_FUZZY_LENGTH]
        if not pairs:
            return Resolution(query, "unresolved")
        best: dict[str, tuple[float, str]] = {}
        for probe, keys in pairs:
            for site_id, candidate in keys:
                score = fuzz.ratio(probe, candidate)
                if score > best.get(site_id, (-1.0, ""))[0]:
                    best[site_id] = (score, candidate)
        ranked = sorted(best.items(), key=lambda item: -item[1][0])
        top_id, (top_score, top_key) = ranked[0]
        if top_score < FUZZY_THRESHOLD:
            return Resolution(query, "unresolved", None, round(top_score, 1), "fuzzy", top_key, ((top_id, round(top_score, 1)),))
        close = [(s, round(sc, 1)) for s, (sc, _) in ranked if top_score - sc <= AMBIGUITY_MARGIN]
        if len(close) > 1:
            return Resolution(query, "ambiguous", None, round(top_score, 1), "fuzzy", top_key, tuple(close))
        return Resolution(query, "resolved", top_id, round(top_score, 1), "fuzzy", top_key)

    def site_record(self, site_id: str) -> dict:
        """The gazetteer row of ``site_id`` as a plain dict (missing values as None)."""
        row = self.sites.loc[site_id]
        return {k: (None if pd.isna(v) else v) for k, v in row.items() if not isinstance(v, tuple)}
