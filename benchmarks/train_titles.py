"""Fit the title ranker on every labelled title and write src/ingest/extract/title_model.json.

The pool: every HTML page with a truth title (news_html and rtl dev, and the train halves of
WCXB, DAnIEL and L3S-GN1, whose truths quality.py reads). Each page is read the way
`extract_html` reads it (ruby folded, loose text wrapped, `page_titles`, trafilatura's
metadata) and its candidates and features are the shipped code's
(`ingest.extract.title_choice`). A candidate is right when the title it would become after
stage 2 (the site's repeated title parts and its host's name cut, as `stages._strip` does;
the repeated parts counted over the titles today's vote picks, per corpus, as one run would)
equals the truth under quality.py's comparison.

The ranker is LightGBM's lambdarank, one query per page, deterministic. Scores are exact
titles per corpus, grouped 5-fold cross-validation by site (generalize.py's folds): today's
vote (`choose_title`), the ranker trained on the other folds, and how many pages any
candidate would get right (what no choice among the page's sources can pass).

    python benchmarks/train_titles.py            # cross-validate, then fit on all and write
    python benchmarks/train_titles.py --cv-only  # cross-validate only
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generalize  # noqa: E402
import quality  # noqa: E402
from train_blocks import trees_record  # noqa: E402

from ingest.boilerplate.normalize import normalize_line  # noqa: E402
from ingest.boilerplate.site_lines import SiteLineModel, count_title_parts  # noqa: E402
from ingest.extract.loose import wrap_loose_text  # noqa: E402
from ingest.extract.metadata import page_metadata  # noqa: E402
from ingest.extract.ruby import fold_ruby  # noqa: E402
from ingest.extract.title import (  # noqa: E402
    PageTitles,
    choose_title,
    page_titles,
    strip_site_affixes,
)
from ingest.extract.title_choice import FEATURES, MODEL_FILE, candidates, features  # noqa: E402
from ingest.extract.tree import load_page  # noqa: E402
from ingest.sources.records import host_of  # noqa: E402
from ingest.startup import prepare_process  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "ingest" / "extract" / MODEL_FILE
POOL = ("news_html", "rtl", "wcxb", "daniel", "l3s")
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
#: The code a page's reading depends on: a change to it reads the pages again.
READ_CODE = ("title.py", "tree.py", "ruby.py", "loose.py", "metadata.py", "names.py")


@dataclass
class Read:
    """What extraction knows of a page's title when it chooses one."""

    titles: PageTitles
    title: str | None  # trafilatura's
    site_name: str | None
    host: str | None


@dataclass
class Page:
    corpus: str
    case: quality.Case
    site: str  # as stage 2 sees it: the page's host, else its folder
    read: Read | None
    rule: str | None = None
    texts: tuple[str, ...] = ()
    rows: np.ndarray | None = None
    right: np.ndarray | None = None
    today: bool = False


def read_page(data: bytes) -> Read | None:
    """The page's titles as `extract_html` reads them, before trafilatura edits the tree."""
    prepare_process()
    tree = load_page(data)
    if tree is None:
        return None
    fold_ruby(tree, keep_readings=False)
    wrap_loose_text(tree)
    titles = page_titles(tree)
    try:
        metadata = page_metadata(tree, None)
    except (TypeError, ValueError):
        return Read(titles, None, None, None)
    return Read(titles, metadata.title, metadata.sitename, host_of(metadata.url))


def read_corpus(name: str, workers: int) -> list[Page]:
    cases, files = quality.LOADERS[name]()
    cases = [c for c in cases if c.title]
    code = generalize.fingerprint(ROOT / "src" / "ingest" / "extract" / f for f in READ_CODE)

    def build() -> list[Read | None]:
        with ProcessPoolExecutor(workers) as pool:
            return list(pool.map(read_page, [files[c.relpath] for c in cases], chunksize=8))

    # cached as plain tuples: a pickled Read would name the module that ran the script
    reads = generalize.cached(
        f"titles-{name}-{code}.pkl", lambda: [r and tuple(vars(r).values()) for r in build()]
    )
    pages = []
    for case, fields in zip(cases, reads, strict=True):
        read = Read(*fields) if fields else None
        folder = case.relpath.split("/")[0] if "/" in case.relpath else ""
        pages.append(Page(name, case, (read and read.host) or folder, read))
    return pages


def label(pages: list[Page]) -> None:
    """Candidates, features and labels of one corpus's pages; `today` is the vote's result."""
    for page in pages:
        read = page.read
        if read is not None:
            page.rule = choose_title(
                read.title,
                list(read.titles.headlines),
                read.titles.metadata,
                site_name=read.site_name,
                host=read.host,
            )
    parts = count_title_parts((p.site, p.rule) for p in pages)
    repeats = SiteLineModel.from_counts([parts], min_docs=3)
    for page in pages:
        page.today = is_right(page, final_title(page.rule, page.site, repeats))
        read = page.read
        if read is None:
            continue
        found = candidates(read.title, read.titles, site_name=read.site_name, host=read.host)
        page.texts = tuple(c.text for c in found)
        page.rows = features(
            found, read.titles, site_name=read.site_name, host=read.host, rule=page.rule
        )
        page.right = np.array(
            [is_right(page, final_title(t, page.site, repeats)) for t in page.texts]
        )


