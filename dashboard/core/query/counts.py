"""Counts of a selection: headline figures, per period (zero-filled), per value, casualties, the vocabulary.

Each function takes a :class:`~dashboard.core.query.engine.Source` and
:class:`~dashboard.core.view.filters.Filters` and returns a small frame (one
row per period or value) in the layout of the same function of
:mod:`dashboard.core.query.reference`, which the tests hold it to.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import ibis
import pandas as pd
from ibis import _

from dashboard.core.data.columns import ALL_EVENT_TYPES, STATUS_LABELS, UNASSESSED
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import Query, is_attack
from dashboard.core.query.periods import check_period, fill_periods
from dashboard.core.view.filters import Filters
from dashboard.core.view.share import Vocabulary

#: Columns an incident may name several values of; each has a link table.
LIST_COLUMNS = {"country": ("incident_countries", "country"), "site_id": ("incident_sites", "site_id")}
GROUP_COLUMNS = ("country", "site_id", "event_type", "confirmation", "date_certainty")
TRUNCATE = {"day": None, "week": "W", "month": "M"}


def headline(source: Source, filters: Filters) -> dict[str, int]:
    """The metrics above every page (see ``reference.headline_figures``), in one query."""
    q = Query(source, filters)
    chosen = q.selected()
    totals = chosen.aggregate(
        incidents=_.count(),
        attacks=is_attack(chosen).cast("int64").sum(),
        strikes=(_.event_type == "us_strike").cast("int64").sum(),
        killed=_.killed.sum(), injured=_.injured.sum(),
        unmapped=(~_.mapped).cast("int64").sum(),
        imported=(_.confirmation == UNASSESSED).cast("int64").sum(),
    )
    placed = q.selected("placements")
    sites = placed.filter(placed.place_kind == GAZETTEER_SITE).aggregate(sites_hit=_.site_id.nunique())
    row = q.run(totals.cross_join(sites)).iloc[0]
    figures = {
        "Incidents": _int(row["incidents"]), "Attacks": _int(row["attacks"]), "US strikes": _int(row["strikes"]),
        "Killed": _int(row["killed"]), "Injured": _int(row["injured"]), "Sites hit": _int(row["sites_hit"]),
        "Not mapped": _int(row["unmapped"]),
    }
    if _int(row["imported"]):
        figures["Imported events"] = _int(row["imported"])
    return figures


def span(source: Source, filters: Filters) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last date of the selection (None when it is empty)."""
    q = Query(source, filters)
    row = q.run(q.selected().aggregate(first=_.date.min(), last=_.date.max())).iloc[0]
    return (None, None) if pd.isna(row["first"]) else (pd.Timestamp(row["first"]), pd.Timestamp(row["last"]))


def _grouped_rows(q: Query, by: str, start=None, end=None) -> ibis.Table:
    """One row per incident and value of ``by`` (list columns: one per value named, ``""`` when none)."""
    if by not in LIST_COLUMNS:
        chosen = q.selected(start=start, end=end)
        return chosen.select("ord", "date", value=chosen[by])
    table, column = LIST_COLUMNS[by]
    links = q.selected(table, start=start, end=end)  # an incident naming none has one link row with ""
    return links.select("ord", "date", value=links[column])


def _span(source: Source, filters: Filters, period: str, start, end) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """``start..end`` as timestamps, open ends taken from the selection; None when it is empty."""
    check_period(period)
    if start is None or end is None:
        first, last = span(source, filters)
        if first is None:
            return None
        start, end = (start if start is not None else first), (end if end is not None else last)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start > end:
        raise ValueError(f"`start` ({start.date()}) is after `end` ({end.date()})")
    return start, end


def _period_column(table: ibis.Table, period: str) -> ibis.Expr:
    return table.date if TRUNCATE[period] is None else table.date.truncate(TRUNCATE[period])


