"""Column layout and vocabularies of the three data files (sites, incidents, official counts)."""
from __future__ import annotations

from dataclasses import dataclass

#: Earliest date of the campaign the officials' running totals count from.
CAMPAIGN_START = "2023-10-17"

EVENT_TYPES: dict[str, str] = {
    "drone": "Drone",
    "rocket": "Rocket / mortar",
    "missile": "Ballistic missile",
    "mixed": "Rockets and drones",
    "us_strike": "US strike",
    "unknown": "Unknown type",
}
#: One colour per event type, used by the map, the charts and the KML export alike
#: (colour-blind-safe Okabe-Ito colours).
EVENT_COLOURS: dict[str, str] = {
    "drone": "#D55E00",
    "rocket": "#0072B2",
    "missile": "#CC79A7",
    "mixed": "#E69F00",
    "us_strike": "#009E73",
    "unknown": "#7F7F7F",
}
#: Categories of imported events (ACLED, UCDP GED, GDELT). Each importer maps its source's own classification
#: onto them (the table in :mod:`dashboard.core.importers.event_columns` says which source value goes where);
#: a category is shared where the sources mean the same thing. Curated incidents never use them: the
#: incidents file's ``event_type`` stays one of :data:`EVENT_TYPES`. None of them is an attack on US forces.
IMPORTED_EVENT_TYPES: dict[str, str] = {
    "battle": "Battle / armed clash",
    "explosion": "Explosion / remote violence",
    "civilians": "Violence against civilians",
    "state_conflict": "State-based armed conflict",
    "nonstate_conflict": "Non-state armed conflict",
    "riot": "Riot",
    "protest": "Protest",
    "other": "Other event",
}
#: One colour per imported category, apart from the six above and from each other: every pair of the
#: fourteen differs by a CIEDE2000 distance of 21 or more, and of 10 or more in simulated deuteranopia and
#: protanopia (the six Okabe-Ito colours among themselves excepted).
IMPORTED_EVENT_COLOURS: dict[str, str] = {
    "battle": "#4422CC",
    "explosion": "#664400",
    "civilians": "#CC0044",
    "state_conflict": "#664466",
    "nonstate_conflict": "#446644",
    "riot": "#44EE88",
    "protest": "#88CCEE",
    "other": "#EECCCC",
}
#: Every type the app can show, ours then the imported ones: the order of legends, filters and tie-breaks.
ALL_EVENT_TYPES: dict[str, str] = {**EVENT_TYPES, **IMPORTED_EVENT_TYPES}
ALL_EVENT_COLOURS: dict[str, str] = {**EVENT_COLOURS, **IMPORTED_EVENT_COLOURS}
#: Event types that are attacks on US / coalition forces (what officials counted).
ATTACK_TYPES = ("drone", "rocket", "missile", "mixed", "unknown")

CONFIRMATIONS: dict[str, str] = {
    "US-official": "Confirmed by US officials",
    "local-official": "Reported by local officials",
    "claim-only": "Claim only, unconfirmed",
}

#: How strongly each status confirms an event: when two reports of one event disagree, the higher holds.
CONFIRMATION_RANK: dict[str, int] = {"claim-only": 0, "local-official": 1, "US-official": 2}

#: Labels of every status the app can show: the curated ones plus that of imported events,
#: which no dataset assesses (ACLED, UCDP and GDELT do not say whether an official confirmed an event).
STATUS_LABELS: dict[str, str] = {**CONFIRMATIONS, "unassessed": "Not assessed (imported dataset)"}
#: The status of every imported event.
UNASSESSED = "unassessed"
#: The one definition of an attack on US / coalition forces, used by every count and figure: an event of
#: one of ATTACK_TYPES with one of these statuses. Imported events (ACLED, UCDP, GDELT) are left out: their
#: datasets do not say who was attacked, so they cannot be counted against the officials' totals.
ATTACK_STATUSES = tuple(CONFIRMATIONS)


