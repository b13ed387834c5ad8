"""Append reviewed incidents and their seed record to a data folder: atomically, with a backup, never losing a row."""
from __future__ import annotations

import contextlib
import copy
import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.core.data.atomic import atomic_path

from dashboard.core.data.csvfile import CsvRecords, read_csv_records
from dashboard.core.data.dataset import SAVE_JOURNAL, default_paths, load_dataset
from dashboard.core.data.problems import DataValidationError, Problem, errors_only
from dashboard.core.data.columns import INCIDENT_COLUMNS
from dashboard.core.data.seeds import SEED_KEYS, read_seeds
from dashboard.core.data.validate import ID_PATTERN, check_records, split_list

try:  # POSIX only; elsewhere two simultaneous appends are not prevented
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

INCIDENT_NAMES = [c.name for c in INCIDENT_COLUMNS]
_ID = re.compile(r"^INC-(\d+)$")
BACKUP_FOLDER = "backups"


@dataclass
class AppendResult:
    """What :func:`append_incidents` did.

    ``added`` holds the rows written, with their new ``incident_id``;
    ``refused`` the rows left out as duplicates, with ``duplicate_of``;
    ``ids`` maps each row's label (the index of ``rows``) to the incident
    id it now stands for (new, or the existing duplicate).
    """

    added: pd.DataFrame
    refused: pd.DataFrame
    ids: dict[str, list[str]] = field(default_factory=dict)
    incidents_path: Path | None = None
    backup_path: Path | None = None
    seed_path: Path | None = None


def duplicate_key(row: dict) -> tuple:
    """What makes two incidents the same: date, set of sites (countries when none), event type."""
    sites = frozenset(split_list(row.get("site_id") or ""))
    place = ("sites", sites) if sites else ("countries", frozenset(split_list(row.get("country") or "")))
    return (row.get("date") or "", place, row.get("event_type") or "")


