"""The files of a batch reading: which articles to read (a folder, or a list), reading them, and the review files.

Every article named is either read or listed as a failure with its reason: none is skipped silently.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from dashboard.core.articles.article import MAX_ARTICLE_CHARS, ArticleTooLongError, extract_article
from dashboard.core.data.atomic import atomic_path
from dashboard.core.data.columns import SOURCE_SEPARATOR
from dashboard.core.data.exports import neutralise_cell
from dashboard.core.data.validate import ID_PATTERN, parse_iso_date
from dashboard.core.places.gazetteer import Gazetteer

#: Columns of ``review.csv``, in order.
REVIEW_COLUMNS = ("proposal", "kind", "incident_id", "date", "date_certainty", "place", "site_id", "country",
                  "event_type", "actor", "killed", "killed_max", "injured", "injured_max", "confirmation", "sources",
                  "new_sources", "new_casualties", "articles", "evidence", "review_notes")
#: Columns a ``--list`` CSV must have; ``url`` may be added.
LIST_COLUMNS = ("path", "published", "source")
ARTICLE_SUFFIX = ".txt"
_DATED_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class ArticleJob:
    """One article to read: its file, publication date and, when known, its publisher or URL."""

    path: Path
    published: dt.date
    source: str | None = None
    url: str | None = None

    @property
    def name(self) -> str:
        return self.path.name


def failure(path: str | Path, reason: str) -> dict:
    """A failure record: the article's file name, its path and why it was not read."""
    return {"article": Path(path).name, "path": str(path), "reason": reason}


def date_from_filename(name: str) -> dt.date:
    """The date a file name starts with (``2023-11-20_shafaq-erbil.txt``); ValueError naming the file otherwise."""
    found = _DATED_NAME.match(name)
    if not found:
        raise ValueError(f"{name!r} does not start with a publication date written YYYY-MM-DD "
                         "(e.g. 2023-11-20_shafaq-erbil.txt); rename it, or give its date in a --list CSV")
    date = parse_iso_date(found.group(1))
    if date is None:
        raise ValueError(f"{name!r} starts with {found.group(1)!r}, which is not a date that exists")
    return date


def jobs_from_folder(folder: str | Path) -> tuple[list[ArticleJob], list[dict], list[str]]:
    """The folder's ``.txt`` files dated by their names, in name order.

    Returns the jobs, the failures (a file whose name gives no date) and the names of the other files and
    folders in it, which are not articles (reported, not read).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"`folder` was {str(folder)!r} but is expected to be a folder of articles")
    jobs, failures, ignored = [], [], []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_file() or path.suffix.lower() != ARTICLE_SUFFIX:
            ignored.append(path.name)
            continue
        try:
            jobs.append(ArticleJob(path, date_from_filename(path.name)))
        except ValueError as exc:
            failures.append(failure(path, str(exc)))
    return jobs, failures, ignored


def jobs_from_list(list_file: str | Path) -> tuple[list[ArticleJob], list[dict]]:
    """The articles of a CSV with columns ``path, published, source`` (and optionally ``url``).

    Relative paths are read from the list's folder. A row with a bad date or URL, or a path listed twice,
    is a failure; a list without the columns raises ValueError.
    """
    list_file = Path(list_file)
    with open(list_file, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in LIST_COLUMNS if c not in columns]
        if missing:
            raise ValueError(f"{list_file.name} has columns {columns} but is expected to have {list(LIST_COLUMNS)} "
                             "(and optionally url)")
        rows = [{(k or "").strip(): (v or "").strip() for k, v in row.items()} for row in reader]
    jobs, failures, seen = [], [], {}
    for line, row in enumerate(rows, start=2):
        path = Path(row["path"]).expanduser()
        path = path if path.is_absolute() else list_file.parent / path
        where = f"{list_file.name} line {line}"
        published = parse_iso_date(row["published"])
        if not row["path"]:
            failures.append(failure(where, f"{where}: `path` is empty"))
        elif published is None:
            failures.append(failure(path, f"{where}: `published` was {row['published']!r} but is expected to be a "
                                          "date written YYYY-MM-DD"))
        elif path.resolve() in seen:
            failures.append(failure(path, f"{where}: listed already on line {seen[path.resolve()]}"))
        else:
            seen[path.resolve()] = line
            jobs.append(ArticleJob(path, published, row["source"] or None, row.get("url") or None))
    return jobs, failures


def read_text(path: Path) -> str:
    """The article's UTF-8 text (a byte-order mark dropped); refused past :data:`MAX_ARTICLE_CHARS`."""
    with open(path, encoding="utf-8-sig") as handle:
        text = handle.read(MAX_ARTICLE_CHARS + 1)
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleTooLongError(f"it holds more than {MAX_ARTICLE_CHARS:,} characters, the most the extractor "
                                  "reads at a time (about 15,000 words)")
    return text


