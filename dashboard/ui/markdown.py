"""Text from outside shown literally in Streamlit Markdown: no formatting, links, images, HTML or directives.

Every text that comes from a URL, an upload, an article or the data files and
reaches ``st.markdown``, an alert (``st.warning``, ``st.error``, ...), a
heading, a caption or a widget or metric label goes through
:func:`escape_markdown` first: those all render Markdown (with GitHub's
autolinks, Streamlit's ``:colour[...]`` and ``:icon:`` directives and ``$``
maths), so "[Data moved](https://...)" would become a live link and
"![p](http://...)" an image the browser fetches. ``st.text``, ``st.code`` and
table cells show text as it is and need nothing.
"""
from __future__ import annotations

import re

_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]<>()#+-.!|$~:@=^&\"'")
_JOINER = "\u2060"  # WORD JOINER: zero width, invisible, not a word character
_SCHEME = re.compile(r"\\:(?=//)")  # "https://", "ftp://": the colon before the two slashes
_WWW = re.compile(r"((?<![^\W_])www)(?=\\\.)", re.IGNORECASE)


def escape_markdown(text) -> str:
    """Backslash every Markdown-special character; keep line breaks as line breaks.

    "[x](https://e.invalid)" comes back as the source of the literal text "[x](https://e.invalid)":
    every bracket, parenthesis, colon and dot is backslashed, so no link or image is made, and an
    invisible word joiner sits before the colon of "://", so no autolink is made either.
    """
    text = "" if text is None else str(text)
    escaped = "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text).replace("\n", "  \n")
    # GitHub's autolinks are found in the text after escapes are undone ("https\\://x" still becomes a link), so
    # an invisible word joiner breaks the patterns they look for: the colon of "://", an e-mail's @, "www."
    escaped = _SCHEME.sub(_JOINER + "\\\\:", escaped).replace("\\@", _JOINER + "\\@")
    return _WWW.sub(lambda m: m.group(1) + _JOINER, escaped)
