"""Lines that repeat word for word across pages of one site are chrome.

On our eval data 53% of chrome lines repeat on another page of the same site against 0.7%
of article lines. Learning works in two phases so it scales and persists: each batch counts,
per site, on how many documents each line key occurs (`count_site_lines`, written to the
run's scratch folder); `merge_site_lines` sums those counts with the state of earlier runs on
disk (DuckDB, spilling past its memory limit) into the new state file, and
`SiteLineModel.from_state` loads only the lines that reached the threshold. The model then
cuts the repeated lines, with guards for the article lines that also repeat: a republished
story (most of its prose seen before) keeps its prose.

Most distinct lines are article prose seen once. The state keeps a line seen on one document
for `KEEP_SINGLE_LINES_RUNS` runs only, so it grows with the chrome of the sites, not with
the corpus.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import Paragraph, analyse
from ingest.boilerplate.normalize import join_paragraphs, split_paragraphs
from ingest.boilerplate.phrases import fold, phrase_book
from ingest.documents import Removal
from ingest.text import title_segments

SITE_LINES_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("line_key", pa.uint64(), nullable=False),
        pa.field("n_docs", pa.int64(), nullable=False),
    ]
)
KEEP_SINGLE_LINES_RUNS = 20
"""A line seen on a single document leaves the state this many runs after it was seen."""
#: When repeated prose makes up more than this share of a document's prose, the document is
#: another version of a story already seen, not a page wrapped in chrome: its prose stays.
REPUBLISHED_SHARE = 0.5
#: ...unless the document has prose of its own, this many paragraphs seen nowhere else on the
#: site: then it is a story of its own and the repeated prose around it is the site's teaser
#: leads, however long (a column of other stories' leads outweighs a short story).
OWN_STORY_PARAGRAPHS = 2


def _line_key(line: str) -> int:
    return _folded_key(fold(line))


def _folded_key(folded: str) -> int:
    """The key of a line already folded (an analysed paragraph carries its fold)."""
    return xxhash.xxh64_intdigest(folded.encode("utf-8"))


def line_keys(text: str) -> list[int]:
    """Distinct 64-bit keys of the document's normalised lines that carry a letter or digit."""
    keys: dict[int, None] = {}
    for line in split_paragraphs(text):
        if any(c.isalnum() for c in line):
            keys.setdefault(_line_key(line))
    return list(keys)


def count_site_lines(docs: Iterable[tuple[str, str]]) -> pa.Table:
    """(site, text) pairs -> table(site, line_key, n_docs): on how many documents of the site
    each line occurs. Documents without a site are skipped."""
    return _count_keys((site, line_keys(text)) for site, text in docs)


def _title_part_key(part: str) -> int:
    """Keys of title parts live beside line keys in the same counts, apart from them."""
    return xxhash.xxh64_intdigest(("\x00title\x00" + fold(part)).encode("utf-8"))


def title_part_keys(title: str | None) -> list[int]:
    """Distinct keys of the parts of a title between its separators ("Headline - Section -
    Site"); none for a title of one part."""
    parts = [title[a:b].strip() for a, b in title_segments(title)] if title else []
    if len(parts) < 2:
        return []
    return list(dict.fromkeys(_title_part_key(p) for p in parts if any(c.isalnum() for c in p)))


def count_title_parts(docs: Iterable[tuple[str, str | None]]) -> pa.Table:
    """(site, title) pairs -> table(site, line_key, n_docs): on how many documents of the
    site each part of a title occurs. Parts a site repeats are its name and sections."""
    return _count_keys((site, title_part_keys(title)) for site, title in docs)


def _count_keys(docs: Iterable[tuple[str, list[int]]]) -> pa.Table:
    counts: Counter[tuple[str, int]] = Counter()
    for site, doc_keys in docs:
        if site:
            counts.update((site, key) for key in doc_keys)
    sites, keys, n_docs = [], [], []
    for (site, key), n in counts.items():
        sites.append(site)
        keys.append(key)
        n_docs.append(n)
    return pa.table([sites, keys, n_docs], schema=SITE_LINES_SCHEMA)


