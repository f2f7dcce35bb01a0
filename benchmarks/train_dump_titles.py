"""Fit the dump headline ranker on every labelled dump and write
src/ingest/boilerplate/dump_title_model.json.

The pool: the plain-text dumps with truth titles that quality.py makes (news_txt, the dev
dumps, and wcxb_txt, daniel_txt and l3s_txt, the train halves dumped the same way). Each
corpus runs through the real pipeline in this process, one folder per site, with the rule in
place of the ranker; a recorder keeps each dump's candidates and features as
`ingest.boilerplate.headline.headline_choice` computes them. A candidate is right when the
title it would become (stage 2's `site_title`: the site's repeated parts and its host cut)
equals the truth under quality.py's comparison.

The ranker is LightGBM's lambdarank, one query per dump, deterministic. Scores are exact
titles per corpus under 5-fold cross-validation grouped by site (generalize.py's folds): the
pipeline with the rule, the ranker trained on the other folds, and how many dumps any
candidate would get right. A dump whose title does not come from the rule (its first line, a
title the record states) or that the rule finds no headline in keeps the pipeline's title.

    python benchmarks/train_dump_titles.py            # cross-validate, then fit on all and write
    python benchmarks/train_dump_titles.py --cv-only  # cross-validate only
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generalize  # noqa: E402
import quality  # noqa: E402
from train_blocks import trees_record  # noqa: E402

import ingest.stages as stages  # noqa: E402
from ingest.boilerplate import dump_title, headline  # noqa: E402
from ingest.boilerplate.dump_title import FEATURES, MODEL_FILE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ingest" / "boilerplate" / MODEL_FILE
POOL = ("news_txt", "wcxb_txt", "daniel_txt", "l3s_txt")
FOLDS = 5
PARAMS = {
    "objective": "lambdarank",
    "learning_rate": 0.05,
    "num_leaves": 7,
    "min_data_in_leaf": 50,
    "lambdarank_truncation_level": 3,
    "seed": 0,
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 1,
    "verbosity": -1,
}
ROUNDS = 100


@dataclass
class Dump:
    corpus: str
    site: str
    rule_right: bool  # the pipeline's title, with the rule
    rows: np.ndarray | None = None
    right: np.ndarray | None = None
    rule: int | None = None  # the rule's candidate, by position


@dataclass
class Recorder:
    """What `headline_choice` computed for the dump stage 2 is cleaning."""

    current: tuple | None = None  # (source, site, site model)
    seen: dict[str, tuple] = field(default_factory=dict)

    def strip(self, original):
        def wrapped(article, site_model, *args, **kwargs):
            self.current = (article.source, article.site, site_model)
            return original(article, site_model, *args, **kwargs)

        return wrapped

    def choice(self, original):
        def wrapped(layout):
            found = original(layout)
            if found is not None and self.current is not None and found.rule is not None:
                source, site, model = self.current
                texts = [
                    layout.paragraphs[headline._trail_end(layout, i, found.start)].text
                    for i in found.candidates
                ]
                finals = [stages.site_title(t, site, model) for t in texts]
                self.seen.setdefault(source, (finals, found.rows, found.candidates, found.rule))
            return found

        return wrapped


def read_corpus(name: str, workers: int) -> list[Dump]:
    """The corpus's dumps through the pipeline with the rule; candidates, rows and labels."""
    cases, files = quality.LOADERS[name]()
    cases = [c for c in cases if c.title]
    recorder = Recorder()
    saved = stages._strip, headline.headline_choice, dump_title.best
    stages._strip = recorder.strip(stages._strip)
    headline.headline_choice = recorder.choice(headline.headline_choice)
    dump_title.best = lambda rows: int(np.argmax(rows[:, FEATURES.index("rule")]))
    try:
        predictions = quality.run({c.relpath: files[c.relpath] for c in cases}, _options())
    finally:
        stages._strip, headline.headline_choice, dump_title.best = saved
    dumps = []
    for case in cases:
        folder = case.relpath.split("/")[0] if "/" in case.relpath else ""
        prediction = predictions.get(case.relpath)
        dump = Dump(name, folder, _is_right(case, prediction.title if prediction else None))
        found = next((v for k, v in recorder.seen.items() if k.endswith(case.relpath)), None)
        if found is not None:
            finals, rows, candidates, rule = found
            dump.right = np.array([_is_right(case, t) for t in finals])
            dump.rows, dump.rule = rows, candidates.index(rule)
        dumps.append(dump)
    return dumps


