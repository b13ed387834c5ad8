"""The ``extract`` command: read an article and print the sites, dates, totals, incidents and actors it reports."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from dashboard.cli import extract_batch as cli_batch
from dashboard.core.data.dataset import data_folder, load_dataset
from dashboard.core.articles import MAX_ARTICLE_CHARS, ArticleTooLongError, extract_article
from dashboard.core.articles.actors import folder_actors
from dashboard.core.places.gazetteer import Gazetteer
from dashboard.core.data.problems import DataValidationError
from dashboard.core.data.validate import parse_iso_date


def register(commands) -> None:
    """Add the ``extract`` sub-command to ``commands`` (the sub-parsers of ``python -m dashboard``)."""
    extract = commands.add_parser("extract", help="find sites, dates, running totals, incidents and actors in an "
                                  "article, or in a folder of articles (writes review files)")
    extract.add_argument("article", metavar="ARTICLE.txt|FOLDER", nargs="?",
                         help="the article as a plain-text UTF-8 file ('-' for stdin), or a folder of .txt articles")
    extract.add_argument("--published", metavar="YYYY-MM-DD",
                         help="publication date (one article); relative dates ('on Sunday', 'last week') are "
                              "resolved against it")
    extract.add_argument("--source", metavar="NAME", help="publisher's name, or the article's URL")
    extract.add_argument("--id", dest="document_id", metavar="ID", help="document id (e.g. the wire's item code)")
    extract.add_argument("--data", metavar="FOLDER", help="data folder (default: $DASHBOARD_DATA or geodata/)")
    extract.add_argument("--json", action="store_true",
                         help="print one JSON object with keys document, sites, dates, counts, incidents, actors")
    cli_batch.add_options(extract)
    extract.set_defaults(handler=run_extract)


def run_extract(args) -> int:
    if cli_batch.is_batch(args):
        return cli_batch.run_batch(args)
    if args.article is None or not args.published:
        print("give ARTICLE.txt --published YYYY-MM-DD, a FOLDER --published-from-filename, or --list ARTICLES.csv",
              file=sys.stderr)
        return 2
    if args.published_from_filename or args.out:
        print(f"--published-from-filename and --out are for a FOLDER or a --list of articles; {args.article} is not "
              "a folder", file=sys.stderr)
        return 2
    published = parse_iso_date(args.published)
    if published is None:
        print(f"--published was {args.published!r} but is expected to be a date written YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        text = _read_article(args.article)
    except (OSError, UnicodeDecodeError, ArticleTooLongError) as exc:
        print(f"cannot read {args.article}: {exc}", file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(args.data)
        folder = Path(args.data) if args.data else data_folder()
        actors = folder_actors(folder)
        result = extract_article(text, published, Gazetteer(dataset.sites), actors,
                                 source=args.source, document_id=args.document_id)
    except (DataValidationError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print(format_extraction(result))
    return 0


def _read_article(name: str) -> str:
    """The article's text; a text too long for the extractor is refused after reading one character too many."""
    most = MAX_ARTICLE_CHARS + 1
    if name == "-":
        text, described = sys.stdin.read(most), "the text on standard input"
    else:
        with open(name, encoding="utf-8") as handle:
            text, described = handle.read(most), f"{Path(name).name} ({Path(name).stat().st_size:,} bytes)"
    if len(text) == most:
        raise ArticleTooLongError(f"{described} holds more than {MAX_ARTICLE_CHARS:,} characters, the most the "
                                  "extractor reads at a time (about 15,000 words); give it one article at a time.")
    return text


def format_extraction(result: dict) -> str:
    """A readable summary of :func:`extract_article`'s result, one line per item with its offsets."""
    doc = result["document"]
    lines = [f"document   {doc['document_id']}, published {doc['published']}"
             + (f", {doc['publisher']}" if doc["publisher"] else "") + (f", {doc['url']}" if doc["url"] else "")
             + f" ({doc['characters']} characters)"]
    resolved = sum(1 for s in result["sites"] if s["status"] == "resolved")
    lines.append(f"sites      {len(result['sites'])} mention(s), {resolved} resolved")
    for site in result["sites"]:
        target = (f"{site['site_id']} {site['name']} ({site['country']}) by {site['method']}"
                  if site["site_id"] else f"{site['status']}, not guessed")
        lines.append(f"  [{site['start']}:{site['end']}] {site['text']!r} -> {target}")
    lines.append(f"dates      {len(result['dates'])}")
    for date in result["dates"]:
        when = date["date"] if date["date"] == date["date_end"] else f"{date['date']} to {date['date_end']}"
        lines.append(f"  [{date['start']}:{date['end']}] {date['text']!r} -> {when} ({date['precision']}; {date['rule']})")
    lines.append(f"counts     {len(result['counts'])}")
    for count in result["counts"]:
        split = ", ".join(f"{c} {n}" for c, n in count["by_country"].items())
        lines.append(f"  {count['total']} ({count['qualifier']}) since {count['since'] or '?'}, as of {count['as_of']}"
                     + (f": {split}" if split else "") + f"; reported by {count['reported_by'] or 'not stated'}"
                     + f"  [{count['evidence']['start']}:{count['evidence']['end']}]")
        for flag in count.get("flags", []):
            lines.append(f"       flag: {flag}")
    lines.append(f"incidents  {len(result['incidents'])}")
    for incident in result["incidents"]:
        place = incident["site_id"] or (incident["site"]["text"] + " (unresolved)" if incident["site"] else "no site")
        figures = ", ".join(f"{k} {incident[k]}" for k in ("killed", "killed_max", "injured", "injured_max")
                            if incident[k] is not None)
        lines.append(f"  {incident['n']}. {incident['event_type']} {incident['date'] or 'no date'}"
                     f" ({incident['date_certainty'] or '-'}) at {place} [{incident['country'] or '?'}]"
                     + (f"; {figures}" if figures else "") + (f"; actor {incident['actor']}" if incident["actor"] else "")
                     + f"; {incident['confirmation']}  [{incident['evidence']['start']}:{incident['evidence']['end']}]")
        for note in incident["review"]:
            lines.append(f"       check: {note}")
    if result.get("set_aside"):
        lines.append(f"set aside  {len(result['set_aside'])} (not proposed)")
        for item in result["set_aside"]:
            lines.append(f"  sentence {item['sentence']}, {item['place'] or 'no place'}: {item['reason']}")
    lines.append(f"actors     {len(result['actors'])} mention(s)")
    for actor in result["actors"]:
        lines.append(f"  [{actor['start']}:{actor['end']}] {actor['text']!r} -> {actor['actor_id']} {actor['name']}"
                     + (" (as backer)" if actor["role"] == "backer" else ""))
    return "\n".join(lines)
