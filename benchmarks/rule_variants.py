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
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import generalize  # noqa: E402  (benchmarks/ is not a package)
import quality  # noqa: E402
from quality import Prediction, averages, score  # noqa: E402

from ingest import boilerplate, stages  # noqa: E402
from ingest.boilerplate import cleaner, lines, phrases, rules  # noqa: E402
from ingest.extract import blob, boxes, lead, page  # noqa: E402
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
        Variant("markup_share:0", _setting(lines, "MARKUP_SHARE", 0.0)),
        Variant("split_left:any", _setting(blob, "MAX_LEFT_CHARS", 10**9), page_level=True),
        Variant(
            "announced_lists:off",
            _setting(lead, "_announced", lambda blocks, index: False),
            page_level=True,
        ),
        *extraction_steps_off(),
    ]
    return {v.name: v for v in found}


def extraction_steps_off() -> list[Variant]:
    """`off:<step>`: one step of extraction (extract/page.py) left out, a pipeline run each."""
    steps = {
        "wrap_loose_text": (page, "wrap_loose_text", lambda tree: None),
        "prune_named_chrome": (page, "prune_named_chrome", lambda tree, names=None: 0),
        "prune_hidden_microdata": (page, "prune_hidden_microdata", lambda tree: 0),
        "split_page_block": (page, "split_page_block", lambda body, tree: False),
        "drop_headline": (page, "_drop_headline", lambda body, title, headlines: []),
        "cut_boxes": (page, "cut_boxes", lambda body, boxes: []),
        "link_blocks": (lead, "drop_link_blocks", lambda body: []),
        "leading_links": (lead, "drop_leading_links", lambda body: []),
        "trailing_chrome": (lead, "drop_trailing_chrome", lambda body: []),
        "twins": (page, "_with_twins", lambda text, tree, title: text),
        "lead": (page, "_with_lead", lambda text, tree, title: text),
    }
    return [
        Variant(f"off:{name}", _setting(module, attribute, value), page_level=True)
        for name, (module, attribute, value) in steps.items()
    ]


# --- recording what the cleaner is given ------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """One page as stage 2 met it: what the cleaner was given (`text`, `kwargs`), the
    extraction's text before the site repeats were cut, and the cuts made before the
    cleaner's (extraction's `page.*` cuts and the site repeats)."""

    text: str
    kwargs: dict
    extracted: str
    cut_before: tuple = ()


@contextmanager
def recording(folder: Path) -> Iterator[None]:
    """Every `clean_document` call of the run, with its page's source, appended to a file per
    process (pool workers are forked, so they inherit the patch)."""
    strip, clean = stages._strip, boilerplate.clean_document

    def recorded_strip(article, site_model, *rest) -> None:
        extracted = article.text

        def recorded_clean(text: str, **kwargs):
            with (folder / f"{os.getpid()}.pkl").open("ab") as out:
                stage = (text, kwargs, extracted, tuple(article.removed))
                pickle.dump((article.source, stage), out)
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


def _read_records(folder: Path) -> dict[str, tuple]:
    """Recorded pages as plain tuples (a pickle of them loads whatever module records)."""
    found: dict[str, tuple] = {}
    for path in folder.glob("*.pkl"):
        with path.open("rb") as records:
            while True:
                try:
                    source, stage = pickle.load(records)
                except EOFError:
                    break
                found[source] = stage
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
        predictions, pages = pickle.loads(path.read_bytes())
    else:
        predictions, pages = pipeline_run(name, files, workers, record=True)
        CACHE.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps((predictions, pages)))
    return predictions, {source: Recorded(*stage) for source, stage in pages.items()}


def replay(inputs: dict[str, Recorded], base: dict[str, Prediction]) -> dict:
    """Predictions of the cleaner on the recorded inputs (a page whose text ends too short
    is a reject, as in the pipeline; pages the cleaner never saw keep the run's answer)."""
    lines._analyse.cache_clear()
    out = dict(base)
    for source, stage in inputs.items():
        result = boilerplate.clean_document(stage.text, **stage.kwargs)
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
        for source, stage in inputs.items():
            removed = boilerplate.clean_document(stage.text, **stage.kwargs).removed
            for part in {p for r in removed for p in generalize.rule_parts(r.rule or r.kind)}:
                pages[part][corpus] += 1
                sites[part].add(generalize.site_of(by_path[source]))
    print(f"{'rule':<44} {'sites':>6} {'pages':>6}  pages per corpus")
    for part in sorted(pages, key=lambda k: (-len(sites[k]), k)):
        spread = ", ".join(f"{c} {n}" for c, n in pages[part].most_common())
        print(f"{part:<44} {len(sites[part]):>6} {sum(pages[part].values()):>6}  {spread}")


# --- where truth is lost -------------------------------------------------------------------


@dataclass
class Attribution:
    """Per rule id: truth tokens its cuts lost (harm), other tokens they took (benefit), and
    the pages and sites it cut on; per corpus: truth tokens each stage kept."""

    harm: Counter[str] = field(default_factory=Counter)
    benefit: Counter[str] = field(default_factory=Counter)
    pages: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    sites: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    hurt: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    stages: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))


