"""Cleaning quality of the real pipeline on ../shared/eval, per set and per language.

Every set goes through `run_pipeline` (inputs written to a temporary folder, output read back
from Parquet), once as shipped and once with boilerplate stripping off, so the cleaner's own
effect on precision and recall shows. Inputs are laid out the way a user would: one folder
per site (url host), so site-repeat learning sees which pages belong together.

Scores: bag of lower-cased NFKC `\\w+` tokens per document (every character for zh/ja/th,
CJK characters one by one everywhere), precision / recall / F1 per document, macro averaged;
F1(P,R) is the harmonic mean of the averaged P and R (the extraction set's convention). A
document the pipeline rejected counts as an empty prediction; a duplicate gets the text of
the article it duplicates. Near-duplicate detection is off: every eval page is a document of
its own, and two pages of one site that share chrome would otherwise be scored on one text. Snippets: share of `with` snippets found (recall) and of
`without` snippets found (leak), on NFC, whitespace-normalised text. Titles: exact match of
the whitespace-normalised title where the set has truth titles (news_html and news_txt, the
same pages as HTML and as text dumps; rtl; seeds; wcxb, the train half of WCXB, whose sites the
title rules were never tuned on; daniel and l3s, the train halves of DAnIEL and L3S-GN1;
wcxb_txt, daniel_txt and l3s_txt, those pages as text dumps made as news_txt's were).
Half-space words: truth words spelt with
U+200C (Persian) that the text holds whole, counted with multiplicity.

    python benchmarks/quality.py                       # every set, with the no-strip baseline
    python benchmarks/quality.py --sets seeds,news_txt --no-baseline
    python benchmarks/quality.py --sets extraction --limit 30 --no-baseline   # a quick look
    python benchmarks/quality.py --sets rtl,news_html --no-baseline   # RTL pages, titles
    python benchmarks/quality.py --sets wcxb --no-baseline   # titles on unseen sites (788 pages)
    python benchmarks/quality.py --sets wcxb,daniel,l3s,news_html,rtl --no-baseline   # every title
    python benchmarks/quality.py --sets wcxb_txt,daniel_txt,l3s_txt --no-baseline   # dump titles
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

import lxml.etree
import lxml.html
import pyarrow.parquet as pq
import regex

from ingest.extract.tree import load_page
from ingest.options import Options
from ingest.pipeline import run_pipeline

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL = SHARED / "eval"
SEEDS = SHARED / "seeds"
SETS = ("seeds", "news_txt", "news_html", "extraction", "snippets", "rtl", "wcxb", "daniel", "l3s")
#: The train halves again as text dumps made the way news_txt's were: dump titles on unseen sites.
DUMP_SETS = ("wcxb_txt", "daniel_txt", "l3s_txt")
TARGETS = {
    "seeds": "every document F1 >= 0.99, no listed chrome left, titles right",
    "news_txt": "F1 >= 0.93",
    "news_html": "F1 >= 0.98",
    "extraction": "F1(P,R) >= 0.985",
    "snippets": "recall >= 0.95, leak <= 3%",
    "rtl": "F1 >= 0.985, he >= 0.97, half-space words kept >= 98%",
    "wcxb": "none: titles and bodies the title code was never tuned on",
    "daniel": "none: titles of 2011-12 news sites (the body truth starts with the headline)",
    "l3s": "none: titles of 2008 English news sites",
    "wcxb_txt": "none: dump titles on sites the title code was never tuned on",
    "daniel_txt": "none: dump titles of 2011-12 news sites",
    "l3s_txt": "none: dump titles of 2008 English news sites",
}
#: Exact titles (whitespace normalised) wanted per set; the sets without truth titles have none.
TITLE_TARGETS = {"news_html": 0.90, "rtl": 0.90, "news_txt": 0.60}
ZWNJ = "\u200c"
CHARACTER_LANGUAGES = frozenset({"zh", "ja", "th"})
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}]")
_WORD = regex.compile(r"\w+")


@dataclass(frozen=True)
class Case:
    id: str
    relpath: str  # where the input goes under the temporary raw folder
    lang: str
    body: str = ""
    title: str | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Prediction:
    text: str
    title: str | None


@dataclass(frozen=True)
class Score:
    id: str
    lang: str
    precision: float
    recall: float
    f1: float
    empty: bool


# --- scoring ------------------------------------------------------------------------------


def token_bag(text: str, lang: str) -> Counter[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    bag: Counter[str] = Counter()
    for word in _WORD.findall(text):
        if lang in CHARACTER_LANGUAGES:
            bag.update(word)
        elif _CJK.search(word):
            bag.update(
                part for part in regex.split(r"([\p{Han}\p{Hiragana}\p{Katakana}])", word) if part
            )
        else:
            bag[word] += 1
    return bag


def score(case: Case, prediction: Prediction | None) -> Score:
    predicted = token_bag(prediction.text if prediction else "", case.lang)
    truth = token_bag(case.body, case.lang)
    overlap = sum((predicted & truth).values())
    if not overlap:
        return Score(case.id, case.lang, 0.0, 0.0, 0.0, not predicted)
    precision, recall = overlap / sum(predicted.values()), overlap / sum(truth.values())
    f1 = 2 * precision * recall / (precision + recall)
    return Score(case.id, case.lang, precision, recall, f1, False)


def averages(scores: list[Score]) -> tuple[float, float, float, float]:
    """Mean P (over non-empty predictions), mean R, mean F1, and the F1 of the two means."""
    predicted = [s for s in scores if not s.empty] or scores
    precision = sum(s.precision for s in predicted) / len(predicted)
    recall = sum(s.recall for s in scores) / len(scores)
    f1 = sum(s.f1 for s in scores) / len(scores)
    pr = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, pr


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# --- the sets ----------------------------------------------------------------------------


def host(url: str | None) -> str | None:
    name = urlparse(url).hostname if url else None
    return name.removeprefix("www.") if name else None


def site_path(site: str | None, name: str) -> str:
    return f"{site}/{name}" if site else name


def load_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def seed_cases() -> tuple[list[Case], dict[str, bytes]]:
    truth = load_jsonl(EVAL / "seeds" / "truth.jsonl")
    cases = [Case(t["id"], t["id"], t["lang"], t["body"], t["title"]) for t in truth]
    return cases, {c.relpath: (SEEDS / c.id).read_bytes() for c in cases}


def _truth_cases(
    folder: Path,
    suffix: str = ".html",
    *,
    title: Callable[[dict], str | None] = lambda t: t.get("title"),
    site: Callable[[dict], str | None] = lambda t: host(t.get("url")),
    data: dict | None = None,
) -> tuple[list[Case], dict[str, bytes]]:
    """The cases of a folder with a truth.jsonl and one page per id (`<id><suffix>`, or
    gzipped when the suffix ends with .gz), each page under a folder named for its site."""
    stem = suffix.removesuffix(".gz")
    cases = [
        Case(
            t["id"], site_path(site(t), t["id"] + stem), t["lang"], t["body"], title(t), data or {}
        )
        for t in load_jsonl(folder / "truth.jsonl")
    ]
    unpack = gzip.decompress if suffix.endswith(".gz") else bytes
    return cases, {c.relpath: unpack((folder / (c.id + suffix)).read_bytes()) for c in cases}


def news_cases(suffix: str) -> tuple[list[Case], dict[str, bytes]]:
    return _truth_cases(EVAL / "news_html" / "dev", suffix)


def rtl_cases() -> tuple[list[Case], dict[str, bytes]]:
    return _truth_cases(EVAL / "rtl" / "dev")


def extraction_cases() -> tuple[list[Case], dict[str, bytes]]:
    return _truth_cases(EVAL / "extraction" / "dev", title=lambda t: None)


def snippet_cases() -> tuple[list[Case], dict[str, bytes]]:
    folder = EVAL / "snippets"
    cases = [
        Case(c["id"], site_path(c.get("host"), c["id"] + ".html"), c["lang"], data=c)
        for c in load_jsonl(folder / "cases.jsonl")
    ]
    return cases, {
        c.relpath: gzip.decompress((folder / c.data["file"]).read_bytes()) for c in cases
    }


def wcxb_cases() -> tuple[list[Case], dict[str, bytes]]:
    """The train half of WCXB: English article pages whose truth titles the title code was
    never tuned on, to check that title rules carry over to sites it has not seen."""
    folder = EVAL / "train" / "wcxb"

    def title(t: dict) -> str | None:
        truth = json.loads((folder / "ground-truth" / f"{t['id']}.json").read_text())
        return truth["ground_truth"].get("title")

    return _truth_cases(folder, ".html.gz", title=title)


def daniel_cases() -> tuple[list[Case], dict[str, bytes]]:
    """The train half of DAnIEL (en, zh, pl, el, ru news of 2011-12): its truth body starts
    with the headline, so the first paragraph is the truth title. One folder per site."""
    return _truth_cases(
        EVAL / "train" / "daniel",
        ".html.gz",
        title=lambda t: t["body"].split("\n\n", 1)[0].strip() or None,
        site=lambda t: t["source"].split("/", 1)[-1],
    )


def l3s_cases() -> tuple[list[Case], dict[str, bytes]]:
    """The train half of L3S-GN1 (English news, 2008): the truth title is the text of the
    blocks its annotators labelled headline. Their labelled copy lost non-ASCII characters
    to '?', which the title comparison lets stand for any one such character."""
    folder = EVAL / "train" / "l3s-gn1"

    def title(t: dict) -> str | None:
        return l3s_headline(
            gzip.decompress((folder / "annotated" / f"{t['id']}.html.gz").read_bytes())
        )

    return _truth_cases(folder, ".html.gz", title=title, data={"lossy_title": True})


def l3s_headline(page: bytes) -> str | None:
    """The text of the blocks labelled headline (class x-nc-sel1) in an L3S labelled page."""
    tree = lxml.html.fromstring(page.decode("utf-8", "replace"))
    blocks = tree.xpath('//*[contains(concat(" ", @class, " "), " x-nc-sel1 ")]')
    return normalized(" ".join(b.text_content() for b in blocks)) or None


#: Elements a text dump sets on lines of their own, and those it leaves out, as
#: ../shared/eval/news_html/README.md says news_txt's dumps were made.
DUMP_BLOCKS = (
    *("p", "div", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr", "td", "th", "br"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "nav", "footer", "header", "section", "article"),
    *("aside", "main", "blockquote", "pre", "figure", "figcaption", "form", "address", "hr"),
)
DUMP_DROPPED = (
    "script",
    "style",
    "template",
    "svg",
    "iframe",
    "object",
    "video",
    "audio",
    "canvas",
)


def text_dump(page: bytes) -> bytes:
    """A naive full-page text dump: the body without scripts and embeds, one line per block
    element, whitespace collapsed, empty lines dropped; hidden and noscript text kept."""
    tree = load_page(page)
    body = tree.find("body") if tree is not None else None
    if body is None:
        return b""
    lxml.etree.strip_elements(body, *DUMP_DROPPED, with_tail=False)
    for element in body.iter(*DUMP_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in body.text_content().split("\n"))
    return "\n".join(line for line in lines if line).encode("utf-8")


def dump_cases(name: str) -> tuple[list[Case], dict[str, bytes]]:
    """The cases of an HTML set, each page as its text dump (`<id>.txt`)."""
    cases, files = LOADERS[name]()
    dumps = [replace(c, relpath=c.relpath.removesuffix(".html") + ".txt") for c in cases]
    return dumps, {
        d.relpath: text_dump(files[c.relpath]) for c, d in zip(cases, dumps, strict=True)
    }


LOADERS: dict[str, Callable[[], tuple[list[Case], dict[str, bytes]]]] = {
    "seeds": seed_cases,
    "news_txt": lambda: news_cases(".txt"),
    "news_html": lambda: news_cases(".html"),
    "extraction": extraction_cases,
    "snippets": snippet_cases,
    "rtl": rtl_cases,
    "wcxb": wcxb_cases,
    "daniel": daniel_cases,
    "l3s": l3s_cases,
    "wcxb_txt": lambda: dump_cases("wcxb"),
    "daniel_txt": lambda: dump_cases("daniel"),
    "l3s_txt": lambda: dump_cases("l3s"),
}


# --- running the pipeline ----------------------------------------------------------------


def run(files: dict[str, bytes], options: dict) -> dict[str, Prediction]:
    """Run the pipeline on `files` in a temporary folder; predictions by input path."""
    with tempfile.TemporaryDirectory(prefix="newsclean-quality-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        for relpath, data in files.items():
            (raw / relpath).parent.mkdir(parents=True, exist_ok=True)
            (raw / relpath).write_bytes(data)
        run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False, **options))
        columns = ["doc_id", "source", "title", "text"]
        articles = pq.read_table(out / "articles", columns=columns).to_pylist()
        by_id = {a["doc_id"]: Prediction(a["text"], a["title"]) for a in articles}
        predictions = {a["source"]: by_id[a["doc_id"]] for a in articles}
        duplicates_dir = out / "duplicates"
        if duplicates_dir.is_dir() and any(duplicates_dir.glob("*.parquet")):
            for row in pq.read_table(
                duplicates_dir, columns=["source", "duplicate_of"]
            ).to_pylist():
                if row["duplicate_of"] in by_id:
                    predictions[row["source"]] = by_id[row["duplicate_of"]]
        return predictions


# --- reports -----------------------------------------------------------------------------


def print_scores(label: str, scores: list[Score], *, per_language: bool) -> None:
    precision, recall, f1, pr = averages(scores)
    print(f"  {label:<22} {len(scores):>5} {precision:>7.4f} {recall:>7.4f} {f1:>7.4f} {pr:>8.4f}")
    if not per_language:
        return
    by_lang: dict[str, list[Score]] = defaultdict(list)
    for s in scores:
        by_lang[s.lang].append(s)
    for lang, group in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        precision, recall, f1, pr = averages(group)
        print(
            f"    {lang:<20} {len(group):>5} {precision:>7.4f} {recall:>7.4f} {f1:>7.4f} {pr:>8.4f}"
        )


def why(case: Case, prediction: Prediction | None, s: Score) -> str:
    """One line on what went wrong: the first chrome paragraph kept or story paragraph lost."""
    if prediction is None or not prediction.text:
        return "no article (rejected or empty)"
    truth = normalized(case.body)
    kept = [p for p in prediction.text.split("\n\n") if normalized(p) not in truth]
    if s.precision < s.recall and kept:
        return f"kept {len(kept)} paragraphs not in the truth, e.g. {normalized(kept[0])[:60]!r}"
    text = normalized(prediction.text)
    lost = [p for p in case.body.split("\n\n") if normalized(p) not in text]
    return f"lost {len(lost)} truth paragraphs, e.g. {normalized(lost[0])[:60]!r}" if lost else ""


def print_worst(cases: list[Case], predictions: dict[str, Prediction], scores: list[Score]) -> None:
    print("  five worst documents:")
    by_id = {c.id: c for c in cases}
    for s in sorted(scores, key=lambda s: s.f1)[:5]:
        case = by_id[s.id]
        print(f"    F1 {s.f1:.3f} P {s.precision:.3f} R {s.recall:.3f}  {s.id}")
        reason = why(case, predictions.get(case.relpath), s)
        if reason:
            print(f"        {reason}")


def report_scored(name: str, cases: list[Case], runs: dict[str, dict[str, Prediction]]) -> None:
    print(f"\n== {name}  (target: {TARGETS[name]})")
    print(f"  {'':<22} {'docs':>5} {'P':>7} {'R':>7} {'F1':>7} {'F1(P,R)':>8}")
    shipped = runs["shipped"]
    for label, predictions in runs.items():
        scores = [score(c, predictions.get(c.relpath)) for c in cases]
        print_scores(label, scores, per_language=label == "shipped")
    print_half_spaces(cases, shipped)
    print_titles(name, cases, shipped)
    print_worst(cases, shipped, [score(c, shipped.get(c.relpath)) for c in cases])


def print_half_spaces(cases: list[Case], predictions: dict[str, Prediction]) -> None:
    """Words of the truth spelt with the Persian half-space U+200C that reach the text whole."""
    wanted = kept = 0
    for case in cases:
        words = Counter(w for w in normalized(case.body).split() if ZWNJ in w)
        if not words:
            continue
        prediction = predictions.get(case.relpath)
        found = Counter(normalized(prediction.text).split()) if prediction else Counter()
        wanted += sum(words.values())
        kept += sum((words & found).values())
    if wanted:
        print(f"  half-space (U+200C) words kept: {kept}/{wanted} = {kept / wanted:.1%}")


def print_titles(name: str, cases: list[Case], predictions: dict[str, Prediction]) -> None:
    """Exact titles after normalising whitespace, and the first few that are wrong."""
    titled = [c for c in cases if c.title]
    if not titled:
        return
    wrong = []
    for case in titled:
        prediction = predictions.get(case.relpath)
        title = normalized(prediction.title or "") if prediction else ""
        if not same_title(title, normalized(case.title or ""), lossy=case.data.get("lossy_title")):
            wrong.append((case.id, title, normalized(case.title or "")))
    right = len(titled) - len(wrong)
    target = f" (target >= {TITLE_TARGETS[name]:.2f})" if name in TITLE_TARGETS else ""
    print(f"  titles exact: {right}/{len(titled)} = {right / len(titled):.3f}{target}")
    for page, got, truth in wrong[:5]:
        print(f"    {page}: {got[:50]!r} should be {truth[:50]!r}")


def same_title(got: str, truth: str, *, lossy: bool = False) -> bool:
    """Exact match; in a `lossy` truth '?' or U+FFFD stands for one non-ASCII character."""
    if not lossy:
        return got == truth
    return len(got) == len(truth) and all(
        g == t or (t in "?\ufffd" and ord(g) > 127) for g, t in zip(got, truth, strict=True)
    )


def chrome_pieces(seed: str, case: Case) -> list[str]:
    """The seed's chrome: every line, or part of a line, that is neither body nor title."""
    keep = [normalized(p) for p in case.body.split("\n\n")] + [normalized(case.title or "")]
    pieces = []
    for line in map(normalized, seed.splitlines()):
        inside = [k for k in keep if k and k in line]
        rest = line
        for k in inside:
            rest = rest.replace(k, "\n")
        pieces += [p.strip() for p in rest.split("\n") if len(p.strip()) > 1]
    return pieces