def count_by_period(source: Source, filters: Filters, period: str = "week", start=None, end=None,
                    by: str | None = None) -> pd.DataFrame:
    """Incidents per day, week or month, every period of ``start..end`` present; ``by`` splits them."""
    columns = ["period"] + ([by] if by else []) + ["count"]
    bounds = _span(source, filters, period, start, end)
    if bounds is None:
        return pd.DataFrame(columns=columns)
    start, end = bounds
    q = Query(source, filters)
    if by:
        if by not in GROUP_COLUMNS:
            raise ValueError(f"`by` was {by!r} but is expected to be in {list(GROUP_COLUMNS)}")
        rows = _grouped_rows(q, by, start, end)
        expr = rows.group_by(period=_period_column(rows, period), value=rows.value).aggregate(count=_.count())
        counts = q.run(expr).rename(columns={"value": by})
    else:
        chosen = q.selected(start=start, end=end)
        counts = q.run(chosen.group_by(period=_period_column(chosen, period)).aggregate(count=_.count()))
    return fill_periods(counts, start, end, period, by)[columns]


def count_by(source: Source, filters: Filters, column: str) -> pd.DataFrame:
    """Incidents per value of ``column``, largest first (ties in the values' order); list columns once per value."""
    if column not in GROUP_COLUMNS:
        raise ValueError(f"`column` was {column!r} but is expected to be in {list(GROUP_COLUMNS)}")
    q = Query(source, filters)
    rows = _grouped_rows(q, column)
    counts = q.run(rows.group_by("value").aggregate(count=_.count()))
    counts = counts.rename(columns={"value": column}).sort_values(column, kind="stable")
    counts = counts.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
    counts["count"] = counts["count"].astype("int64")
    return counts[[column, "count"]]


def count_by_site(source: Source, filters: Filters, sites: pd.DataFrame) -> pd.DataFrame:
    """Incidents per named site with its name and country; ``""`` collects the incidents naming none.

    The row of ``""`` is named "(no site named)" and its country is ``""``: no value is missing (a chart's JSON
    holds no NaN).
    """
    counts = count_by(source, filters, "site_id")
    counts = counts.join(sites.set_index("site_id")[["name", "country"]], on="site_id")
    return counts.fillna({"name": "(no site named)", "country": ""})


def casualties_by_period(source: Source, filters: Filters, period: str = "month", start=None,
                         end=None) -> pd.DataFrame:
    """Incidents, killed and injured per period (the stated lower figures, zero when none), zero-filled.

    One query: incidents are counted within ``start..end``, figures summed over
    the whole selection (as the reference does), for the periods of ``start..end``.
    """
    bounds = _span(source, filters, period, start, end)
    if bounds is None:
        return pd.DataFrame(columns=["period", "count"]).assign(killed=[], injured=[])
    start, end = bounds
    q = Query(source, filters)
    chosen = q.selected()
    inside = (chosen.date >= q.value("q_start", start)) & (chosen.date <= q.value("q_end", end))
    sums = q.run(chosen.group_by(period=_period_column(chosen, period)).aggregate(
        count=inside.cast("int64").sum(), killed=_.killed.sum(), injured=_.injured.sum()))
    sums = sums.fillna({"count": 0, "killed": 0, "injured": 0})
    return fill_periods(sums, start, end, period, values=("count", "killed", "injured"))


