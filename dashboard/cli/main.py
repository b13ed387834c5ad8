"""The command line, ``python -m dashboard <command>``, for data work on the same core as the app."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.cli import extract as cli_extract, importing as cli_import
from dashboard.core.data.dataset import load_dataset
from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.summary import summarise_dataset


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the data files and print a summary")
    validate.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    validate.add_argument("--incidents", metavar="FILE", help="incidents CSV to check instead of the folder's")
    validate.add_argument("--sites", metavar="FILE", help="gazetteer CSV to check instead of the folder's")
    validate.add_argument("--counts", metavar="FILE", help="official counts CSV to check instead of the folder's")
    validate.add_argument("--seeds", metavar="FOLDER", help="folder of seed records (default: seeds/)")
    validate.add_argument("--json", action="store_true", help="print the summary and problems as JSON")
    validate.set_defaults(handler=run_validate)

    resolve = commands.add_parser("resolve", help="find the gazetteer site a place name refers to")
    resolve.add_argument("name", help="a place name as a report or data file writes it")
    resolve.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    resolve.add_argument("--sites", metavar="FILE", help="gazetteer CSV to use instead of the folder's")
    resolve.add_argument("--json", action="store_true", help="print one JSON object")
    resolve.set_defaults(handler=run_resolve)
    repair = commands.add_parser("repair", help="undo a save to the data folder that was cut short")
    repair.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    repair.set_defaults(handler=run_repair)
    cli_extract.register(commands)
    cli_import.register(commands)

    prepare = commands.add_parser(
        "prepare", help="convert the data folder (and an events file) to the app's Parquet tables before a start",
        description="Check and convert the data folder, and import the events file the server will show "
                    "($DASHBOARD_EVENTS), into the cache the app reads ($DASHBOARD_CACHE), so the server starts "
                    "at once and never holds a conversion's memory.")
    prepare.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    prepare.add_argument("--events", metavar="FILE", help="ACLED, UCDP GED or GDELT export (default: $DASHBOARD_EVENTS)")
    prepare.set_defaults(handler=run_prepare)

    assets = commands.add_parser("assets", help="copy the map and chart JavaScript from npm's node_modules to static/vendor")
    assets.add_argument("--from", dest="source", default="node_modules", metavar="FOLDER", help="npm node_modules folder")
    assets.add_argument("--to", dest="target", default=None, metavar="FOLDER", help="target (default: static/vendor)")
    assets.set_defaults(handler=run_assets)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


def run_repair(args) -> int:
    from dashboard.core.data.dataset import data_folder
    from dashboard.core.data.storage import locked_folder, repair_interrupted_save

    folder = Path(args.data) if args.data else data_folder()
    with locked_folder(folder):
        done = repair_interrupted_save(folder)
    print("\n".join(done) if done else f"nothing to repair in {folder}")
    return 0


def run_validate(args) -> int:
    dataset = load_dataset(
        args.data, sites=args.sites, incidents=args.incidents, official_counts=args.counts,
        seeds=args.seeds, strict=False,
    )
    errors = dataset.errors
    summary = None if errors else summarise_dataset(dataset)
    if args.json:
        print(json.dumps({"ok": not errors, "summary": summary,
                          "problems": [p.as_dict() for p in dataset.problems]}, indent=2))
        return 1 if errors else 0
    if errors:
        print(f"{len(errors)} error(s) found; nothing was changed.", file=sys.stderr)
        for problem in dataset.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(format_summary(summary, dataset))
    return 0


def format_summary(summary: dict, dataset) -> str:
    lines = [
        f"OK: {dataset.paths['incidents']}, {dataset.paths['sites'].name}, {dataset.paths['official_counts'].name}",
        f"incidents:        {summary['incidents']} ({summary['attacks']} attacks, {summary['us_strikes']} US strikes), "
        f"{summary['first_date']} to {summary['last_date']}",
        "  confirmation:   " + ", ".join(f"{k} {v}" for k, v in summary["by_confirmation"].items()),
        "  event types:    " + ", ".join(f"{k} {v}" for k, v in summary["by_event_type"].items()),
        f"sites:            {summary['sites']} ({summary['sites_with_coordinates']} with coordinates, "
        f"{len(summary['sites_without_coordinates'])} without: {', '.join(summary['sites_without_coordinates']) or '-'})",
        f"spellings:        {summary['spellings']} names and aliases",
        f"mapped:           {summary['mapped']} incidents ({summary['partly_mapped']} of them with some sites unplaced)",
        f"unmapped:         {summary['unmapped']} incidents",
    ]
    lines += [f"  {count:3d}  {reason}" for reason, count in summary["unmapped_reasons"].items()]
    lines.append(f"official counts:  {summary['official_counts']}")
    lines.append(f"seed documents:   {summary['seed_documents']}")
    if dataset.warnings:
        lines.append(f"warnings:         {len(dataset.warnings)} (kept as printed by the sources)")
        lines += [f"  {p}" for p in dataset.warnings]
    return "\n".join(lines)


def run_resolve(args) -> int:
    try:
        dataset = load_dataset(args.data, sites=args.sites)
    except DataValidationError as exc:
        print(exc, file=sys.stderr)
        return 2
    gazetteer = Gazetteer(dataset.sites)
    result = gazetteer.resolve(args.name)
    payload = {"query": args.name, "status": result.status, "score": result.score, "method": result.method}
    if result.ok:
        site = gazetteer.site_record(result.site_id)
        payload.update({key: site.get(key) for key in ("site_id", "name", "country", "lat", "lon", "coord_precision")})
        payload["coord_precision"] = payload["coord_precision"] or None
    else:
        payload["candidates"] = [{"site_id": s, "score": sc} for s, sc in result.candidates]
    if args.json:
        print(json.dumps(payload, ensure_ascii=False))
    elif result.ok:
        where = "no coordinates" if payload["lat"] is None else f"{payload['lat']}, {payload['lon']} ({payload['coord_precision']})"
        print(f"{payload['site_id']}  {payload['name']}  [{payload['country']}]  {where}  "
              f"score {result.score:g} by {result.method}")
    else:
        close = ", ".join(f"{s} ({sc:g})" for s, sc in result.candidates)
        print(f"{result.status}: {args.name!r}" + (f"; closest: {close}" if close else ""), file=sys.stderr)
    return 0 if result.ok else 1


def run_prepare(args) -> int:
    """Convert the folder (and the events file) into the cache; 0 when done, 1 with the problems otherwise."""
    import os
    import time

    from dashboard.core.data.problems import DataValidationError
    from dashboard.core.query.store import EVENTS_ENV, open_data, open_events

    started = time.perf_counter()
    try:
        stored = open_data(args.data)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"data: {stored.folder} ({time.perf_counter() - started:.1f} s)")
    events = args.events or os.environ.get(EVENTS_ENV, "").strip()
    if events:
        started = time.perf_counter()
        try:
            tables = open_events(events, stored)
        except ValueError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"events: {tables} ({time.perf_counter() - started:.1f} s)")
    return 0


def run_assets(args) -> int:
    from dashboard.render.assets import VENDOR_DIR, install_assets

    try:
        copied = install_assets(args.source, args.target or VENDOR_DIR)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"copied {len(copied)} files to {args.target or VENDOR_DIR}")
    return 0
