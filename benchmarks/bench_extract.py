"""Score the rule-based article extractor against hand-read expectations for real public reports.

The reports themselves are not in the repository (see
``benchmarks/extract_eval/README.md``); ``expected.json`` holds, for each one,
its URL, publisher, date, the SHA-256 of the text file and what a careful
reader finds in it. The script runs ``extract_article`` from whichever
``dashboard`` package it imports (put another checkout first on
``PYTHONPATH`` to score that code) and prints Markdown tables.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_extract.py [--texts DIR] [--expected FILE] [--out FILE.md]

Definitions (micro-averaged over all reports; precision = correct / extracted,
recall = correct / expected):

- **sites**: the set of resolved ``site_id`` values in ``result["sites"]``
  against the report's expected ``sites``.
- **incidents**: extracted incident rows are aligned with expected attacks
  within one report, greedily. A row can match an attack when their
  ``site_id`` are equal (when both are null, only if their ``country`` is
  equal) and, when both have a date, the dates agree (the expected date lies
  within the row's ``date``..``date_end``). Each attack and each row is matched
  at most once; pairs whose dates are equal are taken first, then pairs where
  a date is missing or a range covers it. The facts of a row or attack are
  its place (``site_id``, or ``country`` when there is no site), ``date``,
  ``event_type`` and ``country``. A null expected field is not a fact. Recall
  is the correct facts of matched rows over all expected facts; precision is
  the correct facts over all non-null facts of all extracted rows, so every
  fact of an unmatched row counts as wrong, as does a value where the expected
  one is null.
- **dates**: the ``date`` field alone, with the same alignment.
- **casualties**: ``killed`` and ``injured``, same alignment and rules (a number
  on a row whose attack has null there, or on an unmatched row, is wrong).
- **actors**: ``actor_id``, same alignment and rules.
- **totals**: the running totals in ``result["counts"]`` are aligned with the
  expected totals by the ``total`` number (each used once). Facts: ``total``,
  ``iraq`` and ``syria`` (from ``by_country``), ``as_of`` and ``qualifier``
  (the extractor's ``about`` is read as ``approx``). Precision is over the
  non-null facts of all extracted counts.
- **rows per real attack**: extracted incident rows over expected attacks,
  for the whole set and per report (second table).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from pathlib import Path

DEFAULT_TEXTS = Path("/work/eval/texts")
DEFAULT_EXPECTED = Path(__file__).resolve().parent / "extract_eval" / "expected.json"
INCIDENT_FIELDS = ("place", "date", "event_type", "country")
QUALIFIER_NAMES = {"about": "approx"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help=f"folder of report texts (default {DEFAULT_TEXTS})")
    parser.add_argument("--expected", type=Path, default=DEFAULT_EXPECTED, help="expected facts (JSON)")
    parser.add_argument("--out", type=Path, help="also write the tables to this Markdown file")
    args = parser.parse_args(argv)

    if not args.texts.is_dir():
        print(f"The report texts are expected in {args.texts}, which does not exist. They are kept outside the "
              "repository; benchmarks/extract_eval/README.md says how to rebuild the folder. "
              "Point --texts at it.", file=sys.stderr)
        return 2
    expected = json.loads(args.expected.read_text(encoding="utf-8"))["reports"]
    extract = _load_extractor()
    scored, skipped = [], []
    for report in expected:
        path = args.texts / report["file"]
        if not path.is_file():
            skipped.append(f"{report['id']}: {path} missing")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != report["sha256"]:
            skipped.append(f"{report['id']}: {path.name} differs from the text the expectations were read from (sha256)")
            continue
        scored.append((report, extract(data.decode("utf-8"), report["published"], report["publisher"])))
    if not scored:
        print(f"No usable report text in {args.texts}:\n  " + "\n  ".join(skipped), file=sys.stderr)
        return 2
    text = render(scored, skipped)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


def _load_extractor():
    """``extract(text, published, publisher) -> result``, built from the imported package and its bundled data."""
    import dashboard
    from dashboard.core.articles import extract_article, load_actors
    from dashboard.core.articles.actors import ACTORS_FILE
    from dashboard.core.data.dataset import data_folder, load_dataset
    from dashboard.core.places.gazetteer import Gazetteer

    dataset = load_dataset(None)
    actors_path = data_folder() / ACTORS_FILE
    actors = load_actors(actors_path if actors_path.exists() else None)
    gazetteer = Gazetteer(dataset.sites)
    _load_extractor.package = Path(dashboard.__file__).resolve().parent
    return lambda text, published, publisher: extract_article(text, published, gazetteer, actors, source=publisher)


# --- scoring -------------------------------------------------------------------------------------

class Tally:
    """Correct, extracted and expected fact counts for one kind of fact."""

    def __init__(self):
        self.correct = self.extracted = self.expected = 0

    def add(self, correct: int, extracted: int, expected: int) -> None:
        self.correct += correct
        self.extracted += extracted
        self.expected += expected

    def cells(self) -> list[str]:
        precision = f"{self.correct / self.extracted:.2f}" if self.extracted else "–"
        recall = f"{self.correct / self.expected:.2f}" if self.expected else "–"
        return [precision, recall, str(self.correct), str(self.extracted), str(self.expected)]


def _place(item: dict):
    return item.get("site_id") or item.get("country")


def _value(item: dict, field: str):
    return _place(item) if field == "place" else item.get(field)


def _sites_compatible(row: dict, attack: dict) -> bool:
    if row.get("site_id") or attack.get("site_id"):
        return row.get("site_id") == attack.get("site_id")
    return row.get("country") == attack.get("country")


def _date_relation(row: dict, attack: dict) -> str | None:
    """``exact``, ``compatible`` (a date missing, or a range covering it) or None (dates disagree)."""
    start, want = row.get("date"), attack.get("date")
    if not start or not want:
        return "compatible"
    if start == want:
        return "exact"
    return "compatible" if start <= want <= (row.get("date_end") or start) else None


def align_incidents(rows: list[dict], attacks: list[dict]) -> list[tuple[dict, dict]]:
    """Greedy one-to-one pairs (row, attack): same-date pairs first, then compatible ones, in text order."""
    pairs, used_rows, used_attacks = [], set(), set()
    for wanted in ("exact", "compatible"):
        for i, row in enumerate(rows):
            if i in used_rows:
                continue
            for j, attack in enumerate(attacks):
                if j not in used_attacks and _sites_compatible(row, attack) and _date_relation(row, attack) == wanted:
                    pairs.append((row, attack))
                    used_rows.add(i)
                    used_attacks.add(j)
                    break
    return pairs


def score_fields(tally: Tally, rows: list[dict], attacks: list[dict], pairs, fields) -> None:
    """Add the facts of ``fields``: every non-null row value is extracted, every non-null expected value is expected."""
    extracted = sum(_value(r, f) is not None for r in rows for f in fields)
    expected = sum(_value(a, f) is not None for a in attacks for f in fields)
    correct = sum(_value(a, f) is not None and _value(r, f) == _value(a, f) for r, a in pairs for f in fields)
    tally.add(correct, extracted, expected)


def _count_facts(count: dict) -> dict:
    by_country = count.get("by_country") or {}
    qualifier = count.get("qualifier")
    return {"total": count.get("total"), "iraq": by_country.get("Iraq"), "syria": by_country.get("Syria"),
            "as_of": count.get("as_of"), "qualifier": QUALIFIER_NAMES.get(qualifier, qualifier)}


def score_totals(tally: Tally, counts: list[dict], totals: list[dict]) -> None:
    facts = [_count_facts(c) for c in counts]
    fields = ("total", "iraq", "syria", "as_of", "qualifier")
    used, correct = set(), 0
    for want in totals:
        match = next((i for i, got in enumerate(facts) if i not in used and got["total"] == want["total"]), None)
        if match is not None:
            used.add(match)
            correct += sum(want[f] is not None and facts[match][f] == want[f] for f in fields)
    tally.add(correct, sum(v is not None for got in facts for f, v in got.items()),
              sum(want[f] is not None for want in totals for f in fields))


def render(scored, skipped) -> str:
    """The Markdown report: what was run, the table per kind of fact, and rows per attack per report."""
    kinds = {name: Tally() for name in ("sites", "incidents", "dates", "casualties", "actors", "totals")}
    per_report, all_rows, all_attacks = [], 0, 0
    for report, result in scored:
        rows, attacks = result["incidents"], report["attacks"]
        got_sites = {s["site_id"] for s in result["sites"] if s.get("status") == "resolved" and s.get("site_id")}
        want_sites = set(report["sites"])
        kinds["sites"].add(len(got_sites & want_sites), len(got_sites), len(want_sites))
        pairs = align_incidents(rows, attacks)
        score_fields(kinds["incidents"], rows, attacks, pairs, INCIDENT_FIELDS)
        score_fields(kinds["dates"], rows, attacks, pairs, ("date",))
        score_fields(kinds["casualties"], rows, attacks, pairs, ("killed", "injured"))
        score_fields(kinds["actors"], rows, attacks, pairs, ("actor_id",))
        score_totals(kinds["totals"], result["counts"], report["totals"])
        all_rows += len(rows)
        all_attacks += len(attacks)
        per_report.append((report, len(attacks), len(rows), len(pairs)))

    version = scored[0][1]["document"].get("extractor_version", "?")
    lines = [f"# Extractor evaluation: {len(scored)} reports, {all_attacks} expected attacks", "",
             f"Code: `{_load_extractor.package}` ({_code_state(_load_extractor.package)}), "
             f"extractor_version {version}.", ""]
    if skipped:
        lines += ["Skipped: " + "; ".join(skipped) + ".", ""]
    lines += ["| facts | precision | recall | correct | extracted | expected |", "|---|---|---|---|---|---|"]
    lines += [f"| {name} | " + " | ".join(t.cells()) + " |" for name, t in kinds.items()]
    ratio = f"{all_rows / all_attacks:.2f}" if all_attacks else "–"
    lines += ["", f"Incident rows per real attack: **{ratio}** ({all_rows} rows for {all_attacks} attacks).", "",
              "| report | publisher | published | attacks | rows | matched | rows per attack |",
              "|---|---|---|---|---|---|---|"]
    for report, attacks, rows, matched in per_report:
        per = f"{rows / attacks:.2f}" if attacks else "–"
        lines.append(f"| {report['id']} | {report['publisher']} | {report['published']} | {attacks} | {rows} | "
                     f"{matched} | {per} |")
    return "\n".join(lines) + "\n"


def _code_state(package: Path) -> str:
    """The commit of the checkout the package comes from, and whether its extractor has uncommitted changes."""
    try:
        commit = subprocess.run(["git", "-C", str(package), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(package), "status", "--porcelain", "--", "core/articles"],
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"commit {commit}" + (", core/articles with uncommitted changes" if dirty else "")


if __name__ == "__main__":
    sys.exit(main())
