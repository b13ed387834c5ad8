"""Issue 8: a save killed between its two writes is undone; nothing is left half-written."""
from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap

from dashboard.core.data.dataset import SAVE_JOURNAL, load_dataset
from tests.conftest import ROOT

KILLED_SAVE = textwrap.dedent("""
    import os, sys
    import pandas as pd
    from dashboard.core.data import storage
    from dashboard.core.articles.curation import build_seed_record, proposed_rows
    from dashboard.core.data.dataset import load_dataset
    from dashboard.core.articles import extract_article, load_actors
    from dashboard.core.places.gazetteer import Gazetteer

    folder = sys.argv[1]
    article = ("WASHINGTON (Wire) - Two drones struck Tall Baydar on Sunday, injuring one US service member, "
               "a defense official said.")
    extraction = extract_article(article, "2024-03-05", Gazetteer(load_dataset(folder).sites), load_actors(),
                                 document_id="killed-save")
    rows = proposed_rows(extraction)
    real = storage._write_atomic
    def write_then_die(path, data):
        real(path, data)
        if path.name == "incidents.csv":
            os._exit(9)  # killed after the incidents, before the seed record
    storage._write_atomic = write_then_die
    storage.append_incidents(folder, rows, build_seed_record(extraction, rows))
""")


def test_a_killed_save_is_reported_and_repaired(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(ROOT / "geodata", folder, ignore=shutil.ignore_patterns("backups"))
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    before = (folder / "incidents.csv").read_bytes()
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    killed = subprocess.run([sys.executable, "-c", KILLED_SAVE, str(folder)], capture_output=True, text=True, env=env)
    assert killed.returncode == 9, killed.stderr
    assert (folder / "incidents.csv").read_bytes() != before  # the incident went in, its seed record did not
    assert not (folder / "seeds" / "killed-save.json").exists()

    problems = load_dataset(folder, strict=False).errors
    assert [p.file for p in problems] == [SAVE_JOURNAL]
    validate = subprocess.run([sys.executable, "-m", "dashboard", "validate", "--data", str(folder)],
                              capture_output=True, text=True, cwd=ROOT, env=env)
    assert validate.returncode == 1 and "python -m dashboard repair" in validate.stderr

    repair = subprocess.run([sys.executable, "-m", "dashboard", "repair", "--data", str(folder)],
                            capture_output=True, text=True, cwd=ROOT, env=env)
    assert repair.returncode == 0, repair.stderr
    assert "incidents.csv put back from backups/" in repair.stdout
    assert (folder / "incidents.csv").read_bytes() == before
    assert not (folder / SAVE_JOURNAL).exists()
    assert not list(folder.rglob(".*.tmp"))
    assert not load_dataset(folder, strict=False).errors
