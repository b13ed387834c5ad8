"""Records of the source documents in ``seeds/``: reading them and checking what they cite."""
from __future__ import annotations

import json
from pathlib import Path

from .problems import Problem

#: Keys every seed record must have.
SEED_KEYS = ("document_id", "publisher", "published", "facts")
#: What a fact's ``supports`` may name, and the id column each refers to.
SUPPORT_KINDS = {"incidents": "incident_id", "official_counts": "count_id", "sites": "site_id"}


def read_seeds(folder: str | Path) -> tuple[list[dict], list[Problem]]:
    """Read every ``*.json`` record in ``folder`` (sorted by name); a missing folder is no record."""
    folder = Path(folder)
    records: list[dict] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return records, problems
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            problems.append(Problem(path.name, line, None, None, f"not valid UTF-8 JSON: {exc}"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(path.name, 1, None, None, "a JSON object at the top level"))
            continue
        for key in SEED_KEYS:
            if key not in record:
                problems.append(Problem(path.name, None, key, None, "this key is required in a seed record"))
        record["_file"] = path.name
        records.append(record)
    return records, problems


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
