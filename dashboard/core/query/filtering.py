"""Filters as Ibis predicates: what :func:`dashboard.core.view.filters.filter_mask` does, in any SQL engine.

Dates, types and statuses are columns of every table; a country or site filter
is a semi-join on the link tables (an incident naming several passes when any
is chosen).
"""
from __future__ import annotations

import datetime as dt

import ibis

from dashboard.core.data.columns import ATTACK_STATUSES, ATTACK_TYPES
from dashboard.core.query.engine import Source
from dashboard.core.view.filters import Filters


def predicates(source: Source, filters: Filters, table: ibis.Table, dates: bool = True) -> list[ibis.Expr]:
    """The conditions ``filters`` put on ``table`` (one of the source's tables); ``dates=False`` leaves dates open."""
    out = []
    if dates and filters.start:
        out.append(table.date >= filters.start)
    if dates and filters.end:
        out.append(table.date <= filters.end)
    if filters.types:
        out.append(table.event_type.isin(list(filters.types)))
    if filters.statuses:
        out.append(table.confirmation.isin(list(filters.statuses)))
    if filters.countries:
        links = source.incident_countries
        out.append(table.ord.isin(links.filter(links.country.isin(list(filters.countries))).ord))
    if filters.sites:
        links = source.incident_sites
        out.append(table.ord.isin(links.filter(links.site_id.isin(list(filters.sites))).ord))
    return out


def selected(source: Source, filters: Filters, table: str = "incidents", *, dates: bool = True,
             start: dt.date | None = None, end: dt.date | None = None) -> ibis.Table:
    """The rows of ``table`` whose incident passes ``filters`` (and lies in ``start..end`` when given)."""
    base = source.table(table)
    conditions = predicates(source, filters, base, dates=dates)
    if start is not None:
        conditions.append(base.date >= start)
    if end is not None:
        conditions.append(base.date <= end)
    return base.filter(*conditions) if conditions else base


def is_attack(table: ibis.Table) -> ibis.Expr:
    """The one definition of an attack on US / coalition forces (``columns.ATTACK_STATUSES``), as an expression."""
    return table.event_type.isin(list(ATTACK_TYPES)) & table.confirmation.isin(list(ATTACK_STATUSES))
