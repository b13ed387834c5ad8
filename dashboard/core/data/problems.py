"""Problems found in a data file, each naming the file, line, column and bad value."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a data file.

    ``line`` is the line number as an editor shows it, the header being line 1;
    for a record that spans several lines (quoted newlines) it is the line the
    record starts on. ``level`` is ``"error"`` (the file must be fixed) or
    ``"warning"`` (kept as printed, worth a look).
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    expected: str
    level: str = "error"

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column:
            parts.append(f"column '{self.column}'")
        if self.value is not None:
            parts.append(f"value {self.value!r}")
        prefix = "warning: " if self.level == "warning" else ""
        return f"{prefix}{', '.join(parts)}: {self.expected}"

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
            "level": self.level,
        }


class DataValidationError(ValueError):
    """Raised when a data file has errors; ``problems`` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = [p for p in problems]
        errors = [p for p in self.problems if p.level == "error"]
        head = f"{len(errors)} problem(s) in the data"
        lines = [head] + [f"  {p}" for p in errors[:50]]
        if len(errors) > 50:
            lines.append(f"  ... and {len(errors) - 50} more")
        super().__init__("\n".join(lines))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    """The problems that are errors, not warnings."""
    return [p for p in problems if p.level == "error"]
