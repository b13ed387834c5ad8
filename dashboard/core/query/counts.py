"""Counts of a selection: headline figures, per period (zero-filled), per value, casualties, the vocabulary.

Each function takes a :class:`~dashboard.core.query.engine.Source` and
:class:`~dashboard.core.view.filters.Filters` and returns a small frame (one
row per period or value) in the layout of the same function of
:mod:`dashboard.core.query.reference`, which the tests hold it to.
"""
from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd
from ibis import _

from dashboard.core.data.columns import EVENT_TYPES, STATUS_LABELS, UNASSESSED
from dashboard.core.places.join import GAZETTEER_SITE
from dashboard.core.query.engine import Source
from dashboard.core.query.filtering import is_attack, selected
from dashboard.core.query.periods import check_period, fill_periods
from dashboard.core.view.filters import Filters
from dashboard.core.view.share import Vocabulary

#: Columns an incident may name several values of; each has a link table.
LIST_COLUMNS = {"country": ("incident_countries", "country", "n_countries"),
                "site_id": ("incident_sites", "site_id", "n_sites")}
GROUP_COLUMNS = ("country", "site_id", "event_type", "confirmation", "date_certainty")
TRUNCATE = {"day": None, "week": "W", "month": "M"}


def headline(source: Source, filters: Filters) -> dict[str, int]:
    """The metrics above every page (see ``reference.headline_figures``)."""
    chosen = selected(source, filters)
    totals = chosen.aggregate(
        incidents=_.count(),
        attacks=is_attack(chosen).cast("int64").sum(),
        strikes=(_.event_type == "us_strike").cast("int64").sum(),
        killed=_.killed.sum(), injured=_.injured.sum(),
        unmapped=(~_.mapped).cast("int64").sum(),
        imported=(_.confirmation == UNASSESSED).cast("int64").sum(),
    )
    row = source.engine.run(totals).iloc[0]
    placed = selected(source, filters, "placements")
    sites_hit = source.engine.scalar(
        placed.filter(placed.place_kind == GAZETTEER_SITE).aggregate(n=_.site_id.nunique()))
    figures = {
        "Incidents": _int(row["incidents"]), "Attacks": _int(row["attacks"]), "US strikes": _int(row["strikes"]),
        "Killed": _int(row["killed"]), "Injured": _int(row["injured"]), "Sites hit": _int(sites_hit),
        "Not mapped": _int(row["unmapped"]),
    }
    if _int(row["imported"]):
        figures["Imported events"] = _int(row["imported"])
    return figures


def span(source: Source, filters: Filters) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """First and last date of the selection (None when it is empty)."""
    chosen = selected(source, filters)
    row = source.engine.run(chosen.aggregate(first=_.date.min(), last=_.date.max())).iloc[0]
    return (None, None) if pd.isna(row["first"]) else (pd.Timestamp(row["first"]), pd.Timestamp(row["last"]))


def _grouped_rows(source: Source, filters: Filters, by: str, start=None, end=None) -> ibis.Table:
    """One row per incident and value of ``by`` (list columns: one per value named, ``""`` when none)."""
    if by not in LIST_COLUMNS:
        chosen = selected(source, filters, start=start, end=end)
        return chosen.select("ord", "date", "killed", "injured", value=chosen[by])
    table, column, count = LIST_COLUMNS[by]
    links = selected(source, filters, table, start=start, end=end)
    none = selected(source, filters, start=start, end=end)
    none = none.filter(none[count] == 0)
    return links.select("ord", "date", value=links[column]).union(
        none.select("ord", "date", value=ibis.literal("", type="string")), distinct=False)


def _period_column(table: ibis.Table, period: str) -> ibis.Expr:
    return table.date if TRUNCATE[period] is None else table.date.truncate(TRUNCATE[period])


def count_by_period(source: Source, filters: Filters, period: str = "week", start=None, end=None,
                    by: str | None = None) -> pd.DataFrame:
    """Incidents per day, week or month, every period of ``start..end`` present; ``by`` splits them."""
    check_period(period)
    columns = ["period"] + ([by] if by else []) + ["count"]
    if start is None or end is None:
        first, last = span(source, filters)
        if first is None:
            return pd.DataFrame(columns=columns)
        start, end = (start if start is not None else first), (end if end is not None else last)
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if start > end:
        raise ValueError(f"`start` ({start.date()}) is after `end` ({end.date()})")
    if by:
        if by not in GROUP_COLUMNS:
            raise ValueError(f"`by` was {by!r} but is expected to be in {list(GROUP_COLUMNS)}")
        rows = _grouped_rows(source, filters, by, start.date(), end.date())
        expr = rows.group_by(period=_period_column(rows, period), value=rows.value).aggregate(count=_.count())
        counts = source.engine.run(expr).rename(columns={"value": by})
    else:
        chosen = selected(source, filters, start=start.date(), end=end.date())
        counts = source.engine.run(chosen.group_by(period=_period_column(chosen, period)).aggregate(count=_.count()))
    return fill_periods(counts, start, end, period, by)[columns]


