"""Body extraction judged on sites nobody tuned on: k-fold cross-validation grouped by site.

Every labelled page takes part: ../shared/eval/train (wcxb, daniel, l3s-gn1) and the dev halves
of news_html, extraction, rtl, snippets and news_txt (dumps: their blocks are lines, scored by a
model of their own). A site's pages are all in one fold (fold = sha1(site) mod k), so no site
is on both sides of a split. Three systems are scored on the same pages:

- trafilatura alone (as released, comments off, tables on; a dump as is);
- the pipeline with the rules alone (`run_pipeline` with both learned scorers off, one run
  per corpus with one folder per site, as `quality.py` does);
- the pipeline as wired, both scorers on (`ingest.extract.page_scorer` for HTML pages,
  `ingest.extract.line_scorer` for dumps), each page scored by a model fitted
  (`train_blocks.fit`) on the other folds only.

The rules-only run also records, per HTML page, the blocks and features its extraction hands
the block scorer (the scorer's cut is replaced by a recorder, so the body is unchanged): the
folds' models are trained on exactly what the wired pipeline computes. daniel's truth starts
with the headline, so its predictions are title + body for every system. Scores are
quality.py's: token P, R, F1 per page, macro averaged; snippets: share of `with` snippets
kept (recall) and of `without` snippets kept (leak).

Runs, trafilatura's answers and the folds' models are cached in benchmarks/.cache/generalize,
keyed by the code they depend on.

    python benchmarks/generalize.py                 # every corpus, 5 folds
    python benchmarks/generalize.py --corpora rtl,news_html --folds 3
    python benchmarks/generalize.py --drop 0.35 --add 1.01   # the block scorer's two bars
    python benchmarks/generalize.py --fast          # trafilatura without its fallbacks
    python benchmarks/generalize.py --rules         # each rule: sites and pages it cut on, from
                                                    # the rule id each cut records
    python benchmarks/generalize.py --titles        # exact titles per corpus, the same folds
                                                    # (benchmarks/train_titles.py --cv-only)
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import inspect
import json
import os
import pickle
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402  (benchmarks/ is not a package)
from quality import EVAL, Case, Prediction, averages, host, load_jsonl, score, site_path  # noqa: E402

from ingest import stages  # noqa: E402
from ingest.boilerplate import normalize_whitespace  # noqa: E402
from ingest.extract import blocks as blockmod  # noqa: E402
from ingest.extract import page as extract_page  # noqa: E402
from ingest.extract import page_scorer, scorer  # noqa: E402
from ingest.extract.scorer import Model, dump_lines  # noqa: E402
from ingest.options import Options  # noqa: E402
from ingest.pipeline import run_pipeline  # noqa: E402
from ingest.steps import Step  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "generalize"
TRAIN = ("wcxb", "daniel", "l3s-gn1")
CORPORA = (*TRAIN, "news_html", "extraction", "rtl", "snippets", "news_txt")
#: Corpora of plain-text dumps: their blocks are lines, scored by the text model.
TEXT_CORPORA = frozenset({"news_txt"})
WITH_TITLE = frozenset({"daniel"})
#: Options of every pipeline run here: near duplicates would hide pages of a corpus.
BASE_OPTIONS = {"near_duplicates": False}
warnings.filterwarnings("ignore", module="dateutil")  # trafilatura's date search on old pages
_INVISIBLE_MARKS = str.maketrans("", "", "\u200e\u200f\ufeff")


@dataclass
class Page:
    """One labelled page and everything computed from it once."""

    corpus: str
    case: Case
    site: str
    traf: Prediction
    pipe: Prediction | None = None
    texts: list[str] = field(default_factory=list)  # normalised block texts
    rows: np.ndarray | None = None  # block features
    labels: np.ndarray | None = None  # 1 story, 0 chrome, -1 unknown
    weights: np.ndarray | None = None

    @property
    def kind(self) -> str:
        return "text" if self.corpus in TEXT_CORPORA else "html"


# --- the pages ---------------------------------------------------------------------------


def train_cases(name: str) -> tuple[list[Case], dict[str, bytes]]:
    folder = EVAL / "train" / name
    cases, files = [], {}
    for t in load_jsonl(folder / "truth.jsonl"):
        site = host(t.get("url")) or t["source"].rsplit("/", 1)[-1].removeprefix("www.")
        case = Case(t["id"], site_path(site, t["id"] + ".html"), t["lang"], t["body"])
        cases.append(case)
        files[case.relpath] = gzip.decompress((folder / f"{t['id']}.html.gz").read_bytes())
    return cases, files


def rtl_cases() -> tuple[list[Case], dict[str, bytes]]:
    folder = EVAL / "rtl" / "dev"
    cases = [
        Case(t["id"], site_path(host(t.get("url")), t["id"] + ".html"), t["lang"], t["body"])
        for t in load_jsonl(folder / "truth.jsonl")
    ]
    return cases, {c.relpath: (folder / (c.id + ".html")).read_bytes() for c in cases}


def load(name: str) -> tuple[list[Case], dict[str, bytes]]:
    if name in TRAIN:
        return train_cases(name)
    if name == "rtl":
        return rtl_cases()
    return quality.LOADERS[name]()


def site_of(case: Case) -> str:
    return case.relpath.rsplit("/", 1)[0] if "/" in case.relpath else case.id


def fold_of(site: str, k: int) -> int:
    return int(hashlib.sha1(site.encode()).hexdigest(), 16) % k


# --- per-page work, cached ---------------------------------------------------------------


def fingerprint(paths: Iterable[Path]) -> str:
    digest = hashlib.sha1(trafilatura.__version__.encode())
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pipeline_key(exclude: frozenset[str] = frozenset({"block_model.json"})) -> str:
    """The code a pipeline run depends on, the files named in `exclude` aside (the model file:
    the runs that record the scorer's features do not use it, and the scored runs use the
    folds' models)."""
    package = ROOT / "src" / "ingest"
    return fingerprint(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in {".py", ".txt", ".json"}
        if p.name not in exclude
    )


#: What a recording run does not run: the scorers' decisions (their cut is replaced by the
#: recorder, the line scorer is off) and the model file.
DECISIONS = frozenset({"block_model.json", "scorer.py", "page_scorer.py", "line_scorer.py"})


def recording_key() -> str:
    """The code a recording run depends on: the pipeline's, less DECISIONS, plus what it
    still reads of them (the blocks that may be body, as extraction chooses them)."""
    read = inspect.getsource(page_scorer.body_blocks) + inspect.getsource(scorer.match_text)
    return pipeline_key(DECISIONS) + hashlib.sha1(read.encode()).hexdigest()[:6]


def cached(name: str, build):
    path = CACHE / name
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def trafilatura_alone(data: bytes) -> Prediction:
    doc = trafilatura.bare_extraction(
        data, include_comments=False, include_tables=True, with_metadata=True
    )
    if doc is None:
        return Prediction("", None)
    return Prediction(doc.text or "", doc.title)


def trafilatura_predictions(name: str, cases, files, workers: int) -> list[Prediction]:
    """trafilatura as released on each page (a dump: as is)."""
    if name in TEXT_CORPORA:
        return [Prediction(files[c.relpath].decode("utf-8", "replace"), None) for c in cases]

    def build():
        with ProcessPoolExecutor(workers) as pool:
            jobs = [files[c.relpath] for c in cases]
            return list(pool.map(trafilatura_alone, jobs, chunksize=8))

    return cached(f"trafilatura-{name}-{trafilatura.__version__}.pkl", build)


#: The source of the page a pipeline process works on (set by `per_page`).
_CURRENT = [""]


@contextmanager
def per_page() -> Iterator[None]:
    """Note which page each stage works on, for the patches below (forked pool workers
    inherit them)."""
    steps, strip = stages.EXTRACT_STEPS, stages._strip
    extract = steps[0].run

    def noted_extract(raw, context):
        _CURRENT[0] = raw.source
        return extract(raw, context)

    def noted_strip(article, *rest):
        _CURRENT[0] = article.source
        return strip(article, *rest)

    stages.EXTRACT_STEPS = (Step(steps[0].name, noted_extract), *steps[1:])
    stages._strip = noted_strip
    try:
        yield
    finally:
        stages.EXTRACT_STEPS, stages._strip = steps, strip


@contextmanager
def recording(folder: Path) -> Iterator[None]:
    """The block scorer's cut replaced by a recorder: each page's body blocks and features,
    as extraction computes them, go to a file per process, and the body stays as it is."""
    cut = extract_page.cut_chrome

    def record(body, blocks, extracted, headlines):
        kept, texts = page_scorer.body_blocks(blocks, headlines)
        rows = blockmod.features(kept, extracted, body)
        with (folder / f"{os.getpid()}.pkl").open("ab") as out:
            pickle.dump((_CURRENT[0], texts, rows), out)
        return body, []

    extract_page.cut_chrome = record
    try:
        yield
    finally:
        extract_page.cut_chrome = cut


def _read_records(folder: Path) -> dict[str, tuple[list[str], np.ndarray]]:
    found = {}
    for path in folder.glob("*.pkl"):
        with path.open("rb") as records:
            while True:
                try:
                    source, texts, rows = pickle.load(records)
                except EOFError:
                    break
                found[source] = (texts, rows)
    return found


@contextmanager
def trafilatura_options(changes: dict) -> Iterator[None]:
    """Extraction's trafilatura call with `changes` to its options ({"fast": True}: without
    its fallback extractors), here and in the pool workers forked meanwhile."""
    options = extract_page.TRAFILATURA_OPTIONS
    saved = dict(options)
    options.update(changes)
    try:
        yield
    finally:
        options.clear()
        options.update(saved)


def rules_run(name: str, files: dict[str, bytes], workers: int, extraction: dict) -> tuple:
    """The pipeline with the rules alone (both scorers off in effect) and `extraction`'s
    changes to trafilatura's options, and per HTML page the blocks and features its
    extraction gives the block scorer."""

    def build() -> tuple:
        options = {**BASE_OPTIONS, "workers": workers, "line_scorer": False}
        if name in TEXT_CORPORA:
            return quality.run(files, {**options, "block_scorer": False}), {}
        with (
            tempfile.TemporaryDirectory(prefix="newsclean-generalize-") as tmp,
            per_page(),
            recording(Path(tmp)),
            trafilatura_options(extraction),
        ):
            predictions = quality.run(files, {**options, "block_scorer": True})
            return predictions, _read_records(Path(tmp))

    variant = hashlib.sha1(repr(sorted(extraction.items())).encode()).hexdigest()[:6]
    return cached(f"rules-{name}-{variant}-{recording_key()}.pkl", build)


def scored_run(
    name: str, files: dict[str, bytes], workers: int, extraction: dict, models: FoldModels
) -> dict:
    """The wired pipeline (block scorer and line scorer on), each page scored by the model
    of its fold: fitted on the other folds' sites only."""
    sites = {c.relpath: site_of(c) for c in load(name)[0]}
    load_model = scorer.load_model

    def fold_model(kind: str = "html") -> Model:
        return models.models[kind][fold_of(sites[_CURRENT[0]], models.k)]

    def build() -> dict:
        options = {**BASE_OPTIONS, "workers": workers}
        scorer.load_model = fold_model
        try:
            with per_page(), trafilatura_options(extraction):
                return quality.run(files, {**options, "block_scorer": True, "line_scorer": True})
        finally:
            scorer.load_model = load_model

    variant = hashlib.sha1(repr(sorted(extraction.items())).encode()).hexdigest()[:6]
    return cached(f"scored-{name}-{variant}-{models.key}-{pipeline_key()}.pkl", build)


def match_text(text: str) -> str:
    return blockmod.normalized(text.translate(_INVISIBLE_MARKS))


def label(page: Page, texts: list[str]) -> np.ndarray:
    """1 for a block of the truth body, 0 for chrome, -1 where the truth does not say."""
    if page.corpus == "snippets":
        keep = [match_text(s) for s in page.case.data["with"]]
        drop = [match_text(s) for s in page.case.data["without"]]
        return np.array(
            [
                1 if any(s in t for s in keep) else 0 if any(s in t for s in drop) else -1
                for t in texts
            ]
        )
    truth = match_text(page.case.body)
    bag = quality.token_bag(page.case.body, page.case.lang)
    out = []
    for text in texts:
        if text in truth:
            out.append(1)
            continue
        tokens = quality.token_bag(text, page.case.lang)
        total = sum(tokens.values())
        out.append(int(total >= 8 and sum((tokens & bag).values()) >= 0.9 * total))
    return np.array(out)


def build_pages(name: str, workers: int, extraction: dict) -> list[Page]:
    """The corpus's pages with the rules-only pipeline's answers, and their blocks with
    features and labels: HTML blocks as extraction recorded them, dump lines as
    `scorer.rescore_dump` reads them."""
    cases, files = load(name)
    pipe, records = rules_run(name, files, workers, extraction)
    alone = trafilatura_predictions(name, cases, files, workers)
    pages = []
    for case, traf in zip(cases, alone, strict=True):
        page = Page(name, case, site_of(case), traf, pipe.get(case.relpath))
        if page.kind == "text":
            text = normalize_whitespace(files[case.relpath].decode("utf-8", errors="replace"))
            kept, page.texts = dump_lines(text, page.pipe.title if page.pipe else None)
            page.rows = blockmod.features(kept, text, page.pipe.text if page.pipe else "")
        else:
            texts, rows = records.get(case.relpath, ([], np.zeros((0, len(blockmod.FEATURES)))))
            page.texts, page.rows = list(texts), rows
        page.labels = label(page, page.texts)
        sizes = np.array([max(len(t.split()), 1) for t in page.texts], dtype=np.float64)
        known = page.labels >= 0
        page.weights = np.where(known, sizes / max(sizes[known].sum(), 1.0), 0.0)
        pages.append(page)
    return pages


# --- the systems -------------------------------------------------------------------------


def with_title(page: Page, prediction: Prediction | None) -> Prediction | None:
    if prediction is None or page.corpus not in WITH_TITLE or not prediction.title:
        return prediction
    return Prediction(f"{prediction.title}\n\n{prediction.text}", prediction.title)


def scores_of(pages: list[Page], predictions: list[Prediction | None]):
    return [score(p.case, with_title(p, pred)) for p, pred in zip(pages, predictions, strict=True)]


def snippet_rates(pages: list[Page], predictions: list[Prediction | None]) -> tuple[float, float]:
    found = n_with = leaked = n_without = 0
    for page, prediction in zip(pages, predictions, strict=True):
        body = quality.normalized(prediction.text) if prediction else ""
        found += sum(quality.normalized(s) in body for s in page.case.data["with"])
        leaked += sum(quality.normalized(s) in body for s in page.case.data["without"])
        n_with += len(page.case.data["with"])
        n_without += len(page.case.data["without"])
    return found / max(n_with, 1), leaked / max(n_without, 1)


@dataclass(frozen=True)
class FoldModels:
    """Per kind (html, text), the model of each fold, fitted on the other folds' pages."""

    k: int
    key: str
    models: dict[str, list[Model]]


def cross_validate(pages: list[Page], k: int) -> dict[str, list[dict]]:
    """Per kind, one fitted model (as the model file holds it) per fold: fitted on every
    page of the other folds, so it never saw a site of its own fold."""
    import train_blocks

    out: dict[str, list[dict]] = {}
    for kind in sorted({p.kind for p in pages}):
        for fold in range(k):
            train = [p for p in pages if p.kind == kind and fold_of(p.site, k) != fold]
            out.setdefault(kind, []).append(train_blocks.fit(train))
            print(f"  {kind} fold {fold + 1}/{k}: fitted on {len(train)} pages", file=sys.stderr)
    return out


def fold_models(pages: list[Page], k: int, extraction: dict, drop: float, add: float) -> FoldModels:
    """cross_validate's models, cached under the code, settings and extraction (`extraction`'s
    changes to trafilatura's options) they depend on, the HTML models' two bars set to `drop`
    and `add`."""
    import train_blocks

    fit_code = "".join(
        inspect.getsource(f) for f in (train_blocks.fit, train_blocks.training_set, label)
    )
    settings = f"{fit_code}{train_blocks.SETTINGS}{train_blocks.BARS['text']}".encode()
    corpora = "-".join(sorted({p.corpus for p in pages})) + repr(sorted(extraction.items()))
    key = hashlib.sha1(settings + corpora.encode()).hexdigest()[:8]
    fitted = cached(f"folds-{key}-{k}-{recording_key()}.pkl", lambda: cross_validate(pages, k))
    models = {
        kind: [Model.from_dict(m, blockmod.FEATURES) for m in fits] for kind, fits in fitted.items()
    }
    if "html" in models:
        models["html"] = [replace(m, drop_below=drop, add_from=add) for m in models["html"]]
    bars = f"{key}-{k}-{drop}-{add}"
    return FoldModels(k, hashlib.sha1(bars.encode()).hexdigest()[:8], models)


def report(pages: list[Page], systems: dict[str, list[Prediction | None]]) -> dict:
    table: dict = {}
    header = f"{'corpus':<12} {'pages':>5}  " + "  ".join(f"{name:>26}" for name in systems)
    print(header)
    print(f"{'':<12} {'':>5}  " + "  ".join(f"{'F1     P      R':>26}" for _ in systems))
    by_corpus: dict[str, list[int]] = defaultdict(list)
    for i, page in enumerate(pages):
        by_corpus[page.corpus].append(i)
    scored = [i for i, p in enumerate(pages) if p.corpus != "snippets" and p.kind == "html"]
    for corpus, members in [*by_corpus.items(), ("overall HTML", scored)]:
        if corpus == "snippets":
            cells = []
            for name, predictions in systems.items():
                recall, leak = snippet_rates(
                    [pages[i] for i in members], [predictions[i] for i in members]
                )
                table.setdefault(corpus, {})[name] = {"recall": recall, "leak": leak}
                cells.append(f"{'recall':>8} {recall:.3f} leak {leak:5.1%}")
            print(f"{corpus:<12} {len(members):>5}  " + "  ".join(f"{c:>26}" for c in cells))
            continue
        if not members:
            continue
        cells = []
        for name, predictions in systems.items():
            precision, recall, f1, _ = averages(
                scores_of([pages[i] for i in members], [predictions[i] for i in members])
            )
            table.setdefault(corpus, {})[name] = {
                "f1": f1,
                "precision": precision,
                "recall": recall,
            }
            cells.append(f"{f1:.3f}  {precision:.3f}  {recall:.3f}")
        print(f"{corpus:<12} {len(members):>5}  " + "  ".join(f"{c:>26}" for c in cells))
    return table


def evaluate(
    names: list[str], workers: int, k: int, extraction: dict, drop: float, add: float
) -> tuple[list[Page], dict]:
    """The three systems on every page of `names`: prints the table, returns the pages and
    the table."""
    started = time.perf_counter()
    pages: list[Page] = []
    for name in names:
        pages += build_pages(name, workers, extraction)
        print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    models = fold_models(pages, k, extraction, drop, add)
    wired: dict[str, Prediction] = {}
    for name in names:
        wired.update(scored_run(name, load(name)[1], workers, extraction, models))
        print(f"  {name} scored: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    sites = len({p.site for p in pages})
    print(f"\n{len(pages)} pages, {sites} sites, {k} folds grouped by site")
    print(
        f"trafilatura {extraction or 'as shipped'}; block scorer: drop below {drop}, add from {add}"
    )
    systems = {
        "trafilatura alone": [p.traf for p in pages],
        "rules only": [p.pipe for p in pages],
        "pipeline, scorers on": [wired.get(p.case.relpath) for p in pages],
    }
    return pages, report(pages, systems)


def removal_rules(name: str, files: dict[str, bytes], workers: int) -> dict[str, list[str]]:
    """The rule id every cut of today's pipeline recorded, per input path (one run per
    corpus)."""

    def build() -> dict[str, list[str]]:
        with tempfile.TemporaryDirectory(prefix="newsclean-generalize-") as tmp:
            raw, out = Path(tmp) / "raw", Path(tmp) / "out"
            for relpath, data in files.items():
                (raw / relpath).parent.mkdir(parents=True, exist_ok=True)
                (raw / relpath).write_bytes(data)
            options = Options(
                raw_dir=raw,
                out_dir=out,
                write_report=False,
                workers=workers,
                near_duplicates=False,
                line_scorer=False,
            )
            run_pipeline(options)
            rows = pq.read_table(out / "articles", columns=["source", "removed"]).to_pylist()
            return {r["source"]: [c["rule"] or c["kind"] for c in r["removed"]] for r in rows}

    return cached(f"removed-rule-ids-{name}-{pipeline_key()}.pkl", build)


def rule_parts(rule: str) -> list[str]:
    """What a recorded id counts for: its step with its branch ("edges.foreign_script"), and
    the label that named the line's kind ("label date_line"), each on its own."""
    step, _, label = rule.partition(":")
    return [step, *([f"label {label}"] if label else [])]


def rule_table(names: list[str], workers: int) -> None:
    """Per rule (a cleaner step and branch, or a label: a phrase family or shape rule): pages
    and sites it cut on, over the whole pool and per corpus, from the ids the cuts record."""
    pages: dict[str, Counter[str]] = defaultdict(Counter)
    sites: dict[str, set[str]] = defaultdict(set)
    for name in names:
        cases, files = load(name)
        recorded = removal_rules(name, files, workers)
        for case in cases:
            for part in {p for rule in recorded.get(case.relpath, []) for p in rule_parts(rule)}:
                pages[part][name] += 1
                sites[part].add(site_of(case))
    print(f"\n{'rule':<40} {'sites':>6} {'pages':>6}  pages per corpus")
    for part in sorted(pages, key=lambda k: (-len(sites[k]), k)):
        spread = ", ".join(f"{c} {n}" for c, n in pages[part].most_common())
        print(f"{part:<40} {len(sites[part]):>6} {sum(pages[part].values()):>6}  {spread}")


def main(argv: Iterable[str] | None = None) -> int:
    import train_blocks

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    drop, add = train_blocks.BARS["html"]
    parser.add_argument("--drop", type=float, default=drop, help="the HTML scorer's cut bar")
    parser.add_argument("--add", type=float, default=add, help="the HTML scorer's add bar")
    parser.add_argument(
        "--fast", action="store_true", help="trafilatura without its fallback extractors"
    )
    parser.add_argument("--json", type=Path, help="also write the table as JSON here")
    parser.add_argument(
        "--rules", action="store_true", help="only count each rule's cuts by page and site"
    )
    parser.add_argument(
        "--titles", action="store_true", help="only exact titles: train_titles.py's grouped CV"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not EVAL.is_dir():
        print(f"no evaluation data at {EVAL}: nothing to measure")
        return 0
    if args.titles:
        import train_titles

        return train_titles.main(["--cv-only", "--workers", str(args.workers)])
    if args.rules:
        rule_table(args.corpora.split(","), args.workers)
        return 0
    extraction = {"fast": True} if args.fast else {}
    _, table = evaluate(
        args.corpora.split(","), args.workers, args.folds, extraction, args.drop, args.add
    )
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
