"""Read a news article and find the sites, dates, running totals, incidents and actors it reports.

Rule-based (patterns, the gazetteer, word lists); every result carries the
span of text it was read from. Entry point: :func:`extract_article`.
"""
from dashboard.core.articles.actors import ACTOR_COLUMNS, ACTOR_KINDS, find_actors, load_actors
from dashboard.core.articles.article import (EXTRACTOR_VERSION, MAX_ARTICLE_CHARS, RESULT_KEYS, ArticleTooLongError, check_article_length,
                      extract_article)
from dashboard.core.articles.date_mentions import find_dates
from dashboard.core.articles.site_mentions import find_sites

__all__ = [
    "ACTOR_COLUMNS", "ACTOR_KINDS", "EXTRACTOR_VERSION", "MAX_ARTICLE_CHARS", "RESULT_KEYS", "ArticleTooLongError",
    "check_article_length", "extract_article", "find_actors", "find_dates", "find_sites", "load_actors",
]
