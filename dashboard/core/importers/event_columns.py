"""The one table every importer produces: columns, vocabularies and how source codes map onto them.

Imported event columns
----------------------
==========================  =========  ================================================================
column                      type       meaning
==========================  =========  ================================================================
incident_id                 str        source prefix + source id: ``ACLED-IRQ12345``, ``UCDP-123456``,
                                       ``GDELT-1234567890``. Stable across re-imports of the same
                                       event; not unique when the file repeats an id (ACLED monadic
                                       exports): duplicates are kept and listed in the report.
date                        str        ISO ``YYYY-MM-DD``: ACLED ``event_date``, UCDP ``date_start``,
                                       GDELT ``SQLDATE``.
date_precision              str        ``day``, ``week``, ``month``, ``year`` or ``range`` (see below);
                                       empty when the source code is missing or unknown.
date_end                    str        ISO date; UCDP ``date_end``; for ACLED and GDELT, which give one
                                       date, the same as ``date``.
lat, lon                    float      WGS84 degrees; NaN when the row has none and its place name did
                                       not resolve to a gazetteer site.
location_precision          str        our scale: ``exact``, ``town``, ``approximate``, ``region`` (see
                                       below), or the site's ``coord_precision`` when the coordinates
                                       come from the gazetteer; empty without coordinates.
source_location_precision   str        the source's own code, ``geo_precision=2``, ``where_prec=4``,
                                       ``ActionGeo_Type=4``; ``gazetteer:<site_id>`` when the row had
                                       no coordinates and its place name was resolved.
country, admin1, admin2     str        as the source writes them (GDELT: taken from the place's full
                                       name, ``City, Province, Country``; no admin2).
place                       str        ACLED ``location``, UCDP ``where_coordinates``, GDELT
                                       ``ActionGeo_FullName``.
event_type                  str        one of our codes (``dashboard.core.data.columns.ALL_EVENT_TYPES``), see
                                       the table below.
source_event_type           str        the source's classification, kept: ``Explosions/Remote
                                       violence: Air/drone strike``, ``type_of_violence 1 (state-based
                                       conflict)``, ``CAMEO 190 (Fight)``.
actor1, actor2              str        ACLED ``actor1``/``actor2``; UCDP ``side_a``/``side_b``; GDELT
                                       ``Actor1Name``/``Actor2Name``.
actor1_type, actor2_type    str        ACLED ``inter1``/``inter2`` as words, whether the file writes
                                       codes (``1``) or words (``State forces``); empty elsewhere.
killed                      Int64      ACLED ``fatalities``; UCDP ``best``; GDELT none.
killed_low, killed_high     Int64      UCDP ``low`` and ``high`` (not always ``low <= best <= high``).
source_dataset              str        ``ACLED``, ``UCDP GED``, ``GDELT 1.0`` or ``GDELT 2.0``.
source_id                   str        the id as the source writes it.
sources                     str        ACLED ``source``; UCDP ``source_article``; GDELT ``SOURCEURL``;
                                       items separated by ``" ; "`` as in the incidents file (UCDP's
                                       quotes around each item removed).
notes                       str        ACLED ``notes``; UCDP conflict and dyad names (and
                                       ``where_description``); GDELT QuadClass, Goldstein scale,
                                       article count and tone.
site_id                     str        the nearest gazetteer site within the radius, else empty.
site_distance_km            float      great-circle distance to that site, two decimals, else NaN;
                                       0.0 when the row was placed on the site by its name.
source_line                 Int64      line of the source file where the record starts (the header,
                                       when there is one, is line 1; GDELT files have none).
==========================  =========  ================================================================

``confirmation`` (the hand-curated incidents' column) is left out on purpose:
none of these datasets says whether an official confirmed an event, and
inventing a value would mislead the dashboard's confirmation filter.

Event types
-----------
Each source's own classification is mapped onto our codes: the six of the
curated incidents where the source names the weapon
(``dashboard.core.data.columns.EVENT_TYPES``; only ACLED and GDELT do, and
neither says who was targeted, so ``us_strike`` and ``mixed`` are never
produced), else one of the imported categories
(``dashboard.core.data.columns.IMPORTED_EVENT_TYPES``), shared where the
sources mean the same thing. UCDP's three types of violence classify by who
fought whom, not by what happened (a bombing of an army post is
"state-based"), so its two kinds of armed conflict keep categories of their
own; its one-sided violence is what ACLED calls violence against civilians.
A value the table does not know gives ``unknown``, as does a missing one.

======================================================  ======================  ===================================
source value                                            event_type              why
======================================================  ======================  ===================================
ACLED sub-event ``Air/drone strike``                    ``drone``               ACLED does not split air from drone
ACLED sub-event ``Shelling/artillery/missile attack``   ``rocket``              most are rocket, mortar or artillery
  … whose notes say ``ballistic missile``               ``missile``             the only missile type we track
ACLED ``Battles`` (any sub-event); pre-2019             ``battle``
  ``Battle-No change of territory`` and every other
  ``Battle-…`` type
ACLED ``Explosions/Remote violence`` other than the     ``explosion``           pre-2019 files have no sub-event, so
  two above (IED/landmine, grenade, suicide bomb,                               their air strikes and shelling land
  chemical weapon); pre-2019 ``Remote violence``                                here too
ACLED ``Violence against civilians``                    ``civilians``
ACLED ``Protests``; pre-2019 ``Riots/Protests``         ``protest``             the old type did not split them
ACLED ``Riots``                                         ``riot``
ACLED ``Strategic developments``; pre-2019 ``Strategic  ``other``               not violence
  development``, ``Headquarters or base established``,
  ``Non-violent transfer of territory``
UCDP ``type_of_violence`` 1 (state-based conflict)      ``state_conflict``      a state's government is a party
UCDP ``type_of_violence`` 2 (non-state conflict)        ``nonstate_conflict``   organised groups, no state
UCDP ``type_of_violence`` 3 (one-sided violence)        ``civilians``           an organised actor against civilians
GDELT CAMEO ``195``, ``1951``, ``1952`` (aerial         ``drone``               same rule as ACLED's air/drone
  weapons, precision-guided or remotely piloted)
GDELT CAMEO ``194`` (artillery and tanks)               ``rocket``
GDELT CAMEO ``145``, ``1451``-``1454`` (protest         ``riot``
  violently, riot)
GDELT CAMEO ``183``, ``1831``-``1834`` (suicide, car,   ``explosion``
  roadside or other non-military bombing)
GDELT CAMEO root ``14`` (Protest), the rest of it       ``protest``
GDELT CAMEO root ``18`` (Assault: abduction, torture,   ``civilians``           GDELT's "unconventional violence";
  assassination, …), the rest of it                                             it does not say who was hit
GDELT CAMEO root ``19`` (Fight), the rest of it         ``battle``
GDELT CAMEO root ``20`` (unconventional mass violence:  ``civilians``
  mass killings, expulsion, ethnic cleansing, WMD)
GDELT CAMEO roots ``01``-``13``, ``15``-``17``          ``other``               statements, appeals, threats, …
======================================================  ======================  ===================================

Precision
---------
Dates: ACLED ``time_precision`` 1 day, 2 week, 3 month. UCDP ``date_prec``
1 day, 2 range (2-6 days), 3 week, 4 month, 5 year. GDELT: day.

Locations (``location_precision``): ``town`` the town or village where it
happened (ACLED ``geo_precision`` 1, UCDP ``where_prec`` 1, GDELT city
matches, types 3 and 4); ``approximate`` near a named place (ACLED 2, UCDP 2,
up to about 25 km); ``region`` the centroid of a district, province, country
or sea (ACLED 3, UCDP 3-7, GDELT types 1, 2 and 5). ``exact`` (the point of
the event itself) is never produced from these sources: UCDP's code 1, "exact
location", in practice puts a Baghdad event on Baghdad's coordinates, so it
is no more precise than ACLED's town level; a gazetteer site's own
``exact`` is kept when an event is placed by name.
"""
from __future__ import annotations

