"""Records of the source documents in ``seeds/``: reading them and checking what they cite."""
from __future__ import annotations

import json
from pathlib import Path

from dashboard.core.data.problems import Problem
from dashboard.core.data.validate import ID_PATTERN, ISO_DATE

#: Keys every seed record must have.
SEED_KEYS = ("document_id", "publisher", "published", "facts")
#: What a fact's ``supports`` may name, and the id column each refers to.
SUPPORT_KINDS = {"incidents": "incident_id", "official_counts": "count_id", "sites": "site_id"}
#: Largest seed record read (a record of one document is a few kilobytes).
MAX_SEED_BYTES = 5 << 20


def read_seeds(folder: str | Path) -> tuple[list[dict], list[Problem]]:
    """Read every ``*.json`` record in ``folder`` (sorted by name); a missing folder is no record."""
    folder = Path(folder)
    records: list[dict] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return records, problems
    for path in sorted(folder.glob("*.json")):
        if path.stat().st_size > MAX_SEED_BYTES:
            problems.append(Problem(path.name, None, None, f"{path.stat().st_size:,} bytes",
                                    f"a seed record of at most {MAX_SEED_BYTES:,} bytes"))
            continue
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            problems.append(Problem(path.name, line, None, None, f"not valid UTF-8 JSON: {exc}"))
            continue
        except RecursionError:
            problems.append(Problem(path.name, None, None, None, "JSON nested a few levels deep, not hundreds"))
            continue
        shape = _shape_problems(record, path.name)
        if shape:  # a record of the wrong shape is reported, and not handed to code that relies on its shape
            problems += shape
            continue
        record["_file"] = path.name
        records.append(record)
    return records, problems


def _shape_problems(record, name: str) -> list[Problem]:
    """What is wrong with the shape of a seed record: its keys, the types of its values, its ids."""
    if not isinstance(record, dict):
        return [Problem(name, 1, None, type(record).__name__, "a JSON object at the top level")]
    problems = [Problem(name, None, key, None, "this key is required in a seed record")
                for key in SEED_KEYS if key not in record]
    doc_id = record.get("document_id")
    if "document_id" in record and not (isinstance(doc_id, str) and ID_PATTERN.fullmatch(doc_id)):
        problems.append(Problem(name, None, "document_id", _shown(doc_id), "an id of letters, digits, '-', '_' or '.'"))
    for key in ("publisher", "url", "title"):
        if record.get(key) is not None and not isinstance(record[key], str):
            problems.append(Problem(name, None, key, _shown(record[key]), "text or null"))
    published = record.get("published")
    if published is not None and not (isinstance(published, str) and ISO_DATE.fullmatch(published)):
        problems.append(Problem(name, None, "published", _shown(published), "a date written YYYY-MM-DD, or null"))
    facts = record.get("facts", [])
    if not isinstance(facts, list):
        return problems + [Problem(name, None, "facts", _shown(facts), "a list of facts")]
    for index, fact in enumerate(facts):
        where = f"facts[{index}]"
        if not isinstance(fact, dict):
            problems.append(Problem(name, None, where, _shown(fact), "an object"))
            continue
        supports = fact.get("supports", {})
        if not isinstance(supports, dict):
            problems.append(Problem(name, None, f"{where}.supports", _shown(supports), "an object of id lists"))
            continue
        for kind, ids in supports.items():
            if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
                problems.append(Problem(name, None, f"{where}.supports.{kind}", _shown(ids), "a list of ids (text)"))
    return problems


def _shown(value) -> str:
    """A short, printable rendering of a bad value for a problem message."""
    text = json.dumps(value, ensure_ascii=False, default=str) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


def check_seed_references(records: list[dict], known: dict[str, set[str]]) -> list[Problem]:
    """Every id a seed's facts cite must exist; ``known`` maps a support kind to its ids."""
    problems: list[Problem] = []
    seen_docs: dict[str, str] = {}
    for record in records:
        name = record.get("_file", "?")
        doc_id = record.get("document_id")
        if doc_id in seen_docs:
            problems.append(Problem(name, None, "document_id", str(doc_id), f"a unique document_id; {seen_docs[doc_id]} has it too"))
        seen_docs[doc_id] = name
        facts = record.get("facts", [])
        if not isinstance(facts, list):
            problems.append(Problem(name, None, "facts", None, "a list of facts"))
            continue
        for index, fact in enumerate(facts):
            supports = fact.get("supports", {}) if isinstance(fact, dict) else None
            if not isinstance(supports, dict):
                problems.append(Problem(name, None, f"facts[{index}].supports", None, "an object of id lists"))
                continue
            for kind, ids in supports.items():
                if kind not in SUPPORT_KINDS:
                    problems.append(
                        Problem(name, None, f"facts[{index}].supports", kind, f"one of {', '.join(SUPPORT_KINDS)}")
                    )
                    continue
                for ref in ids or []:
                    if ref not in known.get(kind, set()):
                        problems.append(
                            Problem(
                                name, None, f"facts[{index}].supports.{kind}", str(ref),
                                f"an existing {SUPPORT_KINDS[kind]} in {kind}",
                            )
                        )
    return problems
