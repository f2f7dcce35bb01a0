"""Body extraction judged on sites nobody tuned on: k-fold cross-validation grouped by site.

Every labelled page takes part: ../shared/eval/train (wcxb, daniel, l3s-gn1) and the dev halves
of news_html, extraction, rtl, snippets and news_txt (dumps: their blocks are lines, scored by a
model of their own). A site's pages are all in one fold (fold =
sha1(site) mod k), so no site is on both sides of a split. Three systems are scored on the
same pages: trafilatura alone (as released, comments off, tables on), today's pipeline
(`run_pipeline`, one run per corpus with one folder per site, as `quality.py` does) and the
learned block scorer (`ingest.extract.scorer`), trained on the other folds with
`train_blocks.fit` and applied to the held-out fold.

The block scorer rescores today's output: a pipeline paragraph goes when every page block it
is made of scores below one bar, a block the pipeline left out comes in when it scores above
the other, and the text rules run again over the result (they cut what the blocks brought).
daniel's truth starts with the headline, so its predictions are title + body for every
system; a block that is the page's title is left out of every page's blocks. Scores are quality.py's: token P, R, F1 per page, macro averaged;
snippets: share of `with` snippets kept (recall) and of `without` snippets kept (leak).

Per-page work (trafilatura, the pipeline run, blocks) and the out-of-fold probabilities are
cached in benchmarks/.cache/generalize, keyed by the code they depend on, so a rerun that
changed neither takes about two minutes.

    python benchmarks/generalize.py                 # every corpus, 5 folds
    python benchmarks/generalize.py --corpora rtl,news_html --folds 3
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
import pickle
import sys
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402  (benchmarks/ is not a package)
from quality import EVAL, Case, Prediction, averages, host, load_jsonl, score, site_path  # noqa: E402

from ingest.boilerplate import clean_document, normalize_whitespace  # noqa: E402
from ingest.extract import blocks as blockmod  # noqa: E402
from ingest.extract.class_words import CHROME_NAME_WORDS, STORY_NAME_WORDS  # noqa: E402
from ingest.extract.scorer import (  # noqa: E402
    Matching,
    Model,
    decide,
    dump_lines,
    match,
    within_reach,
)
from ingest.extract.tree import load_page  # noqa: E402
from ingest.options import Options  # noqa: E402
from ingest.pipeline import run_pipeline  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache" / "generalize"
TRAIN = ("wcxb", "daniel", "l3s-gn1")
CORPORA = (*TRAIN, "news_html", "extraction", "rtl", "snippets", "news_txt")
#: Corpora of plain-text dumps: their blocks are lines, scored by the text model.
TEXT_CORPORA = frozenset({"news_txt"})
WITH_TITLE = frozenset({"daniel"})
#: Whether the text rules run again over the rescored body (they cut what the blocks brought).
RECLEAN = True
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
    matching: Matching | None = None

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


def pipeline_key() -> str:
    """The code today's pipeline depends on; the scorer's files are not part of it (the
    pipeline is run with the line scorer off, see `pipeline_predictions`)."""
    package = ROOT / "src" / "ingest"
    scorer = ("blocks.py", "scorer.py", "block_model.json", "line_scorer.py")
    own = {package / "extract" / name for name in scorer}
    return fingerprint(
        p
        for p in package.rglob("*")
        if p.is_file() and p.suffix in {".py", ".txt", ".json"}
        if p not in own
    )


def cached(name: str, build):
    path = CACHE / name
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = build()
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def trafilatura_alone(data: bytes) -> tuple[str, str | None]:
    doc = trafilatura.bare_extraction(
        data, include_comments=False, include_tables=True, with_metadata=True
    )
    if doc is None:
        return "", None
    return doc.text or "", doc.title


def page_blocks(data: bytes) -> tuple[list[blockmod.Block], str, str | None]:
    text, title = trafilatura_alone(data)
    tree = load_page(data)
    return (blockmod.segment(tree) if tree is not None else []), text, title


def read_dump(data: bytes) -> tuple[list[blockmod.Block], str, None]:
    text = data.decode("utf-8", errors="replace")
    return blockmod.line_blocks(text), text, None


def pipeline_predictions(name: str, files: dict[str, bytes], workers: int) -> dict:
    """Today's pipeline: the rules alone, the learned scorer being the system judged."""
    options = {"workers": workers, "near_duplicates": False, "line_scorer": False}
    return cached(f"pipeline-{name}-{pipeline_key()}.pkl", lambda: quality.run(files, options))