import pandas as pd

EVENT_COLUMNS: tuple[str, ...] = (
    "incident_id", "date", "date_precision", "date_end", "lat", "lon", "location_precision",
    "source_location_precision", "country", "admin1", "admin2", "place", "event_type", "source_event_type",
    "actor1", "actor1_type", "actor2", "actor2_type", "killed", "killed_low", "killed_high", "source_dataset",
    "source_id", "sources", "notes", "site_id", "site_distance_km", "source_line",
)
FLOAT_COLUMNS = ("lat", "lon", "site_distance_km")
INT_COLUMNS = ("killed", "killed_low", "killed_high", "source_line")
TEXT_COLUMNS = tuple(c for c in EVENT_COLUMNS if c not in FLOAT_COLUMNS + INT_COLUMNS)

DATE_PRECISIONS = ("day", "week", "month", "year", "range")
LOCATION_PRECISIONS = ("exact", "town", "approximate", "region")
SOURCE_DATASETS = ("ACLED", "UCDP GED", "GDELT 1.0", "GDELT 2.0")
#: The prefix of each source's ``incident_id`` and the name of its dataset family (GDELT's two versions share one).
ID_PREFIXES = {"ACLED-": "ACLED", "UCDP-": "UCDP GED", "GDELT-": "GDELT"}