def _options() -> dict:
    return {
        "workers": 1,  # the recorder sees this process's calls only
        "site_repeat_min_docs": quality.Options.site_repeat_min_docs,
        "near_duplicates": False,
    }


def _is_right(case: quality.Case, title: str | None) -> bool:
    return quality.same_title(
        quality.normalized(title or ""),
        quality.normalized(case.title or ""),
        lossy=bool(case.data.get("lossy_title")),
    )


def fit(dumps: list[Dump]):
    import lightgbm

    ranked = [d for d in dumps if d.rows is not None and len(d.rows) > 1]
    data = lightgbm.Dataset(
        np.vstack([d.rows for d in ranked]),
        np.concatenate([d.right for d in ranked]).astype(int),
        group=[len(d.rows) for d in ranked],
        feature_name=list(FEATURES),
    )
    return lightgbm.train(PARAMS, data, ROUNDS)


def chosen_right(dump: Dump, booster) -> bool:
    if dump.rows is None or len(dump.rows) < 2:
        return dump.rule_right
    pick = int(np.argmax(booster.predict(dump.rows)))
    return dump.rule_right if pick == dump.rule else bool(dump.right[pick])


def cross_validate(dumps: list[Dump]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for fold in range(FOLDS):
        booster = fit([d for d in dumps if generalize.fold_of(d.site, FOLDS) != fold])
        for dump in dumps:
            if generalize.fold_of(dump.site, FOLDS) == fold:
                row = table[dump.corpus]
                row["dumps"] += 1
                row["rule"] += dump.rule_right
                row["ranker"] += chosen_right(dump, booster)
                row["reachable"] += dump.rule_right or bool(
                    dump.right is not None and dump.right.any()
                )
    return {name: dict(row) for name, row in table.items()}


def report(table: dict[str, dict[str, int]]) -> None:
    print(f"{'corpus':<11} {'dumps':>6} {'rule':>14} {'ranker':>14} {'reachable':>14}")
    total: dict[str, int] = defaultdict(int)
    for row in table.values():
        for key, value in row.items():
            total[key] += value
    for name, row in [*table.items(), ("all", dict(total))]:
        n = row["dumps"]
        cells = [f"{row[k]:>5} = {row[k] / n:.3f}" for k in ("rule", "ranker", "reachable")]
        print(f"{name:<11} {n:>6} " + " ".join(f"{c:>14}" for c in cells))


def model_record(booster, dumps: list[Dump], table: dict) -> dict:
    import lightgbm

    return {
        **trees_record(booster, FEATURES),
        "trained_on": {
            "dumps": len(dumps),
            "corpora": sorted({d.corpus for d in dumps}),
            "sites": len({(d.corpus, d.site) for d in dumps}),
            "library": f"lightgbm {lightgbm.__version__}",
            "params": PARAMS,
            "rounds": ROUNDS,
        },
        "cv_exact_titles": table,
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cv-only", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not quality.EVAL.is_dir():
        print(f"no evaluation data at {quality.EVAL}: nothing to measure")
        return 0
    dumps = [d for name in POOL for d in read_corpus(name, 1)]
    table = cross_validate(dumps)
    print(f"exact dump titles, {FOLDS}-fold cross-validation grouped by site")
    report(table)
    if not args.cv_only:
        record = model_record(fit(dumps), dumps, table)
        OUT.write_text(json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
