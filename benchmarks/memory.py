"""Peak memory of `ingest run` as the input grows: one JSONL feed of 64 MB, 256 MB and 1 GB.

Issue 7 asks that memory stay bounded on huge inputs. Each size is a fresh synthetic feed
(made-up words in random sentences, so dedup keeps every record, with a few chrome lines
per site so the site-line model has work) run by `ingest run` in its own process; the
child's peak RSS comes from wait4. Records carry a `text` field, so extraction is skipped
and the run measures what grows with the run: state, fingerprints, dedup and the commit.

    python benchmarks/memory.py [--sizes 64,256,1024] [--record-kb 64] [--keep DIR]

Target: peak RSS flat in the input size (1 GB within a few hundred MB of the 64 MB run).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SITES = [f"site{n}.example" for n in range(8)]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "tu",
    "ra",
    "ve",
    "si",
    "do",
    "pa",
    "le",
    "zu",
    "no",
    "ti",
    "ma",
    "ro",
    "ge",
    "fa",
    "ki",
    "bu",
]


def _vocabulary(rng: np.random.Generator, size: int = 20_000) -> np.ndarray:
    """Pronounceable made-up words of two to four syllables."""
    lengths = rng.integers(2, 5, size)
    picks = rng.integers(0, len(SYLLABLES), (size, 4))
    words = {"".join(SYLLABLES[i] for i in row[:n]) for row, n in zip(picks, lengths, strict=True)}
    return np.array(sorted(words))


def _article(rng: np.random.Generator, vocabulary: np.ndarray, n_words: int) -> str:
    """Paragraphs of sentences of random words: no two records share a 5-gram by chance."""
    words = vocabulary[rng.integers(0, len(vocabulary), n_words)]
    paragraphs = []
    for start in range(0, n_words, 80):
        chunk = words[start : start + 80]
        sentences = [
            " ".join(chunk[i : i + 12]).capitalize() + "." for i in range(0, len(chunk), 12)
        ]
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def write_feed(path: Path, megabytes: int, record_kb: int, seed: int) -> int:
    """A JSONL feed of about `megabytes` MB; returns its record count."""
    rng = np.random.default_rng(seed)
    vocabulary = _vocabulary(rng)
    words_per_record = record_kb * 1024 // 8
    target = megabytes * 1_000_000
    written = records = 0
    with path.open("w", encoding="utf-8") as feed:
        while written < target:
            site = SITES[records % len(SITES)]
            chrome = [f"Follow {site} for more news", f"Copyright {site}, all rights reserved"]
            body = _article(rng, vocabulary, words_per_record)
            record = {
                "id": f"r{seed}-{records}",
                "url": f"https://{site}/story/{seed}-{records}",
                "title": f"Story {records} of run {seed}",
                "text": "\n\n".join([chrome[0], body, chrome[1]]),
            }
            line = json.dumps(record, ensure_ascii=False) + "\n"
            feed.write(line)
            written += len(line.encode("utf-8"))
            records += 1
    return records


def run_ingest(raw: Path, out: Path, extra: list[str]) -> tuple[float, float, int]:
    """(peak RSS MB, seconds, exit status) of one `ingest run` child process."""
    command = [sys.executable, "-m", "ingest.cli", "run", str(raw), "--out", str(out)]
    started = time.perf_counter()
    child = subprocess.Popen(
        [*command, "--no-report", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        print(child.stderr.read().decode(errors="replace")[-2000:], file=sys.stderr)
    child.stderr.close()
    return usage.ru_maxrss / 1024, seconds, child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="64,256,1024", help="feed sizes in MB")
    parser.add_argument("--record-kb", type=int, default=64, help="text per record, KB")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--no-boilerplate",
        action="store_true",
        help="skip cleaning (its cost is per byte, not per run) to get the 1 GB run done sooner",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.keep or Path(tempfile.mkdtemp(prefix="newsclean-memory-"))
    print(f"peak RSS of `ingest run` on one JSONL feed ({args.record_kb} KB records), in {work}")
    print(
        f"{'input MB':>9} {'records':>8} {'peak RSS MB':>12} {'MB RSS/MB in':>13} "
        f"{'seconds':>8} {'records/s':>10} {'exit':>5}"
    )
    first: tuple[int, float] | None = None
    try:
        for size in sizes:
            raw, out = work / f"raw-{size}", work / f"out-{size}"
            shutil.rmtree(raw, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            raw.mkdir(parents=True)
            feed = raw / "feed.jsonl"
            records = write_feed(feed, size, args.record_kb, seed=size)
            megabytes = feed.stat().st_size / 1e6
            extra = ["--workers", str(args.workers)] + (["--no-boilerplate"] * args.no_boilerplate)
            peak, seconds, status = run_ingest(raw, out, extra)
            growth = "" if first is None else f"{(peak - first[1]) / (megabytes - first[0]):.3f}"
            first = first or (megabytes, peak)
            print(
                f"{megabytes:>9.0f} {records:>8} {peak:>12.0f} {growth:>13} {seconds:>8.1f} "
                f"{records / seconds:>10.1f} {status:>5}",
                flush=True,
            )
            shutil.rmtree(raw)
            if args.keep is None:
                shutil.rmtree(out)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
