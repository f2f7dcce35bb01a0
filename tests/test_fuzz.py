"""A fast seeded subset of the fuzzing campaign (benchmarks/fuzz.py runs 10,000+ cases).

Mutants of valid files of every format go through the real batch stages: no exception may
escape, no record may become an internal error, and every file must be accounted for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fuzzing import MUTATIONS, Case, fuzz_options, make_cases, mutant, run_case, seed_files

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
