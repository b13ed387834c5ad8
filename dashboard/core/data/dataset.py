"""Load the three data files and the seed records as one checked dataset."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.core.data.problems import DataValidationError, Problem, errors_only
from dashboard.core.data.columns import COUNT_COLUMNS, FILE_NAMES, INCIDENT_COLUMNS, SITE_COLUMNS
from dashboard.core.data.seeds import check_seed_references, read_seeds
from dashboard.core.data.columnar import read_checked

PROJECT_ROOT = Path(__file__).resolve().parents[3]
BUNDLED_DATA = PROJECT_ROOT / "geodata"
BUNDLED_SEEDS = PROJECT_ROOT / "seeds"
DATA_ENV = "DASHBOARD_DATA"


@dataclass
class Dataset:
    """Sites, incidents and official counts, typed, with every problem found while loading."""

    sites: pd.DataFrame
    incidents: pd.DataFrame
    official_counts: pd.DataFrame
    seeds: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return errors_only(self.problems)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def data_folder() -> Path:
    """The folder to read: ``$DASHBOARD_DATA`` when set, else the bundled ``geodata/``."""
    value = os.environ.get(DATA_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else BUNDLED_DATA


def default_paths(folder: str | Path | None = None) -> dict[str, Path]:
    """Paths of the three files and the seeds folder for a data folder."""
    folder = Path(folder) if folder else data_folder()
    paths = {kind: folder / name for kind, name in FILE_NAMES.items()}
    local_seeds = folder / "seeds"
    paths["seeds"] = local_seeds if local_seeds.is_dir() or folder.resolve() != BUNDLED_DATA else BUNDLED_SEEDS
    return paths


#: Present in a data folder while a save is under way (see :mod:`dashboard.core.data.storage`).
SAVE_JOURNAL = ".save-journal.json"


def load_dataset(
    folder: str | Path | None = None,
    *,
    sites: str | Path | None = None,
    incidents: str | Path | None = None,
    official_counts: str | Path | None = None,
    seeds: str | Path | None = None,
    strict: bool = True,
) -> Dataset:
    """Load and check a dataset.

    Parameters
    ----------
    folder : path, optional
        Folder holding ``sites.csv``, ``incidents.csv`` and
        ``official_counts.csv``; default :func:`data_folder`.
    sites, incidents, official_counts, seeds : path, optional
        Override one file (or the seeds folder).
    strict : bool
        Raise :class:`DataValidationError` listing every error when there is
        any. With ``strict=False`` the dataset is returned with its problems;
        no record is dropped either way (bad values become missing).
    """
    paths = default_paths(folder)
    for kind, override in (("sites", sites), ("incidents", incidents), ("official_counts", official_counts), ("seeds", seeds)):
        if override is not None:
            paths[kind] = Path(override)

    site_frame, problems = read_checked(paths["sites"], SITE_COLUMNS)
    incident_frame, more = read_checked(paths["incidents"], INCIDENT_COLUMNS)
    problems += more
    count_frame, more = read_checked(paths["official_counts"], COUNT_COLUMNS)
    problems += more
    seed_records, more = read_seeds(paths["seeds"])
    problems += more

    problems += _check_sites(site_frame, paths["sites"].name, {(p.line, p.column) for p in problems if p.file == paths["sites"].name})
    problems += _check_incidents(incident_frame, site_frame, paths["incidents"].name)
    problems += _check_counts(count_frame, paths["official_counts"].name)
    known = {
        "incidents": set(incident_frame["incident_id"].dropna()) if seed_records else set(),
        "official_counts": set(count_frame["count_id"].dropna()),
        "sites": set(site_frame["site_id"].dropna()),
    }
    problems += check_seed_references(seed_records, known)
    journal = paths["incidents"].parent / SAVE_JOURNAL
    if journal.exists():
        problems.append(Problem(SAVE_JOURNAL, None, None, None,
                                "no unfinished save: one was cut short and may have left its incidents without their "
                                "seed record; `python -m dashboard repair` puts the files back as they were before it"))

    dataset = Dataset(
        sites=_finish_sites(site_frame),
        incidents=_finish_incidents(incident_frame),
        official_counts=_finish_counts(count_frame),
        seeds=seed_records,
        problems=problems,
        paths=paths,
    )
    if strict and dataset.errors:
        raise DataValidationError(problems)
    return dataset


def _finish_incidents(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("actor", "casualties", "notes", "place"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)


def _finish_counts(frame: pd.DataFrame) -> pd.DataFrame:
    frame["notes"] = frame["notes"].fillna("").astype(str)
    return frame.sort_values(["date_reported", "count_id"], kind="stable").reset_index(drop=True)


def _finish_sites(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ("aliases", "admin1", "site_type", "notes", "coord_precision"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def _check_sites(sites: pd.DataFrame, name: str, already: set) -> list[Problem]:
    """Coordinates come in pairs with a precision; cells already reported as bad are not reported twice."""
    problems = []
    for row in sites.itertuples(index=False):
        if {(row.line, "lat"), (row.line, "lon"), (row.line, "coord_precision")} & already:
            continue
        has_lat, has_lon = not _missing(row.lat), not _missing(row.lon)
        if has_lat != has_lon:
            column = "lon" if has_lat else "lat"
            problems.append(Problem(name, row.line, column, "", "both lat and lon, or neither (a site without a citable coordinate keeps both empty)"))
        if has_lat and has_lon and _missing(row.coord_precision):
            problems.append(Problem(name, row.line, "coord_precision", "", "a precision (exact, approximate or town) for a site with coordinates"))
        if not has_lat and not has_lon and not _missing(row.coord_precision):
            problems.append(Problem(name, row.line, "coord_precision", row.coord_precision, "empty, since the site has no coordinates"))
    return problems


def _check_incidents(incidents: pd.DataFrame, sites: pd.DataFrame, name: str) -> list[Problem]:
    """Named sites exist (and their country is among the incident's); upper figures are not below lower ones.

    Column-wise: one row per (incident, named site), then the figures; problems in file order.
    """
    found: list[tuple[int, int, int, Problem]] = []
    site_country = dict(zip(sites["site_id"], sites["country"]))
    lengths = incidents["site_id"].map(len).to_numpy()
    rows = np.repeat(np.arange(len(incidents)), lengths)
    named = list(chain.from_iterable(incidents["site_id"]))
    lines = incidents["line"].to_numpy()
    countries = incidents["country"].to_numpy()
    for position, (row, site_id) in enumerate(zip(rows.tolist(), named)):
        line = int(lines[row])
        if site_id not in site_country:
            found.append((line, 0, position, Problem(name, line, "site_id", site_id, "a site_id that exists in sites.csv")))
        elif countries[row] and site_country[site_id] not in countries[row]:
            found.append((line, 0, position, Problem(
                name, line, "country", ";".join(countries[row]),
                f"the country of site {site_id} ({site_country[site_id]}) among the incident's countries", "warning")))
    for group, (low, high) in enumerate((("killed", "killed_max"), ("injured", "injured_max")), start=1):
        below = (incidents[high] < incidents[low]).fillna(False).to_numpy(dtype=bool)
        for row in np.flatnonzero(below):
            line = int(lines[row])
            found.append((line, group, 0, Problem(name, line, high, str(incidents[high].iloc[row]),
                                                  f"a figure not below {low} ({incidents[low].iloc[row]})")))
    return [problem for *_, problem in sorted(found, key=lambda item: item[:3])]


def _check_counts(counts: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for row in counts.itertuples(index=False):
        parts = [int(v) for v in (row.iraq, row.syria, row.jordan) if not _missing(v)]
        if not _missing(row.cumulative_total) and len(parts) >= 2 and sum(parts) != row.cumulative_total:
            problems.append(
                Problem(name, row.line, "cumulative_total", str(row.cumulative_total),
                        f"the sum of the country split ({sum(parts)}); kept as printed by the source", "warning")
            )
    return problems