def count_by(source: Source, filters: Filters, column: str) -> pd.DataFrame:
    """Incidents per value of ``column``, largest first (ties in the values' order); list columns once per value."""
    if column not in GROUP_COLUMNS:
        raise ValueError(f"`column` was {column!r} but is expected to be in {list(GROUP_COLUMNS)}")
    rows = _grouped_rows(source, filters, column)
    counts = source.engine.run(rows.group_by("value").aggregate(count=_.count()))
    counts = counts.rename(columns={"value": column}).sort_values(column, kind="stable")
    counts = counts.sort_values("count", ascending=False, kind="stable").reset_index(drop=True)
    counts["count"] = counts["count"].astype("int64")
    return counts[[column, "count"]]


def count_by_site(source: Source, filters: Filters, sites: pd.DataFrame) -> pd.DataFrame:
    """Incidents per named site with its name and country; ``""`` collects the incidents naming none."""
    counts = count_by(source, filters, "site_id")
    counts = counts.join(sites.set_index("site_id")[["name", "country"]], on="site_id")
    counts["name"] = counts["name"].fillna("(no site named)")
    return counts


def casualties_by_period(source: Source, filters: Filters, period: str = "month", start=None,
                         end=None) -> pd.DataFrame:
    """Killed and injured per period (the stated lower figures, zero when none), zero-filled."""
    base = count_by_period(source, filters, period, start, end)
    if base.empty:
        return base.assign(killed=[], injured=[])
    chosen = selected(source, filters)  # summed over the whole selection, then kept for the periods shown
    sums = source.engine.run(chosen.group_by(period=_period_column(chosen, period)).aggregate(
        killed=_.killed.sum(), injured=_.injured.sum()))
    sums["period"] = pd.to_datetime(sums["period"]).astype("datetime64[ns]")
    out = base.merge(sums, on="period", how="left")
    out[["killed", "injured"]] = out[["killed", "injured"]].fillna(0).astype("int64")
    return out


def attack_days(source: Source, filters: Filters, since, until) -> pd.DataFrame:
    """Attacks per day from ``since`` to ``until`` (dates of ``filters`` ignored): ``date``, ``count``, ``Iraq``, ``Syria``.

    Days without an attack are absent; the officials' comparison needs no more.
    """
    since, until = pd.Timestamp(since).date(), pd.Timestamp(until).date()
    chosen = selected(source, filters, dates=False, start=since, end=until)
    daily = source.engine.run(chosen.filter(is_attack(chosen)).group_by("date").aggregate(count=_.count()))
    links = selected(source, filters, "incident_countries", dates=False, start=since, end=until)
    links = links.filter(is_attack(links), links.country.isin(["Iraq", "Syria"]))
    split = source.engine.run(links.group_by("date", "country").aggregate(count=_.count()))
    daily["date"] = pd.to_datetime(daily["date"]).astype("datetime64[ns]")
    out = daily.set_index("date")
    for country in ("Iraq", "Syria"):
        part = split[split["country"] == country]
        part = part.assign(date=pd.to_datetime(part["date"]).astype("datetime64[ns]")).set_index("date")["count"]
        out[country] = part.reindex(out.index, fill_value=0).astype("int64")
    out["count"] = out["count"].astype("int64")
    return out.sort_index().reset_index()[["date", "count", "Iraq", "Syria"]]


def vocabulary(source: Source, sites: pd.DataFrame, today: dt.date | None = None) -> Vocabulary:
    """What share links and filters may name: the date span, countries, sites, types and statuses present."""
    today = today or dt.date.today()
    incidents = source.incidents
    engine = source.engine
    row = engine.run(incidents.aggregate(first=_.date.min(), last=_.date.max())).iloc[0]
    countries = engine.run(source.incident_countries.select("country").distinct())["country"]
    types = set(engine.run(incidents.select("event_type").distinct())["event_type"])
    statuses = set(engine.run(incidents.select("confirmation").distinct())["confirmation"])
    return Vocabulary(
        first=today if pd.isna(row["first"]) else pd.Timestamp(row["first"]).date(),
        last=today if pd.isna(row["last"]) else pd.Timestamp(row["last"]).date(),
        countries=tuple(sorted(countries)),
        sites=tuple(sites["site_id"]),
        types=tuple(t for t in EVENT_TYPES if t in types),
        statuses=tuple(s for s in STATUS_LABELS if s in statuses or s != UNASSESSED),
    )


def _int(value) -> int:
    return 0 if value is None or pd.isna(value) else int(value)