def _bag(case, text: str) -> Counter[str]:
    return quality.token_bag(text, case.lang)


def attribute_page(found: Attribution, corpus: str, case, alone: str, stage: Recorded) -> None:
    """Charge each cut of one page: a truth token the page's final text lacks goes to the
    first cut (extraction's, the site repeats', then the cleaner's, in the order made) that
    took a copy of it; every other token a cut took is a benefit. Tokens trafilatura never
    gave us are the extraction's loss, not a cut's."""
    result = boilerplate.clean_document(stage.text, **stage.kwargs)
    final = result.text
    if corpus in generalize.WITH_TITLE and result.title:
        final = f"{result.title}\n\n{final}"
    cuts = [*stage.cut_before, *result.removed]
    truth = _bag(case, case.body)
    extracted = truth & _bag(case, stage.extracted)
    page_cut = [c for c in stage.cut_before if (c.rule or "").startswith("page.")]
    available = truth & (extracted + _bag(case, " ".join(c.text for c in page_cut)))
    missing = available - (truth & _bag(case, final))
    site = generalize.site_of(case)
    harm_here: Counter[str] = Counter()
    for cut in cuts:
        taken = _bag(case, cut.text)
        lost = taken & missing
        missing -= lost
        rule = cut.rule or cut.kind
        for part in {rule, *generalize.rule_parts(rule)}:
            found.harm[part] += lost.total()
            found.benefit[part] += (taken - lost).total()
            found.pages[part].add(case.relpath)
            found.sites[part].add(site)
            harm_here[part] += lost.total() - (taken - lost).total()
    for part, net in harm_here.items():
        if net > 0:
            found.hurt[part].add(case.relpath)
    kept = found.stages[corpus]
    kept["truth"] += truth.total()
    kept["trafilatura alone"] += (truth & _bag(case, alone)).total()
    kept["extraction"] += available.total()
    kept["after page cuts"] += extracted.total()
    kept["cleaner input"] += (truth & _bag(case, stage.text)).total()
    kept["final"] += (truth & _bag(case, final)).total()