def segmentation_key() -> str:
    """The code that cuts pages into blocks (not the features computed from them)."""
    parts = [
        inspect.getsource(f)
        for f in (blockmod.segment, blockmod.line_blocks, blockmod.name_words, blockmod.Block)
    ]
    words = (blockmod.BLOCK_TAGS, blockmod.SKIP_TAGS, CHROME_NAME_WORDS, STORY_NAME_WORDS)
    parts += [repr(sorted(w)) for w in words]
    parts += [repr(blockmod._LANDMARKS), repr(sorted(blockmod._LISTS)), trafilatura.__version__]
    return hashlib.sha1("".join(parts).encode()).hexdigest()[:12]


def extracted_blocks(name: str, cases, files, workers: int) -> list:
    key = segmentation_key()

    def build():
        jobs = [files[c.relpath] for c in cases]
        with ProcessPoolExecutor(workers) as pool:
            work = read_dump if name in TEXT_CORPORA else page_blocks
            return list(pool.map(work, jobs, chunksize=8))

    return cached(f"blocks-{name}-{key}.pkl", build)


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


def build_pages(name: str, workers: int) -> list[Page]:
    cases, files = load(name)
    pipe = pipeline_predictions(name, files, workers)
    extracted = extracted_blocks(name, cases, files, workers)
    pages = []
    for case, (blocks, text, title) in zip(cases, extracted, strict=True):
        page = Page(name, case, site_of(case), Prediction(text, title), pipe.get(case.relpath))
        if page.kind == "text":  # as the pipeline reads a dump (scorer.rescore_dump)
            text = normalize_whitespace(text)
            kept, page.texts = dump_lines(text, page.pipe.title if page.pipe else None)
        else:
            titles = {match_text(t) for t in (title, page.pipe.title if page.pipe else None) if t}
            kept = [b for b in blocks if match_text(b.text) not in titles]
            page.texts = [match_text(b.text) for b in kept]
        page.labels = label(page, page.texts)
        page.rows = blockmod.features(kept, text, page.pipe.text if page.pipe else "")
        pages.append(page)
    add_site_repetition(pages)
    for page in pages:
        sizes = np.array([max(len(t.split()), 1) for t in page.texts], dtype=np.float64)
        known = page.labels >= 0
        page.weights = np.where(known, sizes / max(sizes[known].sum(), 1.0), 0.0)
    return pages


def add_site_repetition(pages: list[Page]) -> None:
    """Fill site_share and site_pages: how many of the site's other pages hold each block.

    Not for dumps: the pipeline scores a dump's lines on the dump alone."""
    by_site: dict[str, list[Page]] = defaultdict(list)
    for page in pages:
        if page.kind == "html":
            by_site[page.site].append(page)
    share = blockmod.FEATURES.index("site_share")
    count = blockmod.FEATURES.index("site_pages")
    for members in by_site.values():
        seen: Counter[str] = Counter()
        for page in members:
            seen.update(set(page.texts))
        for page in members:
            if page.rows is None or not len(page.rows):
                continue
            others = len(members) - 1
            page.rows[:, share] = [(seen[t] - 1) / others if others else 0.0 for t in page.texts]
            page.rows[:, count] = np.log1p(others)


# --- the systems -------------------------------------------------------------------------


def with_title(page: Page, prediction: Prediction | None) -> Prediction | None:
    if prediction is None or page.corpus not in WITH_TITLE or not prediction.title:
        return prediction
    return Prediction(f"{prediction.title}\n\n{prediction.text}", prediction.title)


