"""``extract FOLDER`` and ``extract --list FILE``: read many articles, merge their reports, write the review files."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from dashboard.core.articles.actors import folder_actors
from dashboard.core.articles.batch import review_batch
from dashboard.core.articles.batch_files import (extract_articles, jobs_from_folder, jobs_from_list, review_payload,
                                                  review_rows, write_review)
from dashboard.core.data.dataset import data_folder, load_dataset
from dashboard.core.data.problems import DataValidationError
from dashboard.core.places.gazetteer import Gazetteer


def add_options(command) -> None:
    """The batch options of the ``extract`` sub-command."""
    batch = command.add_argument_group("many articles (a FOLDER, or --list)")
    batch.add_argument("--published-from-filename", action="store_true",
                       help="with a FOLDER: each .txt file's name starts with its publication date "
                            "(2023-11-20_shafaq-erbil.txt)")
    batch.add_argument("--list", dest="list_file", metavar="ARTICLES.csv",
                       help="read the articles a CSV lists, with columns path, published, source (and optionally url)")
    batch.add_argument("--out", metavar="DIR", help="folder for review.csv and review.json "
                       "(default: review-YYYYMMDD-HHMMSS in the current folder)")
    batch.add_argument("--quiet", action="store_true", help="no progress bar")


def is_batch(args) -> bool:
    """True when the command names a folder or a list rather than one article."""
    return bool(args.list_file) or (args.article not in (None, "-") and Path(args.article).is_dir())


def run_batch(args) -> int:
    """Read every article, write the review files; 0 when all were read, 1 when some were not, 2 on a usage error."""
    problem = _usage_problem(args)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    ignored: list[str] = []
    try:
        if args.list_file:
            jobs, failures = jobs_from_list(args.list_file)
        else:
            jobs, failures, ignored = jobs_from_folder(args.article)
    except (OSError, ValueError) as exc:
        print(f"cannot read the articles: {exc}", file=sys.stderr)
        return 2
    if not jobs and not failures:
        print(f"no article found: {args.list_file or args.article} has no {'row' if args.list_file else '.txt file'}",
              file=sys.stderr)
        return 2
    try:
        dataset = load_dataset(args.data)
        folder = Path(args.data) if args.data else data_folder()
        actors = folder_actors(folder)
    except (DataValidationError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    readings, unread = _extract_with_progress(jobs, Gazetteer(dataset.sites), actors, args.quiet)
    failures += unread
    proposals = review_batch(readings, dataset.incidents)
    out = Path(args.out) if args.out else Path.cwd() / f"review-{dt.datetime.now():%Y%m%d-%H%M%S}"
    payload = review_payload(proposals, readings, failures, ignored, folder)
    try:
        csv_path, json_path = write_review(out, review_rows(proposals), payload)
    except OSError as exc:
        print(f"cannot write the review files to {out}: {exc}", file=sys.stderr)
        return 2
    for item in failures:
        print(f"not read: {item['reason']}", file=sys.stderr)
    if ignored:
        print(f"not articles (not .txt files), not read: {', '.join(ignored)}", file=sys.stderr)
    print(summary_line(payload["summary"], csv_path, json_path))
    return 1 if failures else 0


def _usage_problem(args) -> str | None:
    if args.list_file and args.article is not None:
        return "give either a FOLDER or --list ARTICLES.csv, not both"
    if args.published:
        return "--published is for one article; in a batch each article has its own date (--published-from-filename, or --list)"
    if args.source or args.document_id:
        return "--source and --id are for one article; give each article's source in a --list CSV"
    if args.json:
        return "--json is for one article; a batch writes review.json (see --out)"
    if not args.list_file and not args.published_from_filename:
        return (f"{args.article} is a folder: add --published-from-filename (file names starting YYYY-MM-DD) "
                "or give a --list CSV with each article's date")
    if args.list_file and args.published_from_filename:
        return "--published-from-filename is for a FOLDER; a --list CSV gives each date in its `published` column"
    return None


def _extract_with_progress(jobs, gazetteer, actors, quiet: bool):
    from tqdm import tqdm

    with tqdm(total=len(jobs), unit="article", file=sys.stderr, disable=quiet or not sys.stderr.isatty(),
              dynamic_ncols=True) as bar:
        def done(job):
            bar.set_postfix_str(job.name[:40], refresh=False)
            bar.update(1)
        return extract_articles(jobs, gazetteer, actors, done)


def summary_line(summary: dict, csv_path: Path, json_path: Path) -> str:
    """"N articles read, M failed, K new incidents proposed, A additions, J already known; review in DIR (...)"."""
    return (f"{summary['articles_read']} article(s) read, {summary['failed']} failed, {summary['new']} new "
            f"incident(s) proposed, {summary['additions']} addition(s), {summary['known']} already known; "
            f"review in {csv_path.parent}/ ({csv_path.name}, {json_path.name}); nothing was written to the dataset")