def attack_mask(incidents) -> "pandas.Series":
    """The incidents (rows of a frame with ``event_type`` and ``confirmation``) that are attacks on US forces."""
    mask = incidents["event_type"].isin(ATTACK_TYPES)
    if "confirmation" in incidents:
        mask &= incidents["confirmation"].isin(ATTACK_STATUSES)
    return mask.astype(bool)

COORD_PRECISIONS: dict[str, str] = {
    "exact": "Point of the facility itself",
    "approximate": "Nearby reference point (airport, oil field)",
    "town": "Nearest town used as a stand-in",
}
#: Radius of the ring drawn around a site when its file gives no uncertainty of its own.
DEFAULT_UNCERTAINTY_KM = {"exact": 0.0, "approximate": 5.0, "town": 10.0}

DATE_CERTAINTIES = ("reported", "inferred", "approximate")

COUNT_QUALIFIERS: dict[str, str] = {
    "exact": "",
    "at_least": "at least ",
    "about": "about ",
    "more_than": "more than ",
}

LIST_SEPARATOR = ";"
SOURCE_SEPARATOR = " ; "


@dataclass(frozen=True)
class Column:
    """One column of a data file: its name, kind of value and whether it may be empty."""

    name: str
    kind: str  # text, id, ids, list, date, float, int, choice, lat, lon, sources
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


SITE_COLUMNS: tuple[Column, ...] = (
    Column("site_id", "id", required=True),
    Column("name", "text", required=True),
    Column("aliases", "text"),
    Column("country", "text", required=True),
    Column("admin1", "text"),
    Column("site_type", "text"),
    Column("lat", "lat"),
    Column("lon", "lon"),
    Column("coord_precision", "choice", choices=tuple(COORD_PRECISIONS)),
    Column("coord_uncertainty_km", "float", minimum=0, maximum=500),
    Column("source", "text", required=True),
    Column("notes", "text"),
)

INCIDENT_COLUMNS: tuple[Column, ...] = (
    Column("incident_id", "id", required=True),
    Column("date", "date", required=True),
    Column("date_certainty", "choice", required=True, choices=DATE_CERTAINTIES),
    Column("place", "text", required=True),
    Column("site_id", "ids"),
    Column("country", "list", required=True),
    Column("event_type", "choice", required=True, choices=tuple(EVENT_TYPES)),
    Column("actor", "text"),
    Column("casualties", "text"),
    Column("killed", "int", minimum=0, maximum=100000),
    Column("killed_max", "int", minimum=0, maximum=100000),
    Column("injured", "int", minimum=0, maximum=100000),
    Column("injured_max", "int", minimum=0, maximum=100000),
    Column("confirmation", "choice", required=True, choices=tuple(CONFIRMATIONS)),
    Column("sources", "sources", required=True),
    Column("notes", "text"),
)

COUNT_COLUMNS: tuple[Column, ...] = (
    Column("count_id", "id", required=True),
    Column("date_reported", "date", required=True),
    Column("date_certainty", "choice", required=True, choices=DATE_CERTAINTIES),
    Column("cumulative_total", "int", required=True, minimum=0, maximum=100000),
    Column("iraq", "int", minimum=0, maximum=100000),
    Column("syria", "int", minimum=0, maximum=100000),
    Column("jordan", "int", minimum=0, maximum=100000),
    Column("qualifier", "choice", required=True, choices=tuple(COUNT_QUALIFIERS)),
    Column("reported_by", "text", required=True),
    Column("sources", "sources", required=True),
    Column("notes", "text"),
)

FILE_COLUMNS = {
    "sites": SITE_COLUMNS,
    "incidents": INCIDENT_COLUMNS,
    "official_counts": COUNT_COLUMNS,
}
FILE_NAMES = {
    "sites": "sites.csv",
    "incidents": "incidents.csv",
    "official_counts": "official_counts.csv",
}
