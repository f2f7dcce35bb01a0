"""Fit the dump headline ranker on every labelled dump and write
src/ingest/boilerplate/dump_title_model.json.

The pool: the plain-text dumps with truth titles that quality.py makes (news_txt, the dev
dumps, and wcxb_txt, daniel_txt and l3s_txt, the train halves dumped the same way). Each
corpus runs through the real pipeline in this process, one folder per site, with the rule in
place of the ranker; a recorder keeps each dump's candidates and features as
`ingest.boilerplate.headline.headline_choice` computes them. A candidate is right when the
title it would become (stage 2's `site_title`: the site's repeated parts and its host cut)
equals the truth under quality.py's comparison.

The ranker is LightGBM's lambdarank, one query per dump, deterministic, with train_titles.py's
settings and its fitting, cross-validation and report. Scores are exact
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402
from train_titles import FOLDS, fit, grouped_cv, ranker_record, report, title_right  # noqa: E402

import ingest.stages as stages  # noqa: E402
from ingest.boilerplate import dump_title, headline  # noqa: E402
from ingest.boilerplate.dump_title import FEATURES, MODEL_FILE  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ingest" / "boilerplate" / MODEL_FILE
POOL = ("news_txt", "wcxb_txt", "daniel_txt", "l3s_txt")


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


def read_corpus(name: str) -> list[Dump]:
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
        dump = Dump(name, folder, title_right(case, prediction.title if prediction else None))
        found = next((v for k, v in recorder.seen.items() if k.endswith(case.relpath)), None)
        if found is not None:
            finals, rows, candidates, rule = found
            dump.right = np.array([title_right(case, t) for t in finals])
            dump.rows, dump.rule = rows, candidates.index(rule)
        dumps.append(dump)
    return dumps


def _options() -> dict:
    return {
        "workers": 1,  # the recorder sees this process's calls only
        "site_repeat_min_docs": quality.Options.site_repeat_min_docs,
        "near_duplicates": False,
    }


def chosen_right(dump: Dump, booster) -> bool:
    if dump.rows is None or len(dump.rows) < 2:
        return dump.rule_right
    pick = int(np.argmax(booster.predict(dump.rows)))
    return dump.rule_right if pick == dump.rule else bool(dump.right[pick])


def fit_dumps(dumps: list[Dump]):
    """The ranker over the dumps with a choice to make."""
    return fit(dumps, FEATURES, min_rows=2)


def cross_validate(dumps: list[Dump]) -> dict[str, dict[str, int]]:
    return grouped_cv(
        dumps,
        fit_dumps,
        lambda dump, booster: {
            "dumps": 1,
            "rule": dump.rule_right,
            "ranker": chosen_right(dump, booster),
            "reachable": dump.rule_right or bool(dump.right is not None and dump.right.any()),
        },
    )


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cv-only", action="store_true", help="cross-validate, write nothing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not quality.EVAL.is_dir():
        print(f"no evaluation data at {quality.EVAL}: nothing to measure")
        return 0
    dumps = [d for name in POOL for d in read_corpus(name)]
    table = cross_validate(dumps)
    print(f"exact dump titles, {FOLDS}-fold cross-validation grouped by site")
    report(table, ("dumps", "rule"))
    if not args.cv_only:
        trained_on = {
            "dumps": len(dumps),
            "corpora": sorted({d.corpus for d in dumps}),
            "sites": len({(d.corpus, d.site) for d in dumps}),
        }
        record = ranker_record(fit_dumps(dumps), FEATURES, trained_on, table)
        OUT.write_text(json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
