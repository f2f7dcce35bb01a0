"""Mutation fuzzing of the readers and per-batch stages: valid files of every format, broken
in seeded ways, run through the pipeline's real batch functions.

Shared by tests/test_fuzz.py (a fast seeded subset) and benchmarks/fuzz.py (campaigns of
10,000+ cases). A case is (seed file, mutations, seed); `run_case` writes the mutant to a
folder of its own, runs `read_and_extract` and `finalize` on it and checks the accounting:
the file leaves at least one row, no source twice, every source inside the file.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
import time
import traceback
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fakenews import html_page, jsonl_record, story, text_dump
from warcs import crawl_warc, no_documents_warc, page, responses_warc, wet_file

from ingest.options import Options
from ingest.sources import discover

ARTICLE = "article"
OPTIONS = {"max_file_bytes": 4 << 20, "max_record_bytes": 1 << 20, "extraction_timeout_s": 5.0}


def seed_files() -> dict[str, bytes]:
    """Valid files of every format we read, named by what they are (the name picks the reader)."""
    stories = [story(900 + i, lang) for i, lang in enumerate(["en", "de", "fr", "ru", "ar", "es"])]
    html = html_page(stories[0]).encode()
    text = text_dump(stories[1]).encode()
    records = [json.loads(jsonl_record(s, i)) for i, s in enumerate(stories[2:5], start=1)]
    envelope = json.dumps({"status": "ok", "articles": records}, ensure_ascii=False).encode()
    lines = "\n".join(jsonl_record(s, i) for i, s in enumerate(stories, start=1)) + "\n"
    plain_warc = responses_warc([page(stories[3]), page(stories[4])], seed=9)
    files = {
        "page.html": html,
        "dump.txt": text,
        "feed.json": envelope,
        "feed.jsonl": lines.encode(),
        "plain.warc": plain_warc,
        "crawl.warc": crawl_warc(9),
        "wet.warc": wet_file(9),
        "per-record.warc.gz": crawl_warc(8, gzip_records=True),
        "empty-crawl.warc": no_documents_warc(),
    }
    for name in ("page.html", "dump.txt", "feed.json", "feed.jsonl", "crawl.warc", "wet.warc"):
        files[name + ".gz"] = gzip.compress(files[name], mtime=0)
    return files


# --- mutations ------------------------------------------------------------------------------

Mutation = Callable[[bytes, random.Random], bytes]


def _span(data: bytes, rng: random.Random, most: int = 64) -> tuple[int, int]:
    start = rng.randrange(len(data) + 1)
    return start, min(len(data), start + rng.randint(1, most))


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def flip(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        if out:
            out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    junk = rng.choice(
        [
            rng.randbytes(rng.randint(1, 32)),
            b"\r\n",
            b"\0" * rng.randint(1, 16),
            b"\xff\xfe",
            b"WARC/1.1\r\n",
            b'{"',
            b"<div>",
        ]
    )
    return data[:at] + junk + data[at:]


def zero(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng, 256)
    return data[:start] + b"\0" * (end - start) + data[end:]


def drop_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.splitlines(keepends=True)
    for _ in range(rng.randint(1, 3)):
        if lines:
            del lines[rng.randrange(len(lines))]
    return b"".join(lines)


def drop_header(data: bytes, rng: random.Random) -> bytes:
    """Drop one header line (WARC or HTTP: `Name: value`), else any line."""
    lines = data.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if b": " in line[:80] and len(line) < 300]
    if not headers:
        return drop_lines(data, rng)
    del lines[rng.choice(headers)]
    return b"".join(lines)


def duplicate_slice(data: bytes, rng: random.Random) -> bytes:
    start, end = _span(data, rng, 4096)
    at = rng.randrange(len(data) + 1)
    return data[:at] + data[start:end] + data[at:]


def change_length(data: bytes, rng: random.Random) -> bytes:
    """A Content-Length header off by a few or many bytes, or not a number."""
    marker = b"Content-Length: "
    places = [i for i in range(len(data)) if data.startswith(marker, i)][:50]
    if not places:
        return flip(data, rng)
    at = rng.choice(places) + len(marker)
    end = data.find(b"\r\n", at)
    end = at if end < 0 else end
    value = rng.choice([b"0", b"-5", b"12abc", b"99999999", b""])
    if data[at:end].isdigit() and rng.random() < 0.7:
        value = str(max(0, int(data[at:end]) + rng.randint(-200, 200))).encode()
    return data[:at] + value + data[end:]


def break_gzip(data: bytes, rng: random.Random) -> bytes:
    """Damage a gzip member: its header, its deflate stream, its trailer, or cut it short."""
    members = [i for i in range(len(data) - 2) if data.startswith(b"\x1f\x8b\x08", i)][:200]
    if not members:
        return flip(data, rng)
    at = rng.choice(members)
    where = rng.choice(["header", "body", "trailer", "cut"])
    if where == "cut":
        return data[: at + rng.randint(1, 40)] + data[at + rng.randint(40, 400) :]
    offset = {"header": rng.randrange(10), "body": rng.randint(10, 60), "trailer": -6}[where]
    index = min(len(data) - 1, max(0, at + offset if offset >= 0 else len(data) + offset))
    out = bytearray(data)
    out[index] ^= 0xFF
    return bytes(out)


def inside_compression(data: bytes, rng: random.Random) -> bytes:
    """Decompress, apply another mutation to the plain bytes, compress again."""
    try:
        plain = gzip.decompress(data)
    except (OSError, EOFError, zlib.error):
        return flip(data, rng)
    inner = rng.choice([m for m in MUTATIONS if m not in (break_gzip, inside_compression)])
    return gzip.compress(inner(plain, rng), mtime=0)


MUTATIONS: tuple[Mutation, ...] = (
    truncate,
    flip,
    insert,
    zero,
    drop_lines,
    drop_header,
    duplicate_slice,
    change_length,
    break_gzip,
    inside_compression,
)


# --- cases ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    number: int
    seed_name: str
    mutations: tuple[str, ...]
    rng_seed: int

    @property
    def family(self) -> str:
        """The format the case belongs to, for the campaign's tables."""
        name = self.seed_name
        if name.startswith("wet."):
            return "wet" + (".gz" if name.endswith(".gz") else "")
        return name.split(".", 1)[1]