def final_title(title: str | None, site: str, repeats: SiteLineModel) -> str | None:
    """The title as stage 2 leaves it (`stages._strip`)."""
    if not title:
        return title
    stripped = repeats.strip_title(normalize_line(title), site) or ""
    return strip_site_affixes(stripped, site_name=None, host=site)


def is_right(page: Page, title: str | None) -> bool:
    return title_right(page.case, title)


def title_right(case: quality.Case, title: str | None) -> bool:
    """Whether `title` is the case's truth title under quality.py's comparison."""
    return quality.same_title(
        quality.normalized(title or ""),
        quality.normalized(case.title or ""),
        lossy=bool(case.data.get("lossy_title")),
    )


def fit(queries: list, features=FEATURES, min_rows: int = 1):
    """The lambdarank booster over the queries (pages, dumps) with `min_rows` candidates or
    more: each holds `rows` of `features` and `right`, its candidates' labels."""
    import lightgbm

    ranked = [q for q in queries if q.rows is not None and len(q.rows) >= min_rows]
    rows = np.vstack([q.rows for q in ranked])
    labels = np.concatenate([q.right for q in ranked]).astype(int)
    data = lightgbm.Dataset(
        rows, labels, group=[len(q.rows) for q in ranked], feature_name=list(features)
    )
    return lightgbm.train(PARAMS, data, ROUNDS)


def chosen_right(page: Page, booster) -> bool:
    if page.rows is None or len(page.rows) < 2:
        return page.today
    return bool(page.right[int(np.argmax(booster.predict(page.rows)))])


def grouped_cv(queries: list, fit_on, score) -> dict[str, dict[str, int]]:
    """Per corpus, the sums of `score(query, booster)` over the queries of each fold, the
    booster fitted by `fit_on` on the other folds (generalize.py's folds, by site)."""
    table: dict[str, Counter] = defaultdict(Counter)
    for fold in range(FOLDS):
        booster = fit_on([q for q in queries if generalize.fold_of(q.site, FOLDS) != fold])
        for query in queries:
            if generalize.fold_of(query.site, FOLDS) == fold:
                table[query.corpus].update(score(query, booster))
    return {name: dict(row) for name, row in table.items()}


def cross_validate(pages: list[Page]) -> dict[str, dict[str, int]]:
    """Per corpus: pages, right today, right with the ranker of the other folds, reachable."""
    return grouped_cv(
        pages,
        fit,
        lambda page, booster: {
            "pages": 1,
            "today": page.today,
            "ranker": chosen_right(page, booster),
            "reachable": bool(page.right is not None and page.right.any()),
        },
    )


def report(table: dict[str, dict[str, int]], columns=("pages", "today")) -> None:
    """The table with an "all" row; `columns` names the count and the baseline's column."""
    count, baseline = columns
    print(f"{'corpus':<11} {count:>6} {baseline:>14} {'ranker':>14} {'reachable':>14}")
    total: Counter = Counter()
    for row in table.values():
        total.update(row)
    for name, row in [*table.items(), ("all", dict(total))]:
        n = row[count]
        cells = [f"{row[k]:>5} = {row[k] / n:.3f}" for k in (baseline, "ranker", "reachable")]
        print(f"{name:<11} {n:>6} " + " ".join(f"{c:>14}" for c in cells))


def ranker_record(booster, features, trained_on: dict, table: dict) -> dict:
    """What a ranker's model file holds: its trees, what it was trained on and its CV."""
    import lightgbm

    return {
        **trees_record(booster, features),
        "trained_on": {
            **trained_on,
            "library": f"lightgbm {lightgbm.__version__}",
            "params": PARAMS,
            "rounds": ROUNDS,
        },
        "cv_exact_titles": table,
    }


def model_record(booster, pages: list[Page], table: dict) -> dict:
    trained_on = {
        "pages": len(pages),
        "corpora": sorted({p.corpus for p in pages}),
        "sites": len({p.site for p in pages}),
    }
    return ranker_record(booster, FEATURES, trained_on, table)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cv-only", action="store_true", help="cross-validate, write nothing")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not quality.EVAL.is_dir():
        print(f"no evaluation data at {quality.EVAL}: nothing to measure")
        return 0
    pages = []
    for name in POOL:
        corpus = read_corpus(name, args.workers)
        label(corpus)
        pages += corpus
    table = cross_validate(pages)
    print(f"exact titles, {FOLDS}-fold cross-validation grouped by site")
    report(table)
    if not args.cv_only:
        record = model_record(fit(pages), pages, table)
        OUT.write_text(json.dumps(record, separators=(",", ":"), sort_keys=True) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