ACLED_TIME_PRECISION = {"1": "day", "2": "week", "3": "month"}
UCDP_DATE_PREC = {"1": "day", "2": "range", "3": "week", "4": "month", "5": "year"}
ACLED_GEO_PRECISION = {"1": "town", "2": "approximate", "3": "region"}
UCDP_WHERE_PREC = {"1": "town", "2": "approximate", "3": "region", "4": "region", "5": "region", "6": "region",
                   "7": "region"}
GDELT_GEO_TYPE = {"1": "region", "2": "region", "3": "town", "4": "town", "5": "region"}

#: ACLED ``inter1``/``inter2`` codes of the numeric era, as the words of the text era.
ACLED_ACTOR_TYPES = {
    "1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
    "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces", "0": "",
}
#: ACLED ``sub_event_type`` values (lower case) that name the weapon: they win over the event type.
ACLED_SUB_EVENT_TYPES = {
    "air/drone strike": "drone",
    "shelling/artillery/missile attack": "rocket",
}
#: ACLED ``event_type`` values (lower case), current and pre-2019, as our codes; the pre-2019 battle types
#: (``Battle-No change of territory``, ``Battle-Non-state actors overtake territory``, ...) are matched by
#: their :data:`ACLED_BATTLE_PREFIX`.
ACLED_EVENT_TYPES = {
    "battles": "battle",
    "explosions/remote violence": "explosion",
    "remote violence": "explosion",
    "violence against civilians": "civilians",
    "protests": "protest",
    "riots/protests": "protest",
    "riots": "riot",
    "strategic developments": "other",
    "strategic development": "other",
    "headquarters or base established": "other",
    "non-violent transfer of territory": "other",
}
ACLED_BATTLE_PREFIX = "battle-"
#: GDELT CAMEO base codes (the first three digits of ``EventCode``) mapped on their own, before the root.
GDELT_CAMEO_TYPES = {"195": "drone", "194": "rocket", "145": "riot", "183": "explosion"}
#: GDELT CAMEO root codes (``EventRootCode``, two digits) as our codes.
GDELT_ROOT_TYPES = {**{f"{root:02d}": "other" for root in range(1, 21)},
                    "14": "protest", "18": "civilians", "19": "battle", "20": "civilians"}
UCDP_VIOLENCE_TYPES = {"1": "state-based conflict", "2": "non-state conflict", "3": "one-sided violence"}
#: UCDP ``type_of_violence`` codes as our codes.
UCDP_VIOLENCE_CATEGORIES = {"1": "state_conflict", "2": "nonstate_conflict", "3": "civilians"}
CAMEO_ROOTS = {
    "01": "Make public statement", "02": "Appeal", "03": "Express intent to cooperate", "04": "Consult",
    "05": "Engage in diplomatic cooperation", "06": "Engage in material cooperation", "07": "Provide aid",
    "08": "Yield", "09": "Investigate", "10": "Demand", "11": "Disapprove", "12": "Reject", "13": "Threaten",
    "14": "Protest", "15": "Exhibit force posture", "16": "Reduce relations", "17": "Coerce", "18": "Assault",
    "19": "Fight", "20": "Use unconventional mass violence",
}


def empty_events() -> pd.DataFrame:
    """An events table with no rows and every column in its type."""
    return finish_types(pd.DataFrame({c: pd.Series([], dtype=object) for c in EVENT_COLUMNS}))


def finish_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Put the columns of ``frame`` in schema order and types (text ``str``, floats, ``Int64``)."""
    missing = [c for c in EVENT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"`frame` lacks event column(s) {missing}")
    out = frame.loc[:, list(EVENT_COLUMNS)].copy()
    for column in TEXT_COLUMNS:
        out[column] = out[column].fillna("").astype("str")
    for column in FLOAT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    for column in INT_COLUMNS:
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("Int64")
    return out.reset_index(drop=True)