def new_method(page: Page, probabilities: np.ndarray, drop: float, add: float) -> Prediction:
    if page.matching is None:
        page.matching = match(page.pipe.text if page.pipe else "", page.texts)
    matching = page.matching
    if page.kind == "text":  # as scorer.rescore_dump decides
        matching = within_reach(matching, probabilities, drop, add)
    text = decide(matching, probabilities, drop, add)
    if RECLEAN and text:
        title = page.pipe.title if page.pipe else None
        text = clean_document(text, from_html=True, title=title).text
    return Prediction(text, page.pipe.title if page.pipe else page.traf.title)


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


def cross_validate(pages: list[Page], k: int) -> dict[int, np.ndarray]:
    """Probabilities of every page's blocks from a model that never saw the page's site."""
    import train_blocks

    out: dict[int, np.ndarray] = {}
    for kind in sorted({p.kind for p in pages}):
        for fold in range(k):
            train = [p for p in pages if p.kind == kind and fold_of(p.site, k) != fold]
            model = Model.from_dict(train_blocks.fit(train))
            for i, page in enumerate(pages):
                if page.kind == kind and fold_of(page.site, k) == fold:
                    out[i] = model.probabilities(page.rows)
            print(f"  {kind} fold {fold + 1}/{k}: fitted on {len(train)} pages", file=sys.stderr)
    return out


def report(
    pages: list[Page], probabilities: dict[int, np.ndarray], drop: float, add: float
) -> dict:
    systems = {
        "trafilatura alone": [p.traf for p in pages],
        "today's pipeline": [p.pipe for p in pages],
        "block scorer": [new_method(p, probabilities[i], drop, add) for i, p in enumerate(pages)],
    }
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


def out_of_fold(pages: list[Page], k: int) -> dict[int, np.ndarray]:
    """cross_validate's probabilities, cached under the code and settings they depend on."""
    import train_blocks

    fit_code = "".join(
        inspect.getsource(f) for f in (train_blocks.fit, train_blocks.training_set, label)
    )
    settings = f"{fit_code}{train_blocks.SETTINGS}".encode()
    key = fingerprint([ROOT / "src" / "ingest" / "extract" / "blocks.py"])
    key += hashlib.sha1(settings).hexdigest()[:8]
    corpora = "-".join(sorted({p.corpus for p in pages}))
    name = f"oof-{hashlib.sha1(corpora.encode()).hexdigest()[:8]}-{k}-{key}-{pipeline_key()}.pkl"
    return cached(name, lambda: cross_validate(pages, k))


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


def sweep(pages: list[Page], probabilities: dict[int, np.ndarray]) -> None:
    """Mean F1 per corpus for a grid of the two bars (the model file records its choice)."""
    corpora = sorted({p.corpus for p in pages if p.corpus != "snippets"})
    print("\ndrop  add   " + " ".join(f"{c[:10]:>10}" for c in corpora))
    for drop in (0.2, 0.35, 0.5):
        for add in (0.5, 0.7, 0.85, 1.01):
            cells = []
            for corpus in corpora:
                members = [i for i, p in enumerate(pages) if p.corpus == corpus]
                predictions = [new_method(pages[i], probabilities[i], drop, add) for i in members]
                cells.append(averages(scores_of([pages[i] for i in members], predictions))[2])
            print(f"{drop:<5} {add:<5} " + " ".join(f"{c:>10.4f}" for c in cells))


def main(argv: Iterable[str] | None = None) -> int:
    import train_blocks

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpora", default=",".join(CORPORA))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drop", type=float, default=train_blocks.DROP_BELOW)
    parser.add_argument("--add", type=float, default=train_blocks.ADD_FROM)
    parser.add_argument("--sweep", action="store_true", help="also print F1 for a grid of bars")
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
    started = time.perf_counter()
    pages: list[Page] = []
    for name in args.corpora.split(","):
        pages += build_pages(name, args.workers)
        print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)
    probabilities = out_of_fold(pages, args.folds)
    sites = len({p.site for p in pages})
    print(f"\n{len(pages)} pages, {sites} sites, {args.folds} folds grouped by site")
    print(f"block scorer: drop below {args.drop}, add from {args.add}")
    table = report(pages, probabilities, args.drop, args.add)
    if args.sweep:
        sweep(pages, probabilities)
    if args.json:
        args.json.write_text(json.dumps(table, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
