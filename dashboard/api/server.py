"""How the app's server hands the data URLs the pages' shared data (the only module here that reaches Streamlit)."""
from __future__ import annotations

import logging
import threading

#: Streamlit's logger that warns when its caches are used outside a page run, as the data URLs use them.
CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"


def served_data():
    """The server's data as the pages share it (``dashboard.ui.data.served_data``), imported on the first request:
    Streamlit's caches must be created once its runtime runs, not when the server imports the app."""
    from dashboard.ui.data import served_data as shared

    return shared()


class _OutsidePages(logging.Filter):
    """Drops Streamlit's "missing ScriptRunContext" warning in the threads that answer data URLs (not page runs)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (threading.current_thread().name.startswith("AnyIO worker thread")
                    and "missing ScriptRunContext" in record.getMessage())


def quiet_outside_pages() -> None:
    logger = logging.getLogger(CONTEXT_LOGGER)
    if not any(isinstance(f, _OutsidePages) for f in logger.filters):
        logger.addFilter(_OutsidePages())
