"""Figures that describe a dataset: sizes, coverage, what is mapped and what is not."""
from __future__ import annotations

from dashboard.core.data.dataset import Dataset
from dashboard.core.places.join import JoinResult, join_incidents
from dashboard.core.data.columns import attack_mask


def summarise_dataset(dataset: Dataset, joined: JoinResult | None = None) -> dict:
    """A plain dict of the dataset's headline figures (JSON-serialisable)."""
    joined = joined or join_incidents(dataset.incidents, dataset.sites)
    incidents, sites = dataset.incidents, dataset.sites
    without = sites[sites["lat"].isna() | sites["lon"].isna()]
    dates = incidents["date"].dropna()
    reasons = joined.unmapped["reason"].value_counts().to_dict() if not joined.unmapped.empty else {}
    return {
        "incidents": int(len(incidents)),
        "attacks": int(attack_mask(incidents).sum()),
        "us_strikes": int((incidents["event_type"] == "us_strike").sum()),
        "first_date": dates.min().date().isoformat() if len(dates) else None,
        "last_date": dates.max().date().isoformat() if len(dates) else None,
        "by_confirmation": {k: int(v) for k, v in incidents["confirmation"].value_counts().items()},
        "by_event_type": {k: int(v) for k, v in incidents["event_type"].value_counts().items()},
        "sites": int(len(sites)),
        "sites_with_coordinates": int(len(sites) - len(without)),
        "sites_without_coordinates": sorted(without["site_id"]),
        "spellings": int(len(sites) + sum(len([a for a in s.split(";") if a.strip()]) for s in sites["aliases"])),
        "mapped": int(joined.placements["incident_id"].nunique()),
        "unmapped": int(len(joined.unmapped)),
        "unmapped_reasons": {str(k): int(v) for k, v in reasons.items()},
        "partly_mapped": int(len(joined.partly_mapped)),
        "official_counts": int(len(dataset.official_counts)),
        "seed_documents": int(len(dataset.seeds)),
        "warnings": len(dataset.warnings),
    }
