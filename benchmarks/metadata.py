"""How often `published` and `author` are right: the real pipeline against the labelled dates
and authors of WCXB's train half (../shared/eval/train/wcxb/ground-truth), as HTML pages and
as text dumps made the way news_txt's were, beside trafilatura alone on the HTML pages.

A date is right when its UTC day is the truth's (or lies in the truth's month, where the truth
names only a month). An author is right when the set of names is
the truth's (names split at commas, semicolons, ampersands and "and"; a leading "By" and case
do not count), partly right when the sets share a name. Pages whose truth has no date (or no
author) count only in the "stated when the truth has none" line: a date or name given there
is a wrong one, unless the page really has one the annotators left out.

    python benchmarks/metadata.py                 # HTML pages and dumps, with trafilatura alone
    python benchmarks/metadata.py --list 20       # also the first 20 misses of each field
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pyarrow.parquet as pq
import trafilatura

sys.path.insert(0, str(Path(__file__).resolve().parent))

import quality  # noqa: E402  (benchmarks/ is not a package)

from ingest.options import Options  # noqa: E402
from ingest.pipeline import run_pipeline  # noqa: E402

GROUND_TRUTH = quality.EVAL / "train" / "wcxb" / "ground-truth"
_NAME_SEPARATORS = re.compile(r"\s*(?:[,;&|/]|\band\b|\bund\b|\by\b|\bet\b)\s*")
_BY = re.compile(r"^(?:by|von|por|par)\s+")


@dataclass(frozen=True)
class Fields:
    published: str | None  # an ISO day, or a month where that is all the truth says
    author: str | None


def truth_fields(case_id: str) -> Fields:
    truth = json.loads((GROUND_TRUTH / f"{case_id}.json").read_text())["ground_truth"]
    return Fields(truth.get("publish_date") or None, truth.get("author") or None)


def names(author: str | None) -> frozenset[str]:
    """The names an author field holds, each case-folded with its spacing squeezed."""
    if not author:
        return frozenset()
    text = " ".join(unicodedata.normalize("NFKC", author).casefold().split())
    return frozenset(n for part in _NAME_SEPARATORS.split(_BY.sub("", text)) if (n := part.strip()))


def pipeline_fields(files: dict[str, bytes]) -> dict[str, Fields]:
    """The pipeline's published day and author per input path, read back from Parquet."""
    with tempfile.TemporaryDirectory(prefix="newsclean-metadata-") as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        for relpath, data in files.items():
            (raw / relpath).parent.mkdir(parents=True, exist_ok=True)
            (raw / relpath).write_bytes(data)
        run_pipeline(
            Options(raw_dir=raw, out_dir=out, write_report=False, near_duplicates=False, workers=2)
        )
        rows = pq.read_table(out / "articles", columns=["source", "published", "author"])
        return {
            row["source"]: Fields(_day(row["published"]), row["author"]) for row in rows.to_pylist()
        }


def _day(moment: datetime | None) -> str | None:
    return moment.date().isoformat() if moment is not None else None


def _same_day(ours: str | None, truth: str) -> bool:
    return ours is not None and ours.startswith(truth[:10])


def trafilatura_fields(data: bytes) -> Fields:
    doc = trafilatura.bare_extraction(data, with_metadata=True, include_comments=False)
    if doc is None:
        return Fields(None, None)
    return Fields(doc.date[:10] if doc.date else None, doc.author or None)


def report(label: str, truths: dict[str, Fields], found: dict[str, Fields], listed: int) -> None:
    """Right, wrong and missing dates and authors of `found` against `truths`."""
    dated = [k for k, t in truths.items() if t.published]
    authored = [k for k, t in truths.items() if t.author]
    empty = Fields(None, None)
    day_right = [k for k in dated if _same_day(found.get(k, empty).published, truths[k].published)]
    day_missing = [k for k in dated if found.get(k, empty).published is None]
    day_extra = [k for k, t in truths.items() if not t.published and found.get(k, empty).published]
    author_right, author_part, author_missing = [], [], []
    for key in authored:
        ours, truth = names(found.get(key, empty).author), names(truths[key].author)
        if not ours:
            author_missing.append(key)
        elif ours == truth:
            author_right.append(key)
        elif ours & truth:
            author_part.append(key)
    author_extra = [k for k, t in truths.items() if not t.author and found.get(k, empty).author]
    n_dated, n_authored = len(dated), len(authored)
    day_wrong = n_dated - len(day_right) - len(day_missing)
    author_wrong = n_authored - len(author_right) - len(author_part) - len(author_missing)
    print(f"\n== {label}")
    print(
        f"  published  right {len(day_right)}/{n_dated} = {len(day_right) / n_dated:.3f}"
        f"   wrong {day_wrong}   missing {len(day_missing)}"
        f"   stated when the truth has none {len(day_extra)}/{len(truths) - n_dated}"
    )
    print(
        f"  author     right {len(author_right)}/{n_authored} = "
        f"{len(author_right) / n_authored:.3f}   partly {len(author_part)}"
        f"   wrong {author_wrong}   missing {len(author_missing)}"
        f"   stated when the truth has none {len(author_extra)}/{len(truths) - n_authored}"
    )
    if listed:
        wrong_days = [k for k in dated if k not in day_right and k not in day_missing]
        for key in wrong_days[:listed]:
            print(f"    date   {key}: {found[key].published} should be {truths[key].published}")
        wrong_authors = [k for k in authored if k not in author_right and k not in author_missing]
        for key in wrong_authors[:listed]:
            print(f"    author {key}: {found[key].author!r} should be {truths[key].author!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--list", type=int, default=0, help="misses of each field to list")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not GROUND_TRUTH.is_dir():
        print(f"no labelled metadata at {GROUND_TRUTH}: nothing to measure")
        return 0
    cases, pages = quality.LOADERS["wcxb"]()
    truths = {c.relpath: truth_fields(c.id) for c in cases}
    with ProcessPoolExecutor(args.workers) as pool:
        alone = list(pool.map(trafilatura_fields, [pages[c.relpath] for c in cases], chunksize=8))
    report("trafilatura alone, HTML pages", truths, dict(zip(truths, alone, strict=True)), 0)
    report("ingest, HTML pages", truths, pipeline_fields(pages), args.list)
    dump_cases, dumps = quality.LOADERS["wcxb_txt"]()
    dump_truths = {c.relpath: truth_fields(c.id) for c in dump_cases}
    report("ingest, text dumps", dump_truths, pipeline_fields(dumps), args.list)
    return 0


if __name__ == "__main__":
    sys.exit(main())
