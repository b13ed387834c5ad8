"""CPU-heavy work done for one visitor runs in a worker process, so that it never holds the server's interpreter.

Streamlit serves every session from one Python process; a second of pure-Python
work in one session's script thread (extracting incidents from a pasted article)
slows every other session's page by about as much. The worker pool is shared by
the sessions of a server process (``st.cache_resource``) and holds one process:
requests queue there instead of competing with page loads for the interpreter.
The worker also runs at a lower CPU priority (``nice`` 10): on a small machine
(two cores) a long extraction otherwise takes a whole core from the server and
the browsers it serves, and another visitor's map loads seconds slower.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pandas as pd
import streamlit as st

from dashboard.core.articles.article import extract_article_from_tables

#: How much lower the worker's CPU priority is than the server's (``man 2 nice``; 19 is the lowest).
NICENESS = 10

#: A request still running after this long is abandoned (the extractor takes about a second at most).
TIMEOUT_S = 60


def _lower_priority() -> None:
    """Run in the worker when it starts: give way to the server process under CPU contention."""
    if hasattr(os, "nice"):
        os.nice(NICENESS)


@st.cache_resource(show_spinner=False)
def _pool() -> ProcessPoolExecutor:
    """One worker process per server process (read-only resource: submit to it, never reconfigure it)."""
    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("forkserver"),
                               initializer=_lower_priority)
    pool.submit(int).result()  # start the worker now, not on the first visitor's request
    return pool


def extract_article_in_worker(text: str, published, sites: pd.DataFrame, actors: pd.DataFrame | None, **options) -> dict:
    """:func:`dashboard.core.articles.extract_article` run in the worker process; same arguments and result,
    with the gazetteer given as its sites table."""
    try:
        future = _pool().submit(extract_article_from_tables, text, published, sites, actors, **options)
    except BrokenProcessPool:  # the worker died (killed from outside): start a new one
        _pool.clear()
        future = _pool().submit(extract_article_from_tables, text, published, sites, actors, **options)
    return future.result(timeout=TIMEOUT_S)
