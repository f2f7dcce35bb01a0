"""Text normalisation, the exact content hash and the shingle hashes MinHash is built from.

Normalising keeps letters, digits and combining marks (so Devanagari or Thai words are not
cut at their vowel signs) and turns everything else into spaces.

Shingles are word 5-grams, or character 5-grams for scripts written without spaces. They are
taken line by line, and a line shorter than a shingle plus one token gives none: menu items,
share buttons, bylines and other short chrome lines then never enter the signature, and no
shingle glues the end of one paragraph to an unrelated next line. A text with no such line
(a short brief flattened onto one line) is shingled as a whole so it still has a signature.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import xxhash

from ingest.scripts import UNSPACED_SCRIPTS, dominant_script

SHINGLE_SIZE = 5
"""Tokens per shingle: words, or characters for unspaced scripts."""

_MAYBE_UNSPACED = re.compile("[\u0e00-\U0010ffff]")  # every UNSPACED_SCRIPTS script is up here
_SCRIPT_SAMPLE_CHARS = 2048
#: The golden-ratio multiplier that folds a run of hashes into one (shingles, band keys).
MIX = np.uint64(0x9E3779B97F4A7C15)
# ASCII bytes that are not letters or digits become spaces ('\n' survives to split lines);
# bytes of multi-byte UTF-8 sequences (>= 0x80) pass through untouched.
_ASCII_TO_SPACES = bytes(
    byte if chr(byte).isalnum() or byte == 0x0A else 0x20 for byte in range(128)
) + bytes(range(128, 256))


@lru_cache(maxsize=16384)
def _is_word_char(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char).startswith("M")


def _word_chars_and_newlines(text: str) -> str:
    """NFKC, lower case, non-word characters to spaces; line breaks kept.

    Done in C where possible (str.translate over a dict costs ~0.5 ms on a 5 KB article,
    this ~0.1 ms): a byte table for ASCII, then one replace per distinct non-ASCII symbol.
    """
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower().encode("utf-8").translate(_ASCII_TO_SPACES).decode("utf-8")
    if not text.isascii():
        for char in {char for char in set(text) if char > "\x7f" and not _is_word_char(char)}:
            text = text.replace(char, " ")
    return text


def normalize_text(text: str) -> str:
    """NFKC, lower case, every run of non-word characters to one space, trimmed."""
    return " ".join(_word_chars_and_newlines(text).split())


def content_hash(text: str) -> str:
    """Hex xxh3-128 of the normalised text: equal for copies that differ only in form."""
    return _hash_normalized(normalize_text(text))


def _hash_normalized(normalized: str) -> str:
    return xxhash.xxh3_128_hexdigest(normalized.encode())


def is_unspaced(normalized: str) -> bool:
    """True when the text is mostly in a script written without spaces (CJK, Thai, ...)."""
    if normalized.isascii() or not _MAYBE_UNSPACED.search(normalized):
        return False
    step = max(1, len(normalized) // _SCRIPT_SAMPLE_CHARS)
    return dominant_script(normalized[::step]) in UNSPACED_SCRIPTS


@dataclass(frozen=True, slots=True)
class Shingled:
    content_hash: str
    hashes: np.ndarray
    """Distinct 32-bit shingle hashes (uint32)."""


def shingle(text: str) -> Shingled:
    """Content hash and shingle hashes of a text, normalising it only once."""
    normalized = _word_chars_and_newlines(text)
    word_lines = [line.split() for line in normalized.split("\n")]
    words = [word for line in word_lines for word in line]
    digest = _hash_normalized(" ".join(words))
    if is_unspaced(normalized):
        token_lines = [list("".join(line)) for line in word_lines]
    else:
        token_lines = word_lines
    kept = [tokens for tokens in token_lines if len(tokens) > SHINGLE_SIZE]
    if not kept:
        flat = [token for tokens in token_lines for token in tokens]
        kept = [flat] if flat else []
    return Shingled(digest, _distinct(_shingle_hashes(kept)))


@lru_cache(maxsize=1 << 18)
def _token_hash(token: str) -> int:
    """Memoised per process: news vocabulary repeats, so most look-ups skip hashing."""
    return xxhash.xxh3_64_intdigest(token.encode())


def _shingle_hashes(lines: list[list[str]]) -> np.ndarray:
    """Hash every window of SHINGLE_SIZE tokens inside each line (one per shorter line)."""
    if not lines:
        return np.empty(0, dtype=np.uint32)
    tokens = [token for line in lines for token in line]
    hashes = np.fromiter(map(_token_hash, tokens), dtype=np.uint64, count=len(tokens))
    if len(lines) == 1 and len(tokens) < SHINGLE_SIZE:
        acc = hashes[:1].copy()
        for value in hashes[1:]:
            acc = acc * MIX + value
        return (fmix64(acc) >> np.uint64(32)).astype(np.uint32)
    count = len(tokens) - SHINGLE_SIZE + 1
    acc = hashes[:count].copy()
    for offset in range(1, SHINGLE_SIZE):
        acc = acc * MIX + hashes[offset : offset + count]
    # drop the windows that start in one line and end in the next
    ends = np.cumsum(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))[:-1]
    crossing = (ends[:, None] - np.arange(1, SHINGLE_SIZE)).ravel()
    keep = np.ones(count, dtype=bool)
    keep[crossing[crossing < count]] = False
    return (fmix64(acc[keep]) >> np.uint64(32)).astype(np.uint32)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique's hash path is several times slower on small arrays)."""
    values = np.sort(values)
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def shingle_hashes(text: str) -> np.ndarray:
    """Distinct 32-bit hashes of the text's shingles, as described in the module doc."""
    return shingle(text).hashes


def fmix64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads the polynomial combination over all bits."""
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))