def _sql_string(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def is_state_file(path: Path) -> bool:
    """A merged state file (as opposed to the per-run counts older versions stored)."""
    return "last_run" in pq.read_schema(path).names


def merge_site_lines(
    earlier: Sequence[Path],
    run_counts: Sequence[Path],
    destination: Path,
    *,
    run_number: int,
    spill_dir: Path,
    memory_limit: str = "128MB",
    keep_single_runs: int = KEEP_SINGLE_LINES_RUNS,
) -> None:
    """Sum the earlier state and this run's per-batch counts into one state file.

    `earlier` holds the newest state file and any per-run count files (an older layout)
    still to fold in. DuckDB aggregates on disk past `memory_limit`, so the run's memory does
    not grow with the corpus. Lines seen on one document `keep_single_runs` runs ago or
    earlier are dropped.
    """
    parts = []
    merged = [p for p in earlier if is_state_file(p)]
    legacy = [p for p in earlier if not is_state_file(p)]
    columns = "site, line_key, n_docs"
    for files, last_run in ((merged, "last_run"), (legacy, "0"), (run_counts, str(run_number))):
        if files:
            listed = ", ".join(_sql_string(p) for p in files)
            parts.append(f"SELECT {columns}, {last_run} AS last_run FROM read_parquet([{listed}])")
    if not run_counts:
        raise ValueError("merge_site_lines needs this run's counts; without them the state stands")
    union = " UNION ALL ".join(parts)
    oldest_kept = run_number - keep_single_runs
    query = f"""
        SELECT site, line_key, sum(n_docs)::BIGINT AS n_docs, max(last_run)::BIGINT AS last_run
        FROM ({union}) GROUP BY site, line_key
        HAVING sum(n_docs) > 1 OR max(last_run) > {oldest_kept}
    """
    spill_dir.mkdir(parents=True, exist_ok=True)
    config = {"memory_limit": memory_limit, "temp_directory": str(spill_dir), "threads": 2}
    with duckdb.connect(config=config) as con:
        con.execute("SET preserve_insertion_order = false")
        con.execute(
            f"COPY ({query}) TO {_sql_string(destination)} (FORMAT parquet, COMPRESSION zstd)"
        )


class SiteLineModel:
    """Which line keys are chrome on which site."""

    def __init__(self, repeated: dict[str, frozenset[int]]) -> None:
        self._repeated = repeated

    @classmethod
    def from_counts(cls, tables: Sequence[pa.Table], *, min_docs: int = 3) -> SiteLineModel:
        """Sum per-batch (and earlier runs') counts; a line on `min_docs` or more documents
        of one site is chrome there."""
        if not tables:
            return cls({})
        table = pa.concat_tables(
            [t.select(SITE_LINES_SCHEMA.names).cast(SITE_LINES_SCHEMA) for t in tables]
        )
        summed = table.group_by(["site", "line_key"]).aggregate([("n_docs", "sum")])
        repeated: dict[str, set[int]] = {}
        for site, key, n in zip(
            summed["site"].to_pylist(),
            summed["line_key"].to_pylist(),
            summed["n_docs_sum"].to_pylist(),
            strict=True,
        ):
            if n >= min_docs:
                repeated.setdefault(site, set()).add(key)
        return cls({site: frozenset(keys) for site, keys in repeated.items()})

    @classmethod
    def from_state(cls, path: Path | None, *, min_docs: int = 3) -> SiteLineModel:
        """Load the chrome lines of a merged state file: only lines on `min_docs` documents or
        more are read, so the model is as small as the sites' chrome."""
        if path is None:
            return cls({})
        table = pq.ParquetFile(path).read(columns=["site", "line_key", "n_docs"])
        table = table.filter(pc.greater_equal(table["n_docs"], min_docs))
        repeated: dict[str, set[int]] = {}
        for site, key in zip(table["site"].to_pylist(), table["line_key"].to_pylist(), strict=True):
            repeated.setdefault(site, set()).add(key)
        return cls({site: frozenset(keys) for site, keys in repeated.items()})

    @property
    def n_lines(self) -> int:
        return sum(len(keys) for keys in self._repeated.values())

    def strip_title(self, title: str | None, site: str | None) -> str | None:
        """The title without leading and trailing parts that recur across the site's titles
        (its name, sections: "ΤΟ ΒΗΜΑ - Headline - υγεία"), where no name of the site in the
        page said so. One part stays."""
        repeated = self._repeated.get(site or "")
        if not title or not repeated:
            return title
        segments = title_segments(title)
        start, end = 0, len(segments)
        while (
            end - start > 1
            and _title_part_key(title[slice(*segments[end - 1])].strip()) in repeated
        ):
            end -= 1
        while (
            end - start > 1 and _title_part_key(title[slice(*segments[start])].strip()) in repeated
        ):
            start += 1
        return title[segments[start][0] : segments[end - 1][1]].strip()

    def remove_repeats(self, text: str, site: str | None) -> tuple[str, list[Removal]]:
        """Cut the lines of `text` that repeat across the site's documents."""
        repeated = self._repeated.get(site or "")
        paragraphs = split_paragraphs(text)
        cut = _cuts(paragraphs, repeated) if repeated else []
        if not any(cut):
            return join_paragraphs(paragraphs), []
        kept = [p for p, c in zip(paragraphs, cut, strict=True) if not c]
        removed = _repeats(paragraphs, cut)
        return join_paragraphs(kept), removed


def _cuts(paragraphs: list[str], repeated: frozenset[int]) -> list[bool]:
    """Which paragraphs to cut: the repeated ones, but not the prose of a page that
    republishes a story the site showed before (and adds no story of its own), and none
    when no prose would be left."""
    book = phrase_book()
    analysed = [analyse(p, book) for p in paragraphs]
    hits = [_folded_key(p.key) in repeated for p in analysed]
    prose_words = sum(p.words for p in analysed if p.prose)
    republished = _republished(analysed, hits)
    cut = [hit and not (republished and p.prose) for p, hit in zip(analysed, hits, strict=True)]
    if prose_words and not any(p.prose for p, c in zip(analysed, cut, strict=True) if not c):
        return [False] * len(paragraphs)
    return cut


def _republished(analysed: list[Paragraph], hits: list[bool]) -> bool:
    """Most of the prose was seen on the site before, and the page adds no story of its own."""
    prose = [(p.words, hit) for p, hit in zip(analysed, hits, strict=True) if p.prose]
    repeated_words = sum(words for words, hit in prose if hit)
    own_paragraphs = sum(1 for _, hit in prose if not hit)
    return (
        repeated_words > REPUBLISHED_SHARE * sum(words for words, _ in prose)
        and own_paragraphs < OWN_STORY_PARAGRAPHS
    )


def _repeats(paragraphs: list[str], cut: list[bool]) -> list[Removal]:
    """The cut paragraphs as removals, under the rule id `site_repeat`."""
    return [
        Removal(RemovalKind.SITE_REPEAT, p, "site_repeat")
        for p, c in zip(paragraphs, cut, strict=True)
        if c
    ]
