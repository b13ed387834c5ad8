"""Load the three data files and the seed records as one checked dataset."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.core.data.problems import DataValidationError, Problem, errors_only
from dashboard.core.data.columns import COUNT_COLUMNS, FILE_NAMES, INCIDENT_COLUMNS, SITE_COLUMNS
from dashboard.core.data.seeds import check_seed_references, read_seeds
from dashboard.core.data.validate import load_checked

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

    site_frame, problems = load_checked(paths["sites"], SITE_COLUMNS)
    incident_frame, more = load_checked(paths["incidents"], INCIDENT_COLUMNS)
    problems += more
    count_frame, more = load_checked(paths["official_counts"], COUNT_COLUMNS)
    problems += more
    seed_records, more = read_seeds(paths["seeds"])
    problems += more

    problems += _check_sites(site_frame, paths["sites"].name, {(p.line, p.column) for p in problems if p.file == paths["sites"].name})
    problems += _check_incidents(incident_frame, site_frame, paths["incidents"].name)
    problems += _check_counts(count_frame, paths["official_counts"].name)
    known = {
        "incidents": set(incident_frame["incident_id"].dropna()),
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


def _finish_typed(frame: pd.DataFrame, date_column: str, int_columns: tuple[str, ...]) -> pd.DataFrame:
    frame = frame.copy()
    frame[date_column] = pd.to_datetime(frame[date_column], errors="coerce")
    for column in int_columns:
        frame[column] = pd.array([None if v is None else int(v) for v in frame[column]], dtype="Int64")
    return frame


def _finish_incidents(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _finish_typed(frame, "date", ("killed", "killed_max", "injured", "injured_max"))
    for column in ("site_id", "country", "sources"):
        frame[column] = [v if isinstance(v, tuple) else () for v in frame[column]]
    for column in ("actor", "casualties", "notes", "place"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)


def _finish_counts(frame: pd.DataFrame) -> pd.DataFrame:
    frame = _finish_typed(frame, "date_reported", ("cumulative_total", "iraq", "syria", "jordan"))
    frame["sources"] = [v if isinstance(v, tuple) else () for v in frame["sources"]]
    frame["notes"] = frame["notes"].fillna("").astype(str)
    return frame.sort_values(["date_reported", "count_id"], kind="stable").reset_index(drop=True)


def _finish_sites(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in ("lat", "lon", "coord_uncertainty_km"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce")
    for column in ("aliases", "admin1", "site_type", "notes", "coord_precision"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame


def _check_sites(sites: pd.DataFrame, name: str, already: set) -> list[Problem]:
    """Coordinates come in pairs with a precision; cells already reported as bad are not reported twice."""
    problems = []
    for row in sites.itertuples(index=False):
        if {(row.line, "lat"), (row.line, "lon"), (row.line, "coord_precision")} & already:
            continue
        has_lat, has_lon = row.lat is not None, row.lon is not None
        if has_lat != has_lon:
            column = "lon" if has_lat else "lat"
            problems.append(Problem(name, row.line, column, "", "both lat and lon, or neither (a site without a citable coordinate keeps both empty)"))
        if has_lat and has_lon and row.coord_precision is None:
            problems.append(Problem(name, row.line, "coord_precision", "", "a precision (exact, approximate or town) for a site with coordinates"))
        if not has_lat and not has_lon and row.coord_precision is not None:
            problems.append(Problem(name, row.line, "coord_precision", row.coord_precision, "empty, since the site has no coordinates"))
    return problems


def _check_incidents(incidents: pd.DataFrame, sites: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    site_country = dict(zip(sites["site_id"], sites["country"]))
    for row in incidents.itertuples(index=False):
        for site_id in row.site_id or ():
            if site_id not in site_country:
                problems.append(Problem(name, row.line, "site_id", site_id, "a site_id that exists in sites.csv"))
            elif row.country and site_country[site_id] not in row.country:
                problems.append(
                    Problem(name, row.line, "country", ";".join(row.country),
                            f"the country of site {site_id} ({site_country[site_id]}) among the incident's countries", "warning")
                )
        for low, high in (("killed", "killed_max"), ("injured", "injured_max")):
            lo, hi = getattr(row, low), getattr(row, high)
            if lo is not None and hi is not None and hi < lo:
                problems.append(Problem(name, row.line, high, str(hi), f"a figure not below {low} ({lo})"))
    return problems


def _check_counts(counts: pd.DataFrame, name: str) -> list[Problem]:
    problems = []
    for row in counts.itertuples(index=False):
        parts = [v for v in (row.iraq, row.syria, row.jordan) if v is not None]
        if row.cumulative_total is not None and len(parts) >= 2 and sum(parts) != row.cumulative_total:
            problems.append(
                Problem(name, row.line, "cumulative_total", str(row.cumulative_total),
                        f"the sum of the country split ({sum(parts)}); kept as printed by the source", "warning")
            )
    return problems
