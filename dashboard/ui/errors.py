"""What a visitor sees when a page fails: a short message and a reference; the server log has the details.

Tracebacks carry server paths and code; the shipped configuration hides them
(``client.showErrorDetails = "none"`` in ``.streamlit/config.toml``). For
development, ``STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=full`` (or ``stacktrace``)
shows the traceback under the message as well.
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import streamlit as st

_LOG = logging.getLogger("dashboard")
_DETAILED = {"full", "stacktrace", "true", "True", True}


def run_guarded(page: Callable[[], None]) -> None:
    """Run ``page``; an error becomes a short message with a reference, logged in full on the server.

    Streamlit's own ``st.stop()`` and ``st.rerun()`` are not errors (they derive from ``BaseException``) and
    pass through.
    """
    try:
        page()
    except Exception as exc:  # noqa: BLE001 - every failure of a page gets the same treatment
        reference = uuid.uuid4().hex[:10]
        _LOG.exception("page failed; reference %s", reference)
        st.error(f"Something went wrong while drawing this page (reference {reference}). Nothing was changed. "
                 "The server's log has the details under that reference; please quote it if you report the problem.")
        if st.get_option("client.showErrorDetails") in _DETAILED:
            st.exception(exc)
