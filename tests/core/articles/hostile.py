"""Hostile texts for the extractor: long runs of what its patterns repeat over, built to a given length."""
from __future__ import annotations

import importlib
import pkgutil
import re

import dashboard.core.articles as extract_package

#: (name, unit) pairs: each text is its unit repeated to the length asked for.
UNITS = (
    ("spaces", " "), ("newlines", "\n"), ("tabs and spaces", " \t"), ("upper letters", "A"), ("lower letters", "a"),
    ("capital words", "A "), ("title words", "Aa "), ("U.S.", "U.S. "), ("Oct.", "Oct. "), ("digits", "1"),
    ("thousands", "1,000,"), ("open parentheses", "("), ("close parentheses", ")"), ("bracketed", "(a"),
    ("dots", "."), ("sentences", ". A"), ("hyphens", "-"), ("al-", "al-"), ("Camp", "Camp "),
    ("dates", "Oct 1 "), ("numbers", "1 "), ("according", "according to "), ("killed", "killed "),
    ("no one", "no one was "), ("officials", "the official "), ("apostrophes", "a'"), ("possessives", "Aa's "),
    ("commas", ", "), ("attack at", "the attack at "), ("since", "since "), ("in", "in "),
)


def hostile_texts(length: int):
    """``(name, text)`` for every unit, plus a capital followed by spaces (the dateline's old worst case)."""
    for name, unit in UNITS:
        yield name, (unit * (length // len(unit) + 1))[:length]
    yield "A then spaces", "A" + " " * (length - 2) + "("
    yield "distinct names", distinct_names(length)


def extractor_patterns() -> dict[str, re.Pattern]:
    """Every compiled pattern at the top level of a module of ``dashboard.core.articles`` (also inside tuples)."""
    found: dict[str, re.Pattern] = {}
    for info in pkgutil.iter_modules(extract_package.__path__):
        module = importlib.import_module(f"{extract_package.__name__}.{info.name}")
        for name, value in vars(module).items():
            for label, item in _patterns_in(f"{info.name}.{name}", value):
                found[label] = item
    return found


def _patterns_in(label, value):
    if isinstance(value, re.Pattern):
        yield label, value
    elif isinstance(value, (tuple, list)):
        for index, item in enumerate(value):
            yield from _patterns_in(f"{label}[{index}]", item)


def distinct_names(length: int) -> str:
    """Place-like phrases that are all different ("Camp Qa1 Tall Qb1 Qc1 air base ..."): nothing can be remembered."""
    parts, total, n = [], 0, 0
    while total < length:
        part = f"Camp Q{n:x} Tall Z{n:x} the K{n:x} air base, the base at W{n:x}. "
        parts.append(part)
        total += len(part)
        n += 1
    return "".join(parts)[:length]
