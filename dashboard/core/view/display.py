"""Incidents as a table for people: one row each, labels for codes, lists joined, the first source as a link."""
from __future__ import annotations

import pandas as pd

from dashboard.core.data.columns import ALL_EVENT_TYPES, COUNT_QUALIFIERS, STATUS_LABELS
from dashboard.core.data.validate import is_http_url


def incident_rows(incidents: pd.DataFrame, site_names: dict[str, str]) -> pd.DataFrame:
    """The incidents as a display table: one row each, lists joined, the first http(s) source as a link."""
    return pd.DataFrame({
        "date": incidents["date"].dt.date,
        "id": incidents["incident_id"],
        "type": incidents["event_type"].map(lambda t: ALL_EVENT_TYPES.get(t, t)),
        "place as reported": incidents["place"],
        "sites": incidents["site_id"].map(lambda ids: "; ".join(site_names.get(s, s) for s in ids)),
        "country": incidents["country"].map("; ".join),
        "killed": incidents["killed"],
        "injured": incidents["injured"],
        "casualties as reported": incidents["casualties"],
        "status": incidents["confirmation"].map(lambda c: STATUS_LABELS.get(c, c)),
        "actor": incidents["actor"],
        "first source": incidents["sources"].map(lambda s: next((u for u in s if is_http_url(u)), None)),
        "all sources": incidents["sources"].map(" ; ".join),
        "notes": incidents["notes"],
    })


def official_rows(counts: pd.DataFrame) -> pd.DataFrame:
    """The officials' running totals as a display table, the first http(s) source as a link."""
    return pd.DataFrame({
        "date reported": counts["date_reported"].dt.date,
        "total": counts["cumulative_total"],
        "wording": counts["qualifier"].map(lambda q: (COUNT_QUALIFIERS.get(q, q) or "exactly").strip()),
        "Iraq": counts["iraq"], "Syria": counts["syria"],
        "reported by": counts["reported_by"],
        "date": counts["date_certainty"],
        "first source": counts["sources"].map(lambda s: next((u for u in s if is_http_url(u)), None)),
        "all sources": counts["sources"].map(" ; ".join),
        "notes": counts["notes"],
    })


def sites_without_coordinates(sites: pd.DataFrame) -> pd.DataFrame:
    """Gazetteer sites with no citable coordinate (their incidents are listed, never drawn)."""
    return sites.loc[sites["lat"].isna(), ["site_id", "name", "country", "site_type", "source", "notes"]]


def loosely_placed_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """Gazetteer sites placed at a nearby reference point or town (the map rings their uncertainty)."""
    loose = sites["coord_precision"].isin(["approximate", "town"])
    return sites.loc[loose, ["site_id", "name", "coord_precision", "coord_uncertainty_km", "notes"]]