@dataclass(frozen=True)
class MultiCountry:
    """Selected incidents that name more than one country, so they count under each in the figures per country.

    ``incidents`` counts them; ``outside`` counts those naming a country the
    country filter does not choose (0 without a country filter), and
    ``countries`` names those countries, most incidents first (ties by name).
    """

    incidents: int
    outside: int = 0
    countries: tuple[str, ...] = ()

    def note(self) -> str:
        """One sentence saying why the figures per country count these incidents twice; ``""`` when none does."""
        if not self.incidents:
            return ""
        if self.outside:
            names = _and(self.countries)
            if self.outside == 1:
                return f"1 of the selected incidents names more than one country, so it also counts under {names}."
            return (f"{self.outside:,} of the selected incidents name more than one country, "
                    f"so they also count under {names}.")
        if self.incidents == 1:
            return "1 of the selected incidents names more than one country and counts under each of them."
        return (f"{self.incidents:,} of the selected incidents name more than one country "
                "and count under each of them.")


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def count_multi_country(source: Source, filters: Filters) -> MultiCountry:
    """The selected incidents naming more than one country, and the countries outside the filter they name.

    Parameters
    ----------
    source : Source
        The tables to ask.
    filters : Filters
        The view; its ``countries`` (if any) are the countries chosen.

    Returns
    -------
    MultiCountry
        How many selected incidents name two countries or more, how many of
        them name one the filter does not choose, and which.
    """
    q = Query(source, filters)
    links = q.selected("incident_countries")
    links = links.filter(links.country != "")
    per_incident = links.group_by("ord").aggregate(named=links.country.nunique())
    several = per_incident.filter(per_incident.named > 1)
    total = _int(q.scalar(several.count()))
    if not total or not filters.countries:
        return MultiCountry(total)
    outside = links.filter(links.ord.isin(several.ord), ~q.member("p_countries", filters.countries, links.country))
    per_country = outside.group_by("country").aggregate(count=outside.ord.nunique())
    counted = q.run(per_country.cross_join(outside.aggregate(incidents=outside.ord.nunique())))
    if counted.empty:
        return MultiCountry(total)
    counted = counted.sort_values("country", kind="stable").sort_values("count", ascending=False, kind="stable")
    incidents_outside = _int(counted["incidents"].iloc[0])
    return MultiCountry(total, incidents_outside, tuple(counted["country"]))


def attack_days(source: Source, filters: Filters, since, until) -> pd.DataFrame:
    """Attacks per day from ``since`` to ``until`` (dates of ``filters`` ignored): ``date``, ``count``, ``Iraq``, ``Syria``.

    Days without an attack are absent; the officials' comparison needs no more. One query: the attacks
    per day, and beside them those naming Iraq and Syria.
    """
    q = Query(source, filters)
    chosen = q.selected(dates=False, start=since, end=until)
    links = q.selected("incident_countries", dates=False, start=since, end=until)
    links = links.filter(is_attack(links), links.country.isin(["Iraq", "Syria"]))
    rows = chosen.filter(is_attack(chosen)).select("date", country=ibis.literal("", type="string")).union(
        links.select("date", "country"), distinct=False)
    split = q.run(rows.group_by("date").aggregate(
        count=(rows.country == "").cast("int64").sum(), Iraq=(rows.country == "Iraq").cast("int64").sum(),
        Syria=(rows.country == "Syria").cast("int64").sum()))
    split["date"] = pd.to_datetime(split["date"]).astype("datetime64[ns]")
    for column in ("count", "Iraq", "Syria"):
        split[column] = split[column].astype("int64")
    return split.sort_values("date").reset_index(drop=True)[["date", "count", "Iraq", "Syria"]]


def vocabulary(source: Source, sites: pd.DataFrame, today: dt.date | None = None) -> Vocabulary:
    """What share links and filters may name: the date span, countries, sites, types and statuses present."""
    today = today or dt.date.today()
    incidents = source.incidents
    engine = source.engine
    row = engine.run(incidents.aggregate(first=_.date.min(), last=_.date.max())).iloc[0]
    links = source.incident_countries
    countries = engine.run(links.filter(links.country != "").select("country").distinct())["country"]
    types = set(engine.run(incidents.select("event_type").distinct())["event_type"])
    statuses = set(engine.run(incidents.select("confirmation").distinct())["confirmation"])
    return Vocabulary(
        first=today if pd.isna(row["first"]) else pd.Timestamp(row["first"]).date(),
        last=today if pd.isna(row["last"]) else pd.Timestamp(row["last"]).date(),
        countries=tuple(sorted(countries)),
        sites=tuple(sites["site_id"]),
        types=tuple(t for t in ALL_EVENT_TYPES if t in types),
        statuses=tuple(s for s in STATUS_LABELS if s in statuses or s != UNASSESSED),
    )


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)
