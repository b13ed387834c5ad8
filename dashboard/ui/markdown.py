"""Text from the data shown literally in Streamlit Markdown: no formatting, links or HTML."""
from __future__ import annotations

_MARKDOWN_SPECIAL = "\\`*_{}[]<>()#+-.!|$~:"


def escape_markdown(text: str) -> str:
    """Backslash every Markdown-special character; keep line breaks as line breaks."""
    return "".join("\\" + char if char in _MARKDOWN_SPECIAL else char for char in text).replace("\n", "  \n")