def harm_table(corpora: list[str], workers: int, key: str | None, top: int) -> None:
    """Where each corpus's truth tokens are lost, stage by stage, and each rule's harm and
    benefit in tokens, from the recorded inputs cleaned again (so the cleaner's code as it
    is now decides, extraction as it was recorded)."""
    found = Attribution()
    for corpus in corpora:
        if corpus == "snippets":
            continue
        cases, files = generalize.load(corpus)
        _, inputs = recorded(corpus, files, workers, key)
        alone = generalize.trafilatura_predictions(corpus, cases, files, workers)
        for case, prediction in zip(cases, alone, strict=True):
            if case.relpath in inputs:
                attribute_page(found, corpus, case, prediction.text, inputs[case.relpath])
    names = ("trafilatura alone", "extraction", "after page cuts", "cleaner input", "final")
    print(f"{'truth tokens kept':<14} " + " ".join(f"{n:>17}" for n in names))
    for corpus, kept in found.stages.items():
        shares = [kept[n] / max(kept["truth"], 1) for n in names]
        print(f"{corpus:<14} " + " ".join(f"{v:>17.4f}" for v in shares))
    print(f"\n{'rule':<52} {'harm':>7} {'benefit':>8} {'sites':>6} {'pages':>6} {'hurt':>5}")
    ranked = sorted(found.harm, key=lambda r: (found.benefit[r] - found.harm[r], r))
    for rule in ranked[:top]:
        print(
            f"{rule:<52} {found.harm[rule]:>7} {found.benefit[rule]:>8} "
            f"{len(found.sites[rule]):>6} {len(found.pages[rule]):>6} {len(found.hurt[rule]):>5}"
        )


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


def changed(cases, predictions: dict, base: dict) -> dict[str, float]:
    """Pages and sites whose text differs from the baseline's."""
    moved = [c for c in cases if _text(predictions.get(c.relpath)) != _text(base.get(c.relpath))]
    return {"pages": len(moved), "sites": len({generalize.site_of(c) for c in moved})}


def _text(prediction: Prediction | None) -> str | None:
    return prediction.text if prediction else None


def print_detail(results: dict[str, dict[str, dict[str, float]]], corpora: list[str]) -> None:
    """Each variant's F1 (P, R) per corpus, with the pages and sites it changed."""
    for name, table in results.items():
        print(f"\n{name}")
        for corpus in corpora:
            row = table[corpus]
            if corpus == "snippets":
                scores = f"recall {row['recall']:.4f} leak {row['leak']:.2%}"
            else:
                scores = f"{row['f1']:.4f} ({row['precision']:.4f}, {row['recall']:.4f})"
            moved = f"{row['pages']} pages on {row['sites']} sites changed"
            print(f"  {corpus:<12} {scores:<28} {moved}")


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
    parser.add_argument(
        "--harm", action="store_true", help="only charge each rule the truth its cuts lost"
    )
    parser.add_argument("--top", type=int, default=40, help="rules listed by --harm")
    parser.add_argument("--inputs-from", help="replay the run recorded under this code key")
    parser.add_argument(
        "--pr", action="store_true", help="also print F1 (P, R) and the pages and sites changed"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not quality.EVAL.is_dir():
        print(f"no evaluation data at {quality.EVAL}: nothing to measure")
        return 0
    corpora = args.corpora.split(",")
    if args.count:
        count_rules(corpora, args.workers, args.inputs_from)
        return 0
    if args.harm:
        harm_table(corpora, args.workers, args.inputs_from, args.top)
        return 0
    names = args.variants.split(",")
    chosen = [variants(names)[name] for name in ["baseline", *names]]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in corpora:
        cases, files = generalize.load(corpus)
        base, inputs = recorded(corpus, files, args.workers, args.inputs_from)
        replayed = replay(inputs, base)
        for variant in dict.fromkeys(chosen):
            undo = variant.patch()
            try:
                if variant.page_level and corpus not in generalize.TEXT_CORPORA:
                    predictions, _ = pipeline_run(corpus, files, args.workers, record=False)
                else:
                    predictions = replay(inputs, base)
            finally:
                undo()
            row = corpus_scores(corpus, cases, predictions)
            row.update(changed(cases, predictions, replayed))
            results.setdefault(variant.name, {})[corpus] = row
        same = sum(prediction == base.get(source) for source, prediction in replayed.items())
        print(
            f"  {corpus}: replay agrees with the run on {same}/{len(base)} pages", file=sys.stderr
        )
    print_table(results, corpora)
    if args.pr:
        print_detail(results, corpora)
    return 0


if __name__ == "__main__":
    sys.exit(main())
