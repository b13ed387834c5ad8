"""Run every extractor over one article and gather the results, with the document they came from."""
from __future__ import annotations

import datetime as dt
import hashlib
import re

import pandas as pd

from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.data.validate import ID_PATTERN, is_http_url, parse_iso_date
from dashboard.core.articles.actors import find_actors
from dashboard.core.articles.attribution import attributions_by_sentence
from dashboard.core.articles.running_totals import find_counts
from dashboard.core.articles.date_mentions import find_dates
from dashboard.core.articles.incidents import find_incidents
from dashboard.core.articles.site_mentions import find_sites
from dashboard.core.articles.text import split_sentences

#: Keys of the dict :func:`extract_article` returns, in order.
RESULT_KEYS = ("document", "sites", "dates", "counts", "incidents", "actors", "set_aside")
#: Bumped when a rule changes what is extracted, so that saved results say which rules made them.
EXTRACTOR_VERSION = 3
#: Longest text read as one article, in characters: about 15,000 words, longer than any news report. The
#: extractor's time grows in proportion to the text; this bound keeps one request under about a second.
MAX_ARTICLE_CHARS = 100_000


class ArticleTooLongError(ValueError):
    """The text is longer than :data:`MAX_ARTICLE_CHARS`."""


def check_article_length(characters: int, name: str = "The article") -> None:
    """Raise :class:`ArticleTooLongError` with a message for a person when ``characters`` is over the limit."""
    if characters > MAX_ARTICLE_CHARS:
        raise ArticleTooLongError(
            f"{name} has {characters:,} characters; the extractor reads at most {MAX_ARTICLE_CHARS:,} "
            f"(about 15,000 words) at a time. Give it one article at a time, or split a longer text.")


def extract_article(
    text: str,
    published: dt.date | str,
    gazetteer: Gazetteer,
    actors: pd.DataFrame | None = None,
    source: str | None = None,
    document_id: str | None = None,
    *,
    url: str | None = None,
    title: str | None = None,
) -> dict:
    """Extract sites, dates, running totals, incidents and actors from an article.

    Rule-based and transparent: every item carries ``start``, ``end`` and
    ``text`` (``text == article[start:end]``) or an ``evidence`` span, so a
    reviewer can see why it was extracted. Nothing is guessed: a place that
    matches no site is listed with ``status`` ``unresolved``.

    Parameters
    ----------
    text : str
        Plain article text (paragraphs separated by blank lines).
    published : datetime.date or str
        Publication date (or ``YYYY-MM-DD``); relative dates ("on Sunday",
        "last week") and dates without a year are resolved against it.
    gazetteer : Gazetteer
        The sites to look for.
    actors : pandas.DataFrame, optional
        The actor list of :func:`load_actors`; without it no actor is found.
    source : str, optional
        The publisher's name, or the article's URL.
    document_id : str, optional
        Id of the document (e.g. the wire item code); default
        ``article-`` followed by the first 12 hex digits of the text's SHA-256.
    url, title : str, optional
        The article's http(s) URL and title.

    Returns
    -------
    dict
        JSON-serialisable, with the keys of :data:`RESULT_KEYS`.

    Raises
    ------
    ArticleTooLongError
        When ``text`` is longer than :data:`MAX_ARTICLE_CHARS`.
    """
    if not isinstance(text, str):
        raise TypeError(f"`text` was {type(text).__name__} but is expected to be a str")
    if not isinstance(gazetteer, Gazetteer):
        raise TypeError(f"`gazetteer` was {type(gazetteer).__name__} but is expected to be a Gazetteer")
    check_article_length(len(text))
    published = _check_date(published)
    document = _document(text, published, source, document_id, url, title)

    sentences = split_sentences(text)
    actor_mentions = find_actors(text, actors) if actors is not None else []
    sites = find_sites(text, gazetteer, exclude=[(a["start"], a["end"]) for a in actor_mentions])
    dates = find_dates(text, published)
    speakers = attributions_by_sentence(text, sentences)
    counts = find_counts(text, sentences, dates, speakers, published.isoformat())
    set_aside: list[dict] = []
    incidents = find_incidents(text, sentences, sites, dates, actor_mentions, counts, speakers, set_aside,
                               published.isoformat(), provinces(gazetteer))
    return {"document": document, "sites": sites, "dates": dates, "counts": counts,
            "incidents": incidents, "actors": actor_mentions, "set_aside": set_aside}


def provinces(gazetteer: Gazetteer) -> dict[str, str]:
    """Province name -> country, from the gazetteer's ``admin1`` ("Erbil (Kurdistan Region)" gives "Erbil")."""
    sites = gazetteer.sites
    if "admin1" not in sites.columns:
        return {}
    out = {}
    for admin1, country in zip(sites["admin1"].fillna(""), sites["country"].fillna("")):
        for name in re.split(r"\s*/\s*", re.sub(r"\s*\(.*?\)", "", str(admin1))):
            if name and country and name != country and ";" not in country:
                out[name] = country
    return out


def extract_article_from_tables(text: str, published, sites: pd.DataFrame, actors: pd.DataFrame | None = None,
                                **options) -> dict:
    """:func:`extract_article` with the gazetteer given as its sites table (what a worker process is sent)."""
    return extract_article(text, published, Gazetteer(sites), actors, **options)


def _check_date(published) -> dt.date:
    if isinstance(published, dt.datetime):
        return published.date()
    if isinstance(published, dt.date):
        return published
    if isinstance(published, str) and parse_iso_date(published.strip()):
        return parse_iso_date(published.strip())
    raise ValueError(f"`published` was {published!r} but is expected to be a date or a YYYY-MM-DD string")


def _document(text: str, published: dt.date, source, document_id, url, title) -> dict:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if source and is_http_url(source) and not url:
        url, source = source.strip(), None
    if url is not None and not is_http_url(url):
        raise ValueError(f"`url` was {url!r} but is expected to be one http(s) URL")
    if document_id is not None and not ID_PATTERN.fullmatch(document_id):
        raise ValueError(f"`document_id` was {document_id!r} but is expected to be letters, digits, '-', '_' or '.'")
    return {
        "document_id": document_id or f"article-{digest[:12]}",
        "publisher": source or None,
        "url": url,
        "title": title,
        "published": published.isoformat(),
        "characters": len(text),
        "sha256": digest,
        "extractor_version": EXTRACTOR_VERSION,
    }