def append_incidents(folder: str | Path, rows: pd.DataFrame | list[dict], seed_record: dict) -> AppendResult:
    """Add new incidents to ``incidents.csv`` of ``folder`` and write their seed record.

    Parameters
    ----------
    folder : path
        A data folder (``sites.csv``, ``incidents.csv``, ``official_counts.csv``
        and a seeds folder as :func:`default_paths` finds it).
    rows : pandas.DataFrame or list of dict
        Rows in the layout of ``INCIDENT_COLUMNS``; ``incident_id`` is
        ignored and assigned here (``INC-####`` after the highest existing).
        The index labels (or ``row-1``, ``row-2``, ... for a list) name the
        rows in ``seed_record``.
    seed_record : dict
        The document's seed record (``document_id``, ``publisher``,
        ``published``, ``facts``). A fact's ``supports.incidents`` may list
        row labels; they are replaced by the ids assigned (or, for a refused
        row, by the id of the incident it duplicates). A record with the
        ``document_id`` of an existing one is merged into it (facts appended).

    Returns
    -------
    AppendResult

    Raises
    ------
    DataValidationError
        When a new row or the resulting folder does not pass validation;
        nothing is changed then.

    Notes
    -----
    A row is refused, not written, when an existing incident (or an earlier
    row of the same call) has the same date, the same set of sites (or of
    countries, when it has no site) and the same event type. The existing
    bytes of ``incidents.csv`` are kept as they are and the new lines added
    after them; the previous file is copied to ``backups/`` first. Both files
    are written to a temporary file in the same folder and moved into place
    with ``os.replace``, so a reader sees the old file or the new one, never
    half of one. Afterwards :func:`load_dataset` is run on the folder; if it
    finds an error, both files are put back.
    """
    folder = Path(folder)
    paths = default_paths(folder)
    frame = _as_frame(rows)
    _check_seed(seed_record)
    with locked_folder(folder):
        repair_interrupted_save(folder)
        old_bytes = paths["incidents"].read_bytes()
        existing = read_csv_records(paths["incidents"], ())
        taken = {duplicate_key(values): values["incident_id"] for _, values in existing.records}
        numbers = [int(m.group(1)) for _, v in existing.records if (m := _ID.match(v.get("incident_id", "")))]
        next_number = max(numbers, default=0) + 1
        width = max([4] + [len(v["incident_id"]) - 4 for _, v in existing.records if _ID.match(v.get("incident_id", ""))])

        added, refused, ids = [], [], {}
        for label, row in zip(frame.index, frame.to_dict("records")):
            values = {name: _cell(row.get(name)) for name in INCIDENT_NAMES}
            key = duplicate_key(values)
            if key in taken:
                refused.append({**values, "duplicate_of": taken[key], "label": str(label)})
                ids[str(label)] = [taken[key]]
                continue
            values["incident_id"] = f"INC-{next_number:0{width}d}"
            next_number += 1
            taken[key] = values["incident_id"]
            ids[str(label)] = [values["incident_id"]]
            added.append({**values, "label": str(label)})

        _validate_new_rows(paths, old_bytes, added)
        seed = _resolve_seed(seed_record, ids, {v["incident_id"] for _, v in existing.records})
        seed_path, old_seed = _seed_target(paths["seeds"], seed)

        backup = _backup(folder, old_bytes) if added else None
        _write_journal(folder, backup, seed_path, old_seed)
        try:
            if added:
                _write_atomic(paths["incidents"], old_bytes + _csv_lines(old_bytes, added))
            _write_atomic(seed_path, (json.dumps(seed, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
            problems = [p for p in load_dataset(folder, strict=False).errors if p.file != SAVE_JOURNAL]
            if problems:
                raise DataValidationError(problems)
        except BaseException:  # an error, or the script stopped: put both files back before saying so
            repair_interrupted_save(folder)
            raise
        (folder / SAVE_JOURNAL).unlink()
    columns = INCIDENT_NAMES + ["label"]
    return AppendResult(
        added=pd.DataFrame(added, columns=columns).set_index("label"),
        refused=pd.DataFrame(refused, columns=columns + ["duplicate_of"]).set_index("label"),
        ids=ids, incidents_path=paths["incidents"], backup_path=backup, seed_path=seed_path,
    )


def _write_journal(folder: Path, backup: Path | None, seed_path: Path, old_seed: bytes | None) -> None:
    entry = {"started": dt.datetime.now().isoformat(timespec="seconds"),
             "incidents_backup": str(backup.relative_to(folder)) if backup else None,
             "seed_file": os.path.relpath(seed_path, folder),
             "seed_before": old_seed.decode("utf-8") if old_seed is not None else None}
    _write_atomic(folder / SAVE_JOURNAL, (json.dumps(entry, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


def repair_interrupted_save(folder: str | Path) -> list[str]:
    """Undo a save that was cut short and delete temporary files it left; return what was done.

    A save first writes the journal :data:`~dashboard.core.data.dataset.SAVE_JOURNAL` (where the previous
    ``incidents.csv`` was copied, and the previous bytes of the seed record), then changes the
    files, then deletes the journal. A journal still present means the save
    never finished: ``incidents.csv`` is restored from its backup and the seed
    record to its previous bytes (or removed, if it is new). Call it with
    the folder's lock held (:func:`append_incidents` does).
    """
    folder = Path(folder)
    paths = default_paths(folder)
    done: list[str] = []
    journal = folder / SAVE_JOURNAL
    if journal.exists():
        try:
            entry = json.loads(journal.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            entry = None  # the journal itself was cut short: nothing was changed yet
        if isinstance(entry, dict):
            if entry.get("incidents_backup"):
                before = (folder / entry["incidents_backup"]).read_bytes()
                if paths["incidents"].read_bytes() != before:
                    _write_atomic(paths["incidents"], before)
                    done.append(f"incidents.csv put back from {entry['incidents_backup']}")
            seed_path = folder / entry["seed_file"]
            if entry.get("seed_before") is None:
                if seed_path.exists():
                    seed_path.unlink()
                    done.append(f"{entry['seed_file']} removed (the interrupted save had created it)")
            elif not seed_path.exists() or seed_path.read_bytes() != entry["seed_before"].encode("utf-8"):
                _write_atomic(seed_path, entry["seed_before"].encode("utf-8"))
                done.append(f"{entry['seed_file']} put back as it was")
        journal.unlink()
    for place in {paths["incidents"].parent, paths["seeds"]}:
        for leftover in place.glob(".*.tmp") if place.is_dir() else []:
            leftover.unlink(missing_ok=True)
            done.append(f"temporary file {leftover.name} deleted")
    return done


def _as_frame(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows) if not isinstance(rows, pd.DataFrame) else rows
    if not isinstance(rows, pd.DataFrame):
        frame.index = [f"row-{i + 1}" for i in range(len(frame))]
    missing = [name for name in INCIDENT_NAMES if name not in frame.columns]
    if missing and len(frame):
        raise ValueError(f"`rows` lacks column(s) {missing}; it has {list(frame.columns)}")
    if frame.index.duplicated().any():
        raise ValueError(f"`rows` has repeated index labels {sorted(set(frame.index[frame.index.duplicated()]))}")
    return frame


def _cell(value) -> str:
    """A CSV cell: empty for None/NaN, ``YYYY-MM-DD`` for dates, whole numbers without ``.0``."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value).strip()


def _validate_new_rows(paths: dict, old_bytes: bytes, added: list[dict]) -> None:
    """Check the new rows as the validator will see them (line numbers as they will be in the file)."""
    first_line = old_bytes.count(b"\n") + (0 if old_bytes.endswith(b"\n") or not old_bytes else 1) + 1
    records = CsvRecords(paths["incidents"], INCIDENT_NAMES,
                         [(first_line + i, {k: row[k] for k in INCIDENT_NAMES}) for i, row in enumerate(added)])
    _, problems = check_records(records, INCIDENT_COLUMNS)
    known_sites = {v["site_id"] for _, v in read_csv_records(paths["sites"], ()).records}
    for line, values in records.records:
        for site_id in split_list(values["site_id"]):
            if site_id not in known_sites:
                problems.append(Problem(paths["incidents"].name, line, "site_id", site_id, "a site_id that exists in sites.csv"))
    if errors_only(problems):
        raise DataValidationError(problems)


def _csv_lines(old_bytes: bytes, added: list[dict]) -> bytes:
    terminator = "\r\n" if b"\r\n" in old_bytes else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=terminator)
    for row in added:
        writer.writerow([row[name] for name in INCIDENT_NAMES])
    lead = terminator if old_bytes and not old_bytes.endswith(b"\n") else ""
    return (lead + buffer.getvalue()).encode("utf-8")


def _check_seed(seed: dict) -> None:
    if not isinstance(seed, dict):
        raise TypeError(f"`seed_record` was {type(seed).__name__} but is expected to be a dict")
    missing = [k for k in SEED_KEYS if k not in seed]
    if missing:
        raise ValueError(f"`seed_record` lacks key(s) {missing}; it has {sorted(seed)}")
    if not ID_PATTERN.fullmatch(str(seed["document_id"])):
        raise ValueError(f"`seed_record['document_id']` was {seed['document_id']!r} but is expected to be "
                         "letters, digits, '-', '_' or '.'")


def _resolve_seed(seed: dict, ids: dict[str, list[str]], existing_ids: set[str]) -> dict:
    """The record with row labels replaced by incident ids; an unknown reference is an error."""
    seed = {k: v for k, v in copy.deepcopy(seed).items() if not k.startswith("_")}
    for fact in seed.get("facts", []):
        refs = fact.get("supports", {}).get("incidents", [])
        resolved: list[str] = []
        for ref in refs:
            for incident_id in ids.get(str(ref), [ref]):
                if incident_id not in existing_ids and not any(incident_id in v for v in ids.values()):
                    raise ValueError(f"fact {fact.get('n')} supports {ref!r}, which is neither a row of `rows` "
                                     "nor an existing incident")
                if incident_id not in resolved:
                    resolved.append(incident_id)
        if refs:
            fact["supports"]["incidents"] = resolved
    return seed


def _seed_target(seeds_folder: Path, seed: dict) -> tuple[Path, bytes | None]:
    """Where the record goes: the file already holding this document (merged), else ``<document_id>.json``."""
    records, _ = read_seeds(seeds_folder)
    for record in records:
        if record.get("document_id") == seed["document_id"]:
            path = seeds_folder / record["_file"]
            old = path.read_bytes()
            facts = [f for f in record.get("facts", [])]
            start = max([f.get("n", 0) for f in facts if isinstance(f, dict)], default=0)
            known = [_without_number(f) for f in facts]
            new = [f for f in seed.get("facts", []) if _without_number(f) not in known]  # saved twice: once
            for offset, fact in enumerate(new, start=1):
                facts.append({**fact, "n": start + offset})
            merged = {k: v for k, v in record.items() if not k.startswith("_")}
            merged.update({k: v for k, v in seed.items() if k != "facts" and v is not None and k not in merged})
            merged["facts"] = facts
            seed.clear()
            seed.update(merged)
            return path, old
    path = seeds_folder / f"{seed['document_id']}.json"
    return path, (path.read_bytes() if path.exists() else None)


def _without_number(fact) -> dict:
    return {k: v for k, v in fact.items() if k != "n"} if isinstance(fact, dict) else fact


def _backup(folder: Path, old_bytes: bytes) -> Path:
    backups = folder / BACKUP_FOLDER
    backups.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    path = backups / f"incidents-{stamp}.csv"
    _write_atomic(path, old_bytes)
    return path


def _write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` over ``path`` atomically, keeping the file's permissions."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = os.stat(path).st_mode & 0o777 if path.exists() else 0o644
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
        os.chmod(temporary, mode)


@contextlib.contextmanager
def locked_folder(folder: Path):
    """Hold an exclusive lock, one per data folder, in the temporary directory (no-op without fcntl)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    name = hashlib.sha1(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    with open(Path(tempfile.gettempdir()) / f"dashboard-append-{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
