"""Which datasets a source holds (the curated incidents, imported ACLED, UCDP GED or GDELT events), and their extent.

The query tables keep no dataset column: an imported event is one whose status
is ``unassessed`` (no curated incident has it), and its ``incident_id`` begins
with its source's prefix (``UCDP-123456``).
"""
from __future__ import annotations

import ibis
import pandas as pd

from dashboard.core.data.columns import UNASSESSED
from dashboard.core.importers.event_columns import ID_PREFIXES
from dashboard.core.query.engine import Source
from dashboard.core.view.describe import CURATED, DataPart

#: The dataset of an imported event whose id has none of the known prefixes.
IMPORTED_FILE = "Imported"


def dataset_of(incidents: ibis.Table) -> ibis.Expr:
    """The dataset of each incident: :data:`CURATED`, a source's name (``ID_PREFIXES``) or :data:`IMPORTED_FILE`."""
    imported = incidents.confirmation == UNASSESSED
    known = [(imported & incidents.incident_id.startswith(prefix), name) for prefix, name in ID_PREFIXES.items()]
    return ibis.cases(*known, else_=ibis.ifelse(imported, IMPORTED_FILE, CURATED))


def data_parts(source: Source) -> tuple[DataPart, ...]:
    """What ``source`` holds, one :class:`DataPart` per dataset (curated first), whatever the filters.

    Parameters
    ----------
    source : Source
        The tables of the data shown (bundled, an upload, or both stacked).

    Returns
    -------
    tuple of DataPart
        Each dataset with the countries its rows name (sorted) and its first
        and last day; empty when the source has no incident. Small and
        hashable, for the app's cache.
    """
    engine = source.engine
    incidents = source.incidents
    tagged = incidents.select("ord", dataset=dataset_of(incidents), date=incidents.date)
    spans = engine.run(tagged.group_by("dataset").aggregate(first=tagged.date.min(), last=tagged.date.max()))
    links = source.incident_countries
    named = links.filter(links.country != "").select("ord", "country")
    pairs = engine.run(named.join(tagged.select("ord", "dataset"), "ord").select("dataset", "country").distinct())
    countries = pairs.groupby("dataset")["country"].agg(lambda values: tuple(sorted(values))).to_dict()
    parts = [DataPart(dataset=row.dataset, countries=countries.get(row.dataset, ()), first=_day(row.first),
                      last=_day(row.last)) for row in spans.itertuples(index=False)]
    return tuple(sorted(parts, key=lambda part: (part.dataset != CURATED, part.dataset)))


def _day(value):
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()
