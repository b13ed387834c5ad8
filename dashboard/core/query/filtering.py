"""Filters as Ibis predicates: what :func:`dashboard.core.view.filters.filter_mask` does, in any SQL engine.

Dates, types and statuses are columns of every table; a country or site filter
is a semi-join on the link tables (an incident naming several passes when any
is chosen). A :class:`Query` builds the expressions of one question and keeps
the values they read; the engine decides how a value reaches its SQL (DuckDB:
a session variable, so that each shape of question is compiled once; other
engines: a literal in the SQL, see :meth:`~dashboard.core.query.engine.Engine.bind`).
"""
from __future__ import annotations

import datetime as dt

import ibis
import pandas as pd

from dashboard.core.data.columns import ATTACK_STATUSES, ATTACK_TYPES
from dashboard.core.query.engine import Source
from dashboard.core.view.filters import Filters


class Query:
    """One question about a source under some filters: the expressions it needs and the values they read.

    Every value (a date, a list of countries) is named; asking for one name
    with two different values is a programming error and raises.
    """

    def __init__(self, source: Source, filters: Filters):
        self.source = source
        self.filters = filters
        self.values: dict[str, object] = {}

    def value(self, name: str, value) -> ibis.Expr:
        """The expression reading ``value`` (a date) under ``name``."""
        return self.source.engine.bind(name, self._keep(name, value))

    def member(self, name: str, values, column: ibis.Expr) -> ibis.Expr:
        """Whether ``column`` is one of ``values`` (a list or tuple of strings), kept under ``name``."""
        return self.source.engine.member(name, self._keep(name, values), column)

    def _keep(self, name: str, value):
        if isinstance(value, pd.Timestamp):
            value = value.date()
        elif isinstance(value, list):
            value = tuple(value)
        if self.values.setdefault(name, value) != value:
            raise ValueError(f"variable {name!r} is used with two values: {self.values[name]!r} and {value!r}")
        return value

    def predicates(self, table: ibis.Table, dates: bool = True) -> list[ibis.Expr]:
        """The conditions the filters put on ``table`` (one of the source's); ``dates=False`` leaves dates open."""
        filters, out = self.filters, []
        if dates and filters.start:
            out.append(table.date >= self.value("p_start", filters.start))
        if dates and filters.end:
            out.append(table.date <= self.value("p_end", filters.end))
        if filters.types:
            out.append(self.member("p_types", filters.types, table.event_type))
        if filters.statuses:
            out.append(self.member("p_statuses", filters.statuses, table.confirmation))
        if filters.countries:
            links = self.source.incident_countries
            chosen = links.filter(self.member("p_countries", filters.countries, links.country))
            out.append(table.ord.isin(chosen.ord))
        if filters.sites:
            links = self.source.incident_sites
            chosen = links.filter(self.member("p_sites", filters.sites, links.site_id))
            out.append(table.ord.isin(chosen.ord))
        return out

    def selected(self, table: str = "incidents", *, dates: bool = True, start=None, end=None) -> ibis.Table:
        """The rows of ``table`` whose incident passes the filters (and lies in ``start..end`` when given)."""
        base = self.source.table(table)
        conditions = self.predicates(base, dates=dates)
        if start is not None:
            conditions.append(base.date >= self.value("q_start", _day(start)))
        if end is not None:
            conditions.append(base.date <= self.value("q_end", _day(end)))
        return base.filter(*conditions) if conditions else base

    def run(self, expr: ibis.Expr) -> pd.DataFrame:
        return self.source.engine.run(expr, self.values)

    def scalar(self, expr: ibis.Expr):
        return self.source.engine.scalar(expr, self.values)


def _day(value) -> dt.date:
    return pd.Timestamp(value).date()


def is_attack(table: ibis.Table) -> ibis.Expr:
    """The one definition of an attack on US / coalition forces (``columns.ATTACK_STATUSES``), as an expression."""
    return table.event_type.isin(list(ATTACK_TYPES)) & table.confirmation.isin(list(ATTACK_STATUSES))
