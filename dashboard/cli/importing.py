"""The ``import`` command: read an ACLED, UCDP GED or GDELT file and write it in the dashboard's event schema."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from dashboard.core.importers import FileRefusedError, format_summary, import_events, write_events, write_report
from dashboard.core.importers.unpack import MAX_RATIO, MAX_UNPACKED_BYTES, MB
from dashboard.core.importers.writer import EVENT_SUFFIXES

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def register(commands) -> None:
    """Add the ``import`` subcommand to ``commands`` (the parser's subparsers)."""
    command = commands.add_parser(
        "import", help="import an ACLED, UCDP GED or GDELT events file",
        description="Read an ACLED, UCDP GED or GDELT events file, link its events to the nearest gazetteer "
                    "site, and write them as CSV or GeoParquet (chosen by the --out suffix).")
    command.add_argument("file", metavar="FILE", help="the file to import (CSV, tab-separated, or a zip of one)")
    command.add_argument("--format", default="auto", choices=("auto", "acled", "ucdp", "gdelt"),
                         help="the file's format (default: detect it)")
    command.add_argument("--out", required=True, metavar="OUT",
                         help=f"where to write the events ({', '.join(sorted(EVENT_SUFFIXES))})")
    command.add_argument("--report", metavar="REPORT.json", help="also write the import report as JSON")
    command.add_argument("--radius-km", type=float, default=10.0, metavar="KM",
                         help="link events to the nearest site within this distance (default: 10)")
    command.add_argument("--data", metavar="FOLDER",
                         help="data folder whose sites.csv is the gazetteer (default: $DASHBOARD_DATA or geodata/)")
    command.add_argument("--max-unpacked-mb", type=float, default=MAX_UNPACKED_BYTES / MB, metavar="MB",
                         help=f"refuse a zip whose file unpacks to more than this (default: {MAX_UNPACKED_BYTES / MB:,.0f}); "
                              f"a zip that unpacks to more than {MAX_RATIO} times its size is refused whatever this says")
    command.set_defaults(handler=run_import)


def run_import(args) -> int:
    """Run the import; 0 when rows were imported, 1 when none could be, 2 for an unusable file or argument."""
    out = Path(args.out)
    if out.suffix.lower() not in EVENT_SUFFIXES:
        print(f"--out must end in one of {', '.join(sorted(EVENT_SUFFIXES))}; it was {args.out!r}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"--out {args.out!r}: the folder {str(out.parent)!r} does not exist", file=sys.stderr)
        return 2
    bar = TerminalProgress(sys.stderr)
    try:
        result = import_events(args.file, format=args.format, radius_km=args.radius_km,
                               sites=args.data, progress=bar, max_bytes=int(args.max_unpacked_mb * MB))
    except (FileRefusedError, FileNotFoundError, ValueError) as exc:
        bar.close()
        print(f"import failed: {exc}", file=sys.stderr)
        return 2
    bar.close()
    report = result.report
    if args.report:
        write_report(report, args.report)
    print(format_summary(report))
    if not report["rows_imported"]:
        print("nothing could be imported; see the rejections above" + (f" and in {args.report}" if args.report else ""),
              file=sys.stderr)
        return 1
    write_events(result.events, out)
    print(f"written:   {out}" + (f" (report: {args.report})" if args.report else ""))
    if report["source_dataset"] == "ACLED" and _inside(out, PROJECT_ROOT):
        print("warning: ACLED rows were written inside the project folder; ACLED's terms forbid redistributing "
              "them, so do not commit this file.", file=sys.stderr)
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


class TerminalProgress:
    """A one-line progress bar on a terminal stream, redrawn at most ten times a second.

    Draws nothing when the stream is not a terminal, or for imports that end
    within half a second, so logs and short runs stay clean.
    """

    WIDTH = 30

    def __init__(self, stream, delay: float = 0.5):
        self.stream = stream
        self.enabled = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        if not self.enabled or now - self.started < self.delay or (now - self.last < 0.1 and done != total):
            return
        self.last = now
        if total:
            filled = int(self.WIDTH * min(done / total, 1.0))
            text = f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done / total:4.0%}  {done:,}/{total:,} rows"
        else:
            text = f"\r{done:,} rows read"
        self.stream.write(text)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line, if one was drawn."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False

