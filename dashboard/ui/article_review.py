"""Pieces of the "Add from an article" page: highlighted article text, the write switch, candidates."""
from __future__ import annotations

import datetime as dt
import os

import pandas as pd

from dashboard.core.articles.curation import find_candidates
from dashboard.core.query.engine import Source
from dashboard.core.query.rows import nearby_incidents
from dashboard.core.articles.text import Coverage

from dashboard.ui.markdown import escape_markdown

WRITE_ENV = "DASHBOARD_ALLOW_WRITE"
#: How many days apart a proposed row and an existing incident may be to be shown as possibly the same.
CANDIDATE_WINDOW_DAYS = 7
#: Streamlit Markdown background colours per kind of span, in order of precedence where spans overlap.
SPAN_COLOURS = {"incidents": "red", "sites": "blue", "counts": "orange", "dates": "green", "actors": "violet"}


def writing_enabled() -> bool:
    """Saving to the data folder is off unless the server was started with DASHBOARD_ALLOW_WRITE=1."""
    return os.environ.get(WRITE_ENV, "").strip().lower() in ("1", "true", "yes")


def spans_of(extraction: dict) -> list[tuple[int, int, str]]:
    """Non-overlapping ``(start, end, kind)`` spans to highlight; sites and dates win over longer evidence."""
    chosen: list[tuple[int, int, str]] = []
    covered = Coverage(extraction.get("document", {}).get("characters", 0))
    for kind in ("sites", "dates", "actors", "counts"):
        for item in extraction.get(kind, []):
            span = item.get("match", item) if kind == "counts" else item
            start, end = span.get("start"), span.get("end")
            if start is None or end is None:
                continue
            if covered.claim(start, end):
                chosen.append((start, end, kind))
    return sorted(chosen)


def highlighted_markdown(text: str, extraction: dict) -> str:
    """The article as Markdown with each extracted span on a coloured background."""
    parts, cursor = [], 0
    for start, end, kind in spans_of(extraction):
        parts.append(escape_markdown(text[cursor:start]))
        parts.append(f":{SPAN_COLOURS[kind]}-background[{escape_markdown(text[start:end])}]")
        cursor = end
    parts.append(escape_markdown(text[cursor:]))
    return "".join(parts)


def undated_window(published: str) -> tuple[str, str]:
    """The dates an attack reported without a date may have: the candidate window up to the publication day."""
    day = dt.date.fromisoformat(published)
    return (day - dt.timedelta(days=CANDIDATE_WINDOW_DAYS)).isoformat(), day.isoformat()


def candidates_for(rows: pd.DataFrame, source: Source, extraction: dict) -> dict[str, pd.DataFrame]:
    """Existing incidents that may be the same event as each proposed row (by row label).

    Only the incidents dated within the candidates' window of the proposed rows are read from the query layer.
    """
    records = []
    for (label, row), item in zip(rows.iterrows(), extraction.get("incidents", [])):
        record = row.to_dict()
        record["date_end"] = item.get("date_end")
        if not record.get("date"):  # undated in the text: it happened on or before the publication date
            record["date"], record["date_end"] = undated_window(extraction["document"]["published"])
        records.append((label, record))
    nearby = nearby_incidents(source, [r for _, r in records], CANDIDATE_WINDOW_DAYS)
    return {label: find_candidates(record, nearby, CANDIDATE_WINDOW_DAYS) for label, record in records}
