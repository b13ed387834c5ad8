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
    prepare.add_argument("--events", metavar="FILE", help="ACLED, UCDP GED or GDELT export, or a folder or glob of "
                         "Parquet query tables (default: $DASHBOARD_EVENTS)")
    prepare.add_argument("--out", metavar="FOLDER", help="write the events' query tables to this new folder (for "
                         "$DASHBOARD_EVENTS on a shared folder) instead of the cache")
    prepare.add_argument("--first-ord", type=int, default=None, metavar="N",
                         help="with --out: number the incidents from N (parts shown together need ranges apart)")
    _engine_options(prepare)
    prepare.set_defaults(handler=run_prepare)

    serve = commands.add_parser(
        "serve", help="start the dashboard (streamlit run) with an engine, data folder and events",
        description="Check the settings, then start `streamlit run streamlit_app.py` with them in the environment. "
                    "Arguments after `--` go to streamlit (for example `-- --server.port 8502`).")
    serve.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    serve.add_argument("--events", metavar="PATH", help="events to show: an export file, or a folder or glob of "
                       "Parquet query tables (default: $DASHBOARD_EVENTS)")
    _engine_options(serve)
    serve.add_argument("streamlit_args", nargs="*", metavar="STREAMLIT_ARG", help="passed to `streamlit run`")
    serve.set_defaults(handler=run_serve)

    assets = commands.add_parser("assets", help="copy the map and chart JavaScript from npm's node_modules to static/vendor")
    assets.add_argument("--from", dest="source", default="node_modules", metavar="FOLDER", help="npm node_modules folder")
    assets.add_argument("--to", dest="target", default=None, metavar="FOLDER", help="target (default: static/vendor)")
    assets.set_defaults(handler=run_assets)
    return parser


def _engine_options(command) -> None:
    command.add_argument("--engine", metavar="ENGINE", help="duckdb (default), spark, or an Ibis backend URL "
                         "(default: $DASHBOARD_ENGINE)")
    command.add_argument("--spark-master", metavar="URL", help="with --engine spark: local[2] (default), "
                         "spark://host:7077 or sc://host:15002 (default: $DASHBOARD_SPARK_MASTER)")


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
    """Convert the folder (and the events) into the cache, then ask the engine for the totals; 0 when done,
    1 with the problems otherwise."""
    import os
    import time

    from dashboard.core.data.problems import DataValidationError
    from dashboard.core.query.engines import EngineSettingError, engine_setting
    from dashboard.core.query.store import EVENTS_ENV, open_data, open_events

    try:
        setting = engine_setting(args.engine, args.spark_master)
    except EngineSettingError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.first_ord is not None and not args.out:
        print("--first-ord is for --out (parts of one data set written to their own folders)", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        stored = open_data(args.data)
    except DataValidationError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"data: {stored.folder} ({time.perf_counter() - started:.1f} s)")
    events = args.events or os.environ.get(EVENTS_ENV, "").strip()
    tables = None
    if events:
        started = time.perf_counter()
        try:
            tables = _write_events(events, stored, args.out, args.first_ord) if args.out else open_events(events, stored)
        except (ValueError, FileExistsError) as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"events: {tables} ({time.perf_counter() - started:.1f} s)")
    elif args.out:
        print("--out needs --events (or $DASHBOARD_EVENTS)", file=sys.stderr)
        return 2
    return _check_engine(setting, stored, tables)


def _write_events(events: str, stored, out: str, first_ord: int | None):
    """Import an export into a new tables folder ``out`` (refused when it exists: nothing is overwritten)."""
    from dashboard.core.importers import FileRefusedError, import_events
    from dashboard.core.query.store import write_upload_tables

    target = Path(out).expanduser()
    if target.exists():
        raise FileExistsError(f"--out {str(target)!r} exists; name a new folder (nothing was written)")
    try:
        result = import_events(Path(events).expanduser(), sites=stored.sites)
    except (FileRefusedError, ValueError, OSError) as exc:
        raise ValueError(f"{events!r} cannot be imported: {exc}") from exc
    if result.events.empty:
        raise ValueError(f"{events!r} has no row that could be imported (`python -m dashboard import` lists why)")
    return write_upload_tables(result.events, stored.sites, target, first_ord)


def _check_engine(setting, stored, tables) -> int:
    """Register the data (and events) in the engine and print the totals it answers: proof the setting works."""
    import time

    from dashboard.core.query import counts
    from dashboard.core.query.engines import EngineSettingError, open_engine
    from dashboard.core.query.store import event_tables
    from dashboard.core.view.filters import Filters

    started = time.perf_counter()
    try:
        engine = open_engine(setting)
    except EngineSettingError as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        source = engine.register("bundled", stored.tables(), stored.sites)
        if tables is not None:
            events = engine.register("events", event_tables(tables), stored.sites, in_memory=False)
            source = engine.stack("both", source, events)
        figures = counts.headline(source, Filters())
    except Exception as exc:  # the engine's own error (a missing file on a worker, a refused query): say it plainly
        print(f"{setting.label} could not answer: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
              file=sys.stderr)
        return 1
    finally:
        close = getattr(engine, "close", None)
        if close is not None:
            close()
    shown = ", ".join(f"{name} {value:,}" for name, value in figures.items())
    print(f"engine: {setting.label} answers {shown} ({time.perf_counter() - started:.1f} s)")
    return 0


def run_serve(args) -> int:
    """Check the settings, then replace this process with `streamlit run streamlit_app.py` (2 on a bad setting)."""
    import os

    from dashboard.core.data.dataset import DATA_ENV
    from dashboard.core.query.engines import ENGINE_ENV, SPARK_MASTER_ENV, EngineSettingError, engine_setting
    from dashboard.core.query.store import EVENTS_ENV

    try:
        setting = engine_setting(args.engine, args.spark_master)
    except EngineSettingError as exc:
        print(exc, file=sys.stderr)
        return 2
    env = dict(os.environ)
    env[ENGINE_ENV] = setting.url or setting.kind
    if setting.master:
        env[SPARK_MASTER_ENV] = setting.master
    if args.data:
        env[DATA_ENV] = str(Path(args.data).expanduser().resolve())
    if args.events:
        env[EVENTS_ENV] = args.events
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "streamlit", "run", str(root / "streamlit_app.py"), *args.streamlit_args]
    print(f"serving with {setting.label}: {' '.join(command)}", file=sys.stderr)
    os.chdir(root)
    os.execve(sys.executable, command, env)
    return 0  # not reached


def run_assets(args) -> int:
    from dashboard.render.assets import VENDOR_DIR, install_assets

    try:
        copied = install_assets(args.source, args.target or VENDOR_DIR)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"copied {len(copied)} files to {args.target or VENDOR_DIR}")
    return 0