def report_seeds(
    cases: list[Case], files: dict[str, bytes], runs: dict[str, dict[str, Prediction]]
) -> None:
    report_scored("seeds", cases, runs)
    print(f"  {'seed':<28} {'F1':>7}  title  chrome left")
    for case in cases:
        prediction = runs["shipped"].get(case.relpath)
        s = score(case, prediction)
        text = normalized(prediction.text) if prediction else ""
        title_right = (prediction.title if prediction else None) == case.title
        left = [p for p in chrome_pieces(files[case.relpath].decode("utf-8"), case) if p in text]
        print(
            f"  {case.id:<28} {s.f1:>7.4f}  {'right' if title_right else 'WRONG':<5}  {left or 'none'}"
        )


def report_snippets(cases: list[Case], runs: dict[str, dict[str, Prediction]]) -> None:
    print(f"\n== snippets  (target: {TARGETS['snippets']})")
    print(
        f"  {'':<22} {'pages':>5} {'recall':>7} {'leak':>7} {'in-page':>8} {'clean':>6} {'full':>6}"
    )
    for label, predictions in runs.items():
        groups: dict[str, list[Case]] = defaultdict(list)
        for case in cases:
            groups["all"].append(case)
            if label == "shipped":
                groups[f"script {case.data['script']}"].append(case)
        for group, members in groups.items():
            found_with = found_without = n_with = n_without = in_page = leaks_in_page = 0
            clean_pages = full_pages = 0
            for case in members:
                prediction = predictions.get(case.relpath)
                body = normalized(prediction.text) if prediction else ""
                found = [normalized(s) in body for s in case.data["with"]]
                leaked = [normalized(s) in body for s in case.data["without"]]
                absent = set(case.data.get("without_absent", []))
                n_with, found_with = n_with + len(found), found_with + sum(found)
                n_without, found_without = n_without + len(leaked), found_without + sum(leaked)
                present = [
                    x for s, x in zip(case.data["without"], leaked, strict=True) if s not in absent
                ]
                in_page, leaks_in_page = in_page + len(present), leaks_in_page + sum(present)
                clean_pages += not any(leaked)
                full_pages += all(found)
            name = label if group == "all" else f"  {group}"
            print(
                f"  {name:<22} {len(members):>5} {found_with / n_with:>7.4f} "
                f"{found_without / n_without:>7.2%} {leaks_in_page / max(in_page, 1):>8.2%} "
                f"{clean_pages / len(members):>6.1%} {full_pages / len(members):>6.1%}"
            )
    worst = []
    for case in cases:
        prediction = runs["shipped"].get(case.relpath)
        body = normalized(prediction.text) if prediction else ""
        missed = [s for s in case.data["with"] if normalized(s) not in body]
        leaked = [s for s in case.data["without"] if normalized(s) in body]
        worst.append((len(missed) + len(leaked), case.id, missed, leaked))
    print("  five worst pages:")
    for _, page, missed, leaked in sorted(worst, key=lambda w: -w[0])[:5]:
        print(f"    {page}: missed {[m[:40] for m in missed]} leaked {[x[:40] for x in leaked]}")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS + DUMP_SETS)
    )
    parser.add_argument("--no-baseline", action="store_true", help="skip the run without stripping")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--limit", type=int, default=0, help="score only the first N documents of each set"
    )
    parser.add_argument(
        "--min-docs", type=int, default=Options.site_repeat_min_docs, help="site_repeat_min_docs"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if not EVAL.is_dir():
        print(f"no evaluation data at {EVAL}: nothing to measure")
        return 0
    names = [n for n in args.sets.split(",") if n]
    unknown = set(names) - set(SETS + DUMP_SETS)
    if unknown:
        parser.error(f"unknown sets: {', '.join(sorted(unknown))}")
    options = {
        "workers": args.workers,
        "site_repeat_min_docs": args.min_docs,
        "near_duplicates": False,
    }
    for name in names:
        cases, files = LOADERS[name]()
        if args.limit > 0:
            cases = cases[: args.limit]
            files = {c.relpath: files[c.relpath] for c in cases}
        runs = {"shipped": run(files, options)}
        if not args.no_baseline:
            runs["no stripping"] = run(files, {**options, "strip_boilerplate": False})
        if name == "seeds":
            report_seeds(cases, files, runs)
        elif name == "snippets":
            report_snippets(cases, runs)
        else:
            report_scored(name, cases, runs)
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
