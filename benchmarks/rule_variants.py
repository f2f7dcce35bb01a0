"""Does a rule pay? The pipeline column of generalize.py, once per variant of the rules.

A variant retires one rule (a shape rule, a positional step) or moves one threshold back to
the value it had before a one-page fix. Text-level variants replay the cleaner: one real
pipeline run per corpus records what `clean_document` was given for every page (after site
repeats were cut), and each variant cleans those inputs again, so a variant costs seconds,
not a pipeline run. Page-level variants (the named-box shares of extract/boxes.py) change
extraction, so each is one more real pipeline run. Scores are generalize.py's: token F1 per
page, macro averaged per corpus (daniel with its title), snippets recall and leak.

    python benchmarks/rule_variants.py                      # every corpus, every variant
    python benchmarks/rule_variants.py --corpora rtl,news_txt --variants retire:citation
    python benchmarks/rule_variants.py --count     # the cleaner's rules: sites and pages cut on
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generalize  # noqa: E402  (benchmarks/ is not a package)
import quality  # noqa: E402
from quality import Prediction, averages, score  # noqa: E402

from ingest import boilerplate, stages  # noqa: E402
from ingest.boilerplate import cleaner, lines, phrases, rules  # noqa: E402
from ingest.extract import boxes  # noqa: E402
from ingest.options import Options  # noqa: E402

CACHE = generalize.ROOT / "benchmarks" / ".cache" / "variants"
MIN_TEXT_CHARS = Options(raw_dir=Path("."), out_dir=Path(".")).min_text_chars


@dataclass(frozen=True)
class Variant:
    """A named change of the rules; `page_level` ones need a pipeline run of their own."""

    name: str
    patch: Callable[[], Callable[[], None]]  # applies the change, returns its undo
    page_level: bool = False


def _setting(module, name: str, value) -> Callable[[], Callable[[], None]]:
    def patch() -> Callable[[], None]:
        old = getattr(module, name)
        setattr(module, name, value)
        return lambda: setattr(module, name, old)

    return patch


def _without(module, table: str, rule_id: str) -> Callable[[], Callable[[], None]]:
    """A table of named rules without one of them."""

    def patch() -> Callable[[], None]:
        old = getattr(module, table)
        setattr(module, table, tuple(r for r in old if r.id != rule_id))
        return lambda: setattr(module, table, old)

    return patch


def _without_family(family_id: str) -> Callable[[], Callable[[], None]]:
    """The phrase book built without one phrase family (its lists read as empty)."""

    def patch() -> Callable[[], None]:
        old = phrases.PHRASE_FAMILIES
        phrases.PHRASE_FAMILIES = tuple(
            replace(f, path=("retired",)) if f.id == family_id else f for f in old
        )
        phrases.phrase_book.cache_clear()

        def undo() -> None:
            phrases.PHRASE_FAMILIES = old
            phrases.phrase_book.cache_clear()

        return undo

    return patch


def retired(rule_id: str) -> Variant:
    """`retire:<id>` for a shape rule, an edge rule (edges.<id>), a step or a phrase family."""
    if rule_id.startswith("edges."):
        return Variant(f"retire:{rule_id}", _without(rules, "EDGE_RULES", rule_id[6:]))
    if any(rule.id == rule_id for rule in rules.RULES):
        return Variant(f"retire:{rule_id}", _without(rules, "RULES", rule_id))
    if any(family.id == rule_id for family in phrases.PHRASE_FAMILIES):
        return Variant(f"retire:{rule_id}", _without_family(rule_id))
    return Variant(f"retire:{rule_id}", _without(lines, "SHAPE_RULES", rule_id))


def variants(names: Iterable[str] = ()) -> dict[str, Variant]:
    rare = ("media_teaser", "follow_prompt", "edges.dump_chrome", "credit.contains")
    found = [Variant("baseline", lambda: lambda: None)]
    found += [retired(rule) for rule in rare]
    found += [retired(name.removeprefix("retire:")) for name in names if name.startswith("retire:")]
    found += [
        Variant("retire:inline", _setting(cleaner, "_cut_inline", lambda lines, layout: None)),
        Variant("story_share:0.5", _setting(boxes, "MAX_STORY_SHARE", 0.5), page_level=True),
    ]
    return {v.name: v for v in found}


# --- recording what the cleaner is given ------------------------------------------------


@contextmanager
def recording(folder: Path) -> Iterator[None]:
    """Every `clean_document` call of the run, with its page's source, appended to a file per
    process (pool workers are forked, so they inherit the patch)."""
    strip, clean = stages._strip, boilerplate.clean_document

    def recorded_strip(article, site_model, *rest) -> None:
        def recorded_clean(text: str, **kwargs):
            with (folder / f"{os.getpid()}.pkl").open("ab") as out:
                pickle.dump((article.source, text, kwargs), out)
            return clean(text, **kwargs)

        boilerplate.clean_document = recorded_clean
        try:
            strip(article, site_model, *rest)
        finally:
            boilerplate.clean_document = clean

    stages._strip = recorded_strip
    try:
        yield
    finally:
        stages._strip = strip


def _read_records(folder: Path) -> dict[str, tuple[str, dict]]:
    found: dict[str, tuple[str, dict]] = {}
    for path in folder.glob("*.pkl"):
        with path.open("rb") as records:
            while True:
                try:
                    source, text, kwargs = pickle.load(records)
                except EOFError:
                    break
                found[source] = (text, kwargs)
    return found


def pipeline_run(name: str, files: dict[str, bytes], workers: int, *, record: bool) -> tuple:
    """The pipeline's predictions per input path and, when recording, the cleaner's inputs."""
    options = {"workers": workers, "near_duplicates": False}
    if not record:
        return quality.run(files, options), {}
    with tempfile.TemporaryDirectory(prefix="newsclean-variants-") as tmp, recording(Path(tmp)):
        predictions = quality.run(files, options)
        return predictions, _read_records(Path(tmp))


def recorded(name: str, files: dict[str, bytes], workers: int, key: str | None = None) -> tuple:
    """The recorded run of `name`, cached under the code's key, or under `key`: the inputs of
    the cleaner do not change with the cleaner's own code, so a run recorded before a change
    of the rules can be replayed after it."""
    path = CACHE / f"inputs-{name}-{key or generalize.pipeline_key()}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = pipeline_run(name, files, workers, record=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pickle.dumps(value))
    return value


def replay(inputs: dict[str, tuple[str, dict]], base: dict[str, Prediction]) -> dict:
    """Predictions of the cleaner on the recorded inputs (a page whose text ends too short
    is a reject, as in the pipeline; pages the cleaner never saw keep the run's answer)."""
    lines._analyse.cache_clear()
    out = dict(base)
    for source, (text, kwargs) in inputs.items():
        result = boilerplate.clean_document(text, **kwargs)
        short = len(result.text.strip()) < MIN_TEXT_CHARS
        out[source] = None if short else Prediction(result.text, result.title)
    return out


def count_rules(corpora: list[str], workers: int, key: str | None) -> None:
    """Sites and pages each cleaner rule (step, branch, label) cut on, from the rule ids of
    the recorded inputs cleaned again: generalize.py --rules without a pipeline run."""
    pages: dict[str, Counter[str]] = defaultdict(Counter)
    sites: dict[str, set[str]] = defaultdict(set)
    for corpus in corpora:
        cases, files = generalize.load(corpus)
        by_path = {case.relpath: case for case in cases}
        _, inputs = recorded(corpus, files, workers, key)
        for source, (text, kwargs) in inputs.items():
            removed = boilerplate.clean_document(text, **kwargs).removed
            for part in {p for r in removed for p in generalize.rule_parts(r.rule or r.kind)}:
                pages[part][corpus] += 1
                sites[part].add(generalize.site_of(by_path[source]))
    print(f"{'rule':<44} {'sites':>6} {'pages':>6}  pages per corpus")
    for part in sorted(pages, key=lambda k: (-len(sites[k]), k)):
        spread = ", ".join(f"{c} {n}" for c, n in pages[part].most_common())
        print(f"{part:<44} {len(sites[part]):>6} {sum(pages[part].values()):>6}  {spread}")


# --- scores -------------------------------------------------------------------------------


def corpus_scores(name: str, cases, predictions: dict) -> dict[str, float]:
    chosen = [predictions.get(c.relpath) for c in cases]
    if name == "snippets":
        kept = leaked = n_with = n_without = 0
        for case, prediction in zip(cases, chosen, strict=True):
            body = quality.normalized(prediction.text) if prediction else ""
            kept += sum(quality.normalized(s) in body for s in case.data["with"])
            leaked += sum(quality.normalized(s) in body for s in case.data["without"])
            n_with += len(case.data["with"])
            n_without += len(case.data["without"])
        return {"recall": kept / max(n_with, 1), "leak": leaked / max(n_without, 1)}
    scores = [score(c, _titled(name, p)) for c, p in zip(cases, chosen, strict=True)]
    precision, recall, f1, _ = averages(scores)
    return {"f1": f1, "precision": precision, "recall": recall, "n": len(scores)}


def _titled(name: str, prediction: Prediction | None) -> Prediction | None:
    if prediction is None or name not in generalize.WITH_TITLE or not prediction.title:
        return prediction
    return Prediction(f"{prediction.title}\n\n{prediction.text}", prediction.title)


def print_table(results: dict[str, dict[str, dict[str, float]]], corpora: list[str]) -> None:
    print(f"{'variant':<30} " + " ".join(f"{c[:13]:>13}" for c in corpora) + "    all HTML")
    base = results["baseline"]
    for name, table in results.items():
        cells = []
        for corpus in corpora:
            row = table[corpus]
            if corpus == "snippets":
                cells.append(f"{row['recall']:.4f}/{row['leak']:.2%}")
            else:
                delta = row["f1"] - base[corpus]["f1"]
                cells.append(f"{row['f1']:.4f}" if name == "baseline" else f"{delta:+.4f}")
        overall = _overall(table, corpora) - (0 if name == "baseline" else _overall(base, corpora))
        print(f"{name:<30} " + " ".join(f"{c:>13}" for c in cells) + f"  {overall:+.4f}")


def _overall(table: dict[str, dict[str, float]], corpora: list[str]) -> float:
    html = [c for c in corpora if c not in ("snippets", *generalize.TEXT_CORPORA)]
    pages = sum(table[c]["n"] for c in html)
    return sum(table[c]["f1"] * table[c]["n"] for c in html) / max(pages, 1)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpora", default=",".join(generalize.CORPORA))
    parser.add_argument("--variants", default=",".join(variants()))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--count", action="store_true", help="only count each rule's cuts")
    parser.add_argument("--inputs-from", help="replay the run recorded under this code key")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not quality.EVAL.is_dir():
        print(f"no evaluation data at {quality.EVAL}: nothing to measure")
        return 0
    corpora = args.corpora.split(",")
    if args.count:
        count_rules(corpora, args.workers, args.inputs_from)
        return 0
    names = args.variants.split(",")
    chosen = [variants(names)[name] for name in ["baseline", *names]]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in corpora:
        cases, files = generalize.load(corpus)
        base, inputs = recorded(corpus, files, args.workers, args.inputs_from)
        for variant in dict.fromkeys(chosen):
            undo = variant.patch()
            try:
                if variant.page_level and corpus not in generalize.TEXT_CORPORA:
                    predictions, _ = pipeline_run(corpus, files, args.workers, record=False)
                else:
                    predictions = replay(inputs, base)
            finally:
                undo()
            results.setdefault(variant.name, {})[corpus] = corpus_scores(corpus, cases, predictions)
        same = sum(
            replayed == base.get(source) for source, replayed in replay(inputs, base).items()
        )
        print(
            f"  {corpus}: replay agrees with the run on {same}/{len(base)} pages", file=sys.stderr
        )
    print_table(results, corpora)
    return 0


if __name__ == "__main__":
    sys.exit(main())
