"""The import report: rejected rows with their line and reason, duplicate ids, and a short summary.

The report is a plain, JSON-ready dict (:func:`build_report`); its keys are
listed in :data:`REPORT_KEYS`. Accounting always holds:
``rows_imported + rows_rejected == rows_read``, where ``rows_read`` counts the
file's data records (not the header, not an HDX hashtag row, not empty lines).
A rejected row may have more than one entry in ``rejections`` (one per
problem); ``rejections_by_kind`` counts entries, ``rows_rejected`` rows.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from dashboard.core.data.problems import Problem

#: Rejections listed one by one; beyond this only their counts by kind are kept.
MAX_LISTED = 10_000
#: Duplicate ids listed with their lines; beyond this only counted.
MAX_DUPLICATES_LISTED = 100

REPORT_KEYS = (
    "file", "format", "source_dataset", "layout", "layout_flags", "encoding", "encoding_note", "bytes",
    "rows_read", "rows_imported", "rows_rejected", "rejections", "rejections_listed", "rejections_by_kind",
    "duplicate_ids", "ignored_columns", "missing_columns", "date_formats", "date_order", "reader",
    "linked_to_sites", "located_by_name", "without_coordinates", "radius_km", "sites_used", "timing_s",
    "notice",
)

NOTICES = {
    "ACLED": "ACLED data: keep the imported rows private (ACLED's terms forbid redistributing them) and "
             "credit ACLED (acleddata.com) wherever they are shown.",
    "UCDP GED": "UCDP Georeferenced Event Dataset, Uppsala Conflict Data Program (ucdp.uu.se); cite the release used.",
    "GDELT 1.0": "GDELT Project (gdeltproject.org); machine-coded from news, one event may appear many times.",
    "GDELT 2.0": "GDELT Project (gdeltproject.org); machine-coded from news, one event may appear many times.",
}


@dataclass(frozen=True)
class Rejection:
    """One problem in one record: its file line, column, value and what was expected."""

    line: int
    column: str | None
    value: str
    reason: str
    kind: str

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "value": self.value, "reason": self.reason,
                "kind": self.kind}

    def as_problem(self, file: str) -> Problem:
        """The same as a :class:`dashboard.core.data.problems.Problem`."""
        return Problem(file, self.line, self.column, self.value, self.reason)


class Rejections:
    """Collects rejections: the first ``limit`` in full, all of them counted by kind."""

    def __init__(self, limit: int = MAX_LISTED):
        if limit < 0:
            raise ValueError(f"`limit` was {limit} but must be 0 or more")
        self.limit = limit
        self.listed: list[Rejection] = []
        self.by_kind: Counter = Counter()

    def add(self, line: int, column: str | None, value: str, reason: str, kind: str) -> None:
        self.by_kind[kind] += 1
        if len(self.listed) < self.limit:
            self.listed.append(Rejection(line, column, value, reason, kind))

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())

    def sorted(self) -> list[Rejection]:
        """Listed rejections by line (chunks and end-of-file checks add them out of order)."""
        return sorted(self.listed, key=lambda r: (r.line, r.column or ""))


def duplicate_ids(ids: pd.Series, lines: pd.Series, limit: int = MAX_DUPLICATES_LISTED) -> dict:
    """Ids that occur on more than one imported row, with the lines they occur on."""
    repeated = ids.duplicated(keep=False).to_numpy()
    if not repeated.any():
        return {"ids": 0, "rows": 0, "examples": []}
    frame = pd.DataFrame({"id": ids[repeated].to_numpy(), "line": lines[repeated].to_numpy()})
    groups = frame.groupby("id", sort=False)["line"]
    examples = [{"id": key, "lines": [int(v) for v in values]}
                for key, values in list(groups)[:limit] for values in [values.sort_values()]]
    return {"ids": int(groups.ngroups), "rows": int(repeated.sum()), "examples": examples}


def build_report(**items) -> dict:
    """The report dict, keys in :data:`REPORT_KEYS` order; unknown keys are refused."""
    unknown = set(items) - set(REPORT_KEYS)
    if unknown:
        raise ValueError(f"report keys {sorted(unknown)} are not among REPORT_KEYS")
    report = {key: items.get(key) for key in REPORT_KEYS}
    if report["rows_imported"] + report["rows_rejected"] != report["rows_read"]:
        raise RuntimeError(f"row accounting broken: {report['rows_imported']} imported + {report['rows_rejected']} "
                           f"rejected != {report['rows_read']} read")
    return report


def format_summary(report: dict) -> str:
    """A few lines for a terminal: format, rows read/imported/rejected, links to sites, top reasons."""
    lines = [
        f"format:    {report['source_dataset']} - {report['layout']}",
        f"rows:      {report['rows_read']:,} read, {report['rows_imported']:,} imported, "
        f"{report['rows_rejected']:,} rejected",
        f"sites:     {report['linked_to_sites']:,} linked within {report['radius_km']:g} km"
        + (f", {report['located_by_name']:,} placed by name" if report["located_by_name"] else "")
        + (f"; {report['without_coordinates']:,} without coordinates" if report["without_coordinates"] else ""),
    ]
    if report["duplicate_ids"]["ids"]:
        dup = report["duplicate_ids"]
        lines.append(f"ids:       {dup['ids']:,} ids repeat on {dup['rows']:,} rows (kept)")
    if report["encoding_note"]:
        lines.append(f"encoding:  {report['encoding']} ({report['encoding_note']})")
    for kind, count in Counter(report["rejections_by_kind"]).most_common(5):
        first = next((r for r in report["rejections"] if r["kind"] == kind), None)
        example = f", e.g. line {first['line']}: {first['reason']}" if first else ""
        lines.append(f"  {count:>8,}  {kind}{example}")
    lines.append(f"time:      {report['timing_s']['total']:.1f} s")
    return "\n".join(lines)

