"""Language identification quality and speed on ../shared/eval/langid/dev, per backend.

Prints accuracy for sentences, paragraphs and 1-3 word snippets, for the 20 main news languages
and for all 75, plus texts per CPU-second; then checks the seed documents (English, and every
Arabic line of seed 004 flagged as another script).

    python benchmarks/language.py                 # full run (all backends: ~30 minutes)
    python benchmarks/language.py --limit 300     # every n-th item, ~300 per set: a quick look
    python benchmarks/language.py --backends auto
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.language import BACKENDS, NEWS_LANGUAGES, detect_language, paragraph_languages
from ingest.scripts import dominant_script

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
LANGID = SHARED / "eval" / "langid" / "dev"
SEEDS = SHARED / "seeds"
SETS = ("sentences", "paragraphs", "snippets")
TARGETS = "targets (auto): news-20 paragraphs 100%, all-75 paragraphs >= 97%, " + (
    "news-20 sentences >= 99%, news-20 snippets >= 85%, >= 1,000 paragraphs per CPU-second"
)


@dataclass(frozen=True)
class Item:
    text: str
    language: str
    kind: str


@dataclass
class Tally:
    right: Counter[str]
    seen: Counter[str]
    cpu_seconds: float = 0.0

    def accuracy(self, keys: list[str]) -> float:
        seen = sum(self.seen[k] for k in keys)
        return 100 * sum(self.right[k] for k in keys) / seen if seen else float("nan")


def load(name: str, limit: int | None) -> list[Item]:
    with (LANGID / f"{name}.jsonl").open(encoding="utf-8") as lines:
        items = [Item(r["text"], r["lang"], r.get("kind", name)) for r in map(json.loads, lines)]
    if limit and len(items) > limit:
        step = len(items) / limit  # every n-th item keeps the mix of languages and kinds
        items = [items[int(i * step)] for i in range(limit)]
    return items


def evaluate(items: list[Item], backend: str) -> Tally:
    tally = Tally(Counter(), Counter())
    started = time.process_time()
    answers = [detect_language(item.text, backend).language for item in items]
    tally.cpu_seconds = time.process_time() - started
    for item, answer in zip(items, answers, strict=True):
        groups = ["all", item.kind] + (["news"] if item.language in NEWS_LANGUAGES else [])
        for group in groups:
            tally.seen[group] += 1
            tally.right[group] += answer == item.language
            if group == item.kind and item.language in NEWS_LANGUAGES:
                tally.seen["news " + group] += 1
                tally.right["news " + group] += answer == item.language
    return tally


def print_backend(backend: str, tallies: dict[str, Tally]) -> None:
    print(f"\n{backend}")
    print(f"  {'set':<11} {'items':>7} {'news-20 %':>10} {'all-75 %':>9} {'texts/CPU-s':>12}")
    for name, tally in tallies.items():
        rate = tally.seen["all"] / tally.cpu_seconds if tally.cpu_seconds else float("inf")
        print(
            f"  {name:<11} {tally.seen['all']:>7} {tally.accuracy(['news']):>10.2f}"
            f" {tally.accuracy(['all']):>9.2f} {rate:>12,.0f}"
        )
    snippets = tallies.get("snippets")
    if snippets:
        for kind in ("w1", "w2", "w3"):
            print(
                f"    {kind:<9} {snippets.seen[kind]:>7}"
                f" {snippets.accuracy(['news ' + kind]):>10.2f} {snippets.accuracy([kind]):>9.2f}"
            )


def check_seeds() -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if not seeds:
        print("\nseeds: none found")
        return
    print("\nseeds (auto)")
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        result = detect_language(text)
        lines = [line for line in text.splitlines() if line.strip()]
        views = paragraph_languages(lines, result.language)
        arabic = [view for line, view in zip(lines, views, strict=True) if _is_arabic(line)]
        flagged = sum(view.foreign for view in arabic)
        other = sum(v.foreign for line, v in zip(lines, views, strict=True) if not _is_arabic(line))
        print(
            f"  {path.name:<28} {result.language} {result.score:.2f}  lines {len(lines):>3}"
            f"  arabic lines flagged {flagged}/{len(arabic)}  other lines flagged {other}"
        )


def _is_arabic(line: str) -> bool:
    return dominant_script(line) == "arabic"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="judge about this many items per set")
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    args = parser.parse_args()
    if not LANGID.is_dir():
        print(f"no evaluation data at {LANGID}: nothing to measure")
        return 0
    data = {name: load(name, args.limit) for name in SETS}
    print(TARGETS)
    for backend in args.backends:
        for warm_up in ("Load every model before the clock starts, please.", "bonjour"):
            detect_language(warm_up, backend)
        print_backend(backend, {name: evaluate(items, backend) for name, items in data.items()})
    if SEEDS.is_dir():
        check_seeds()
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process: {peak_mib:,.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
