"""Lines that repeat word for word across pages of one site are chrome.

On our eval data 53% of chrome lines repeat on another page of the same site against 0.7%
of article lines. Learning works in two phases so it scales and persists: each batch counts,
per site, on how many documents each line key occurs (`count_site_lines`); the pipeline
stores those tables and sums them with earlier runs' (`SiteLineModel.from_counts`). The
model then cuts the repeated lines, with guards for the article lines that also repeat:
a republished story (most of its prose seen before) keeps its prose.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import pyarrow as pa
import xxhash

from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.lines import analyse
from ingest.boilerplate.normalize import join_paragraphs, split_paragraphs
from ingest.boilerplate.phrases import fold, phrase_book
from ingest.documents import Removal

SITE_LINES_SCHEMA = pa.schema(
    [
        pa.field("site", pa.string(), nullable=False),
        pa.field("line_key", pa.uint64(), nullable=False),
        pa.field("n_docs", pa.int64(), nullable=False),
    ]
)
#: When repeated prose makes up more than this share of a document's prose, the document is
#: another version of a story already seen, not a page wrapped in chrome: its prose stays.
REPUBLISHED_SHARE = 0.5


def _line_key(line: str) -> int:
    return xxhash.xxh64_intdigest(fold(line).encode("utf-8"))


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
    counts: Counter[tuple[str, int]] = Counter()
    for site, text in docs:
        if site:
            counts.update((site, key) for key in line_keys(text))
    sites, keys, n_docs = [], [], []
    for (site, key), n in counts.items():
        sites.append(site)
        keys.append(key)
        n_docs.append(n)
    return pa.table([sites, keys, n_docs], schema=SITE_LINES_SCHEMA)


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

    @property
    def n_lines(self) -> int:
        return sum(len(keys) for keys in self._repeated.values())

    def remove_repeats(self, text: str, site: str | None) -> tuple[str, list[Removal]]:
        """Cut the lines of `text` that repeat across the site's documents."""
        repeated = self._repeated.get(site or "")
        paragraphs = split_paragraphs(text)
        if not repeated:
            return join_paragraphs(paragraphs), []
        book = phrase_book()
        analysed = [analyse(p, book) for p in paragraphs]
        hits = [_line_key(p) in repeated for p in paragraphs]
        prose_words = sum(p.words for p in analysed if p.prose)
        repeated_prose = sum(
            p.words for p, hit in zip(analysed, hits, strict=True) if hit and p.prose
        )
        republished = prose_words > 0 and repeated_prose > REPUBLISHED_SHARE * prose_words
        cut = [hit and not (republished and p.prose) for p, hit in zip(analysed, hits, strict=True)]
        if prose_words and not any(p.prose for p, c in zip(analysed, cut, strict=True) if not c):
            return join_paragraphs(paragraphs), []
        kept = [p for p, c in zip(paragraphs, cut, strict=True) if not c]
        removed = [
            Removal(RemovalKind.SITE_REPEAT, p) for p, c in zip(paragraphs, cut, strict=True) if c
        ]
        return join_paragraphs(kept), removed