def make_cases(count: int, seed: int, names: list[str]) -> list[Case]:
    """`count` cases spread evenly over the seed files, 1-3 mutations each."""
    rng = random.Random(seed)
    cases = []
    for number in range(count):
        name = names[number % len(names)]
        compressed = name.endswith(".gz")
        if compressed and rng.random() < 0.6:  # most cases must get past the decompression
            chosen: tuple[str, ...] = ("inside_compression",) * rng.randint(1, 2)
        else:
            pool = [m for m in MUTATIONS if compressed or m not in (break_gzip, inside_compression)]
            chosen = tuple(m.__name__ for m in rng.sample(pool, rng.randint(1, 3)))
        cases.append(Case(number, name, chosen, rng.randrange(1 << 32)))
    return cases


_BY_NAME = {m.__name__: m for m in MUTATIONS}


def mutant(case: Case, seeds: dict[str, bytes]) -> bytes:
    rng = random.Random(case.rng_seed)
    data = seeds[case.seed_name]
    for name in case.mutations:
        data = _BY_NAME[name](data, rng)
    return data


@dataclass
class Outcome:
    case: Case
    seconds: float = 0.0
    crash: str | None = None  # exception that escaped a stage: it would stop a run
    outcomes: Counter = field(default_factory=Counter)  # "article" or reject reason
    problems: list[str] = field(default_factory=list)  # accounting failures
    internal: list[str] = field(default_factory=list)  # details of internal_error rejects


def run_case(case: Case, seeds: dict[str, bytes], work: Path, options: Options) -> Outcome:
    """Run one mutant through read_and_extract and finalize in this process."""
    from ingest.scratch import read_scratch
    from ingest.stages import finalize, read_and_extract

    shutil.rmtree(work, ignore_errors=True)
    raw, scratch = work / "raw", work / "scratch"
    raw.mkdir(parents=True)
    (raw / case.seed_name).write_bytes(mutant(case, seeds))
    result = Outcome(case)
    started = time.perf_counter()
    try:
        files, _ = discover(raw)
        batch = read_and_extract(files, {}, options, scratch)
        final = finalize(batch, None, options, scratch)
        sources = [(r.source, str(r.reason), r.detail) for r in batch.rejects + final.rejects]
        sources += [(a.article.source, ARTICLE, "") for a in read_scratch(final.articles)]
    except Exception as exc:
        frames = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
        result.crash = f"{type(exc).__name__} at {where}: {str(exc)[:120]}"
        sources = []
    result.seconds = time.perf_counter() - started
    for _, outcome, detail in sources:
        result.outcomes[outcome] += 1
        if outcome == "internal_error":
            result.internal.append(detail[:200])
    if result.crash is None:
        result.problems = accounting_problems(case.seed_name, [s for s, _, _ in sources])
    shutil.rmtree(work, ignore_errors=True)
    return result


def accounting_problems(relpath: str, sources: list[str]) -> list[str]:
    """What breaks the accounting for one input file: no row, a row twice, a stray source."""
    problems = []
    if not sources:
        problems.append("file left no row")
    doubled = sorted({s for s in sources if sources.count(s) > 1})
    if doubled:
        problems.append(f"sources twice: {doubled[:3]}")
    stray = [
        s for s in sources if s != relpath and not s.startswith((relpath + "#", relpath + "@"))
    ]
    if stray:
        problems.append(f"stray sources: {stray[:3]}")
    return problems


def fuzz_options() -> Options:
    return Options(**OPTIONS)
