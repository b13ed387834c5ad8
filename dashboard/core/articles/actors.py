"""The list of named armed groups and state actors (``geodata/actors.csv``) and their mentions in text."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from dashboard.core.data.dataset import BUNDLED_DATA
from dashboard.core.data.problems import DataValidationError, errors_only
from dashboard.core.data.columns import Column
from dashboard.core.data.validate import load_checked, split_list
from dashboard.core.articles.text import PhraseMatcher, plain_key, span

ACTORS_FILE = "actors.csv"
ACTOR_KINDS = ("armed group", "state", "coalition")
ACTOR_COLUMNS: tuple[Column, ...] = (
    Column("actor_id", "id", required=True),
    Column("name", "text", required=True),
    Column("aliases", "text"),
    Column("kind", "choice", required=True, choices=ACTOR_KINDS),
    Column("notes", "text"),
    Column("source", "sources", required=True),
)

# Words right after a name that make it the backer of someone else ("Iran-backed militias").
_BACKER_AFTER = re.compile(r"\s{0,10}-\s{0,10}(?:backed|aligned|linked|allied|affiliated|supported|sponsored|funded)\b", re.IGNORECASE)
_BACKER_BEFORE = re.compile(r"\b(?:backed|supported|funded|armed|sponsored|trained) by\s{1,10}(?:the\s{1,10})?$", re.IGNORECASE)


def load_actors(path: str | Path | None = None) -> pd.DataFrame:
    """Read and check the actors file.

    Parameters
    ----------
    path : path, optional
        The CSV file; default ``geodata/actors.csv`` of the project.

    Returns
    -------
    pandas.DataFrame
        Columns ``actor_id``, ``name``, ``aliases``, ``kind``, ``notes``,
        ``source`` (a tuple of sources).

    Raises
    ------
    DataValidationError
        Listing every problem (file, line, column, value) when there is any.
    """
    path = Path(path) if path is not None else BUNDLED_DATA / ACTORS_FILE
    frame, problems = load_checked(path, ACTOR_COLUMNS)
    if errors_only(problems):
        raise DataValidationError(problems)
    frame = frame.drop(columns="line")
    for column in ("aliases", "notes"):
        frame[column] = frame[column].fillna("").astype(str)
    return frame.reset_index(drop=True)


def actor_matcher(actors: pd.DataFrame) -> PhraseMatcher:
    """A matcher for the names and aliases of ``actors`` (case, apostrophes and hyphens ignored)."""
    missing = {"actor_id", "name", "aliases"} - set(actors.columns)
    if missing:
        raise ValueError(f"`actors` lacks column(s) {sorted(missing)}; it has {list(actors.columns)}")
    spellings = [
        (actor_id, spelling)
        for actor_id, name, aliases in zip(actors["actor_id"], actors["name"], actors["aliases"].fillna(""))
        for spelling in [name, *split_list(aliases)]
    ]
    return PhraseMatcher(spellings, plain_key)


def find_actors(article: str, actors: pd.DataFrame, matcher: PhraseMatcher | None = None) -> list[dict]:
    """Every mention of a listed actor in ``article``.

    Parameters
    ----------
    article : str
        The article text.
    actors : pandas.DataFrame
        The table of :func:`load_actors`.
    matcher : PhraseMatcher, optional
        A prebuilt :func:`actor_matcher` of ``actors``.

    Returns
    -------
    list of dict
        Sorted by ``start``; each has ``text``, ``start``, ``end``
        (``article[start:end] == text``), ``actor_id``, ``name``, ``kind``
        and ``role``: ``"backer"`` when the text names the actor as the
        backer of others ("Iran-backed", "backed by the IRGC"), else
        ``"named"``.
    """
    matcher = matcher or actor_matcher(actors)
    by_id = actors.set_index("actor_id")
    found = []
    for match in matcher.find(article):
        actor_id = match.ids[0]
        row = by_id.loc[actor_id]
        backer = _BACKER_AFTER.match(article, match.end) or _BACKER_BEFORE.search(article, max(0, match.start - 40), match.start)
        found.append({**span(article, match.start, match.end), "actor_id": actor_id, "name": row["name"],
                      "kind": row["kind"], "role": "backer" if backer else "named"})
    return found


def folder_actors(folder: str | Path) -> pd.DataFrame:
    """The actors of a data folder: its own ``actors.csv`` when it has one, else the bundled list."""
    path = Path(folder) / ACTORS_FILE
    return load_actors(path if path.exists() else None)