def extract_articles(jobs: Iterable[ArticleJob], gazetteer: Gazetteer, actors: pd.DataFrame | None,
                     done: Callable[[ArticleJob], None] | None = None) -> tuple[list[dict], list[dict]]:
    """Read and extract each article; returns the readings (``article``, ``path``, ``extraction``) and the failures.

    An unreadable file, a text that is not UTF-8 or too long, or a bad URL is a failure of that article
    only. ``done(job)`` is called after each article (a progress bar).
    """
    readings, failures, ids = [], [], set()
    for job in jobs:
        try:
            text = read_text(job.path)
            extraction = extract_article(text, job.published, gazetteer, actors, source=job.source,
                                         document_id=_document_id(job.path, ids), url=job.url)
        except UnicodeDecodeError as exc:
            failures.append(failure(job.path, f"{job.name} is not UTF-8 text (byte {exc.object[exc.start]:#04x} "
                                              f"at position {exc.start:,}); save it as UTF-8 plain text"))
        except (OSError, ValueError) as exc:  # ArticleTooLongError is a ValueError
            failures.append(failure(job.path, f"{job.name} cannot be read: {exc}"))
        else:
            readings.append({"article": job.name, "path": str(job.path), "extraction": extraction})
        if done is not None:
            done(job)
    return readings, failures


def _document_id(path: Path, taken: set[str]) -> str:
    """The file name without its suffix, as a document id (letters, digits, '-', '_', '.'), unique in the batch."""
    stem = re.sub(r"[^A-Za-z0-9_.\-]+", "-", path.stem).strip("-_.") or "article"
    stem = stem if ID_PATTERN.fullmatch(stem) else f"article-{stem}"
    name, n = stem, 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}"
    taken.add(name)
    return name


def review_rows(proposals: list[dict]) -> pd.DataFrame:
    """The proposals as the rows of ``review.csv`` (all cells strings; columns :data:`REVIEW_COLUMNS`)."""
    rows = []
    for proposal in proposals:
        row = {key: proposal.get(key, "") for key in REVIEW_COLUMNS}
        row["sources"] = SOURCE_SEPARATOR.join(proposal["sources"])
        row["new_sources"] = SOURCE_SEPARATOR.join(proposal.get("new_sources", []))
        row["new_casualties"] = "; ".join(f"{k} {v}" for k, v in proposal.get("new_casualties", {}).items()
                                          if v is not None)
        row["articles"] = "; ".join(proposal["articles"])
        row["evidence"] = " | ".join(dict.fromkeys(span["text"] for span in proposal["evidence"]))
        row["review_notes"] = " | ".join(proposal["review_notes"])
        rows.append({key: "" if value is None else str(value) for key, value in row.items()})
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS), dtype=object)


def review_payload(proposals: list[dict], readings: list[dict], failures: list[dict], ignored: Iterable[str] = (),
                   data: str | Path | None = None) -> dict:
    """``review.json``'s content: the summary, the proposals with their evidence spans, each article's
    document record, the running totals found (per article, with their ``flags``), failures and ignored files."""
    kinds = [p["kind"] for p in proposals]
    return {
        "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "data": None if data is None else str(data),
        "summary": {"articles_read": len(readings), "failed": len(failures), "new": kinds.count("new"),
                    "additions": kinds.count("addition"), "known": kinds.count("known")},
        "proposals": proposals,
        "documents": [{"article": r["article"], "path": r["path"], **r["extraction"]["document"]} for r in readings],
        "running_totals": [{"article": r["article"], "counts": r["extraction"]["counts"]}
                           for r in readings if r["extraction"]["counts"]],
        "failures": failures,
        "ignored": list(ignored),
    }


def review_csv(rows: pd.DataFrame) -> str:
    """``review.csv``'s text: every cell a spreadsheet would run as a formula neutralised (``'`` first)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as the exports: a cell holding \r is quoted too
    writer.writerow(rows.columns)
    for row in rows.itertuples(index=False):
        writer.writerow([neutralise_cell(str(cell)) for cell in row])
    return out.getvalue()


def write_review(folder: str | Path, rows: pd.DataFrame, payload: dict) -> tuple[Path, Path]:
    """Write ``review.csv`` and ``review.json`` into ``folder`` (made if needed), each atomically, in UTF-8.

    The CSV starts with a byte-order mark, as the project's exports do, so that Excel reads Arabic place
    names; ``pandas.read_csv`` and LibreOffice read it as such.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (("review.csv", "\ufeff" + review_csv(rows)),
                       ("review.json", json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n")):
        with atomic_path(folder / name) as temporary:
            temporary.write_text(text, encoding="utf-8", newline="")
        written.append(folder / name)
    return written[0], written[1]
