"""Small text measures shared by the pipeline, the report and the benchmarks."""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.scripts import UNSPACED_SCRIPTS, char_script

_TOKEN = re.compile(r"\w+")
# The Unicode blocks where the scripts of UNSPACED_SCRIPTS live (Thai to Myanmar, Khmer, CJK
# and kana, Myanmar extensions, compatibility ideographs, halfwidth forms, the supplementary
# ideograph planes): a word (or a whole text) with no character there is a plain word and
# needs no look at each character's script. Curly quotes, dashes and other punctuation of
# Latin, Cyrillic or Arabic text lie outside, so such texts take the one-regex path.
_MAYBE_UNSPACED = re.compile(
    "[\u0e00-\u109f\u1780-\u19ff\u2e80-\u31ff\u3400-\u9fff\ua960-\uaa7f"
    "\uf900-\ufaff\uff00-\uffef\U00016fe0-\U0001b2ff\U00020000-\U0003ffff]"
)

#: Separators between a headline and the site's name in a metadata title.
_SEPARATOR = re.compile(
    r"\s*(?:--|::|――|_)\s*|(?<=\S):\s+|\s+[|\-–—:·•»«/~]\s+|\s*[|•ㅣ]\s*|(?<!·)·(?!·)"
)


@lru_cache(maxsize=8192)
def title_segments(title: str) -> tuple[tuple[int, int], ...]:
    """Where the parts of a title between its separators lie ("Headline | Section | Site"):
    one part, the whole, when it has none. Cached: a page's titles are segmented by the
    affix cut, the ranker's candidates and its features."""
    marks = list(_SEPARATOR.finditer(title))
    bounds = [0, *(i for m in marks for i in (m.start(), m.end())), len(title)]
    return tuple((bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2))


def squeeze(text: str) -> str:
    """Runs of whitespace as one space, ends trimmed: how page text compares across markup."""
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; characters of scripts written without spaces count one by one."""
    lowered = text.lower()
    if not _MAYBE_UNSPACED.search(lowered):
        return _TOKEN.findall(lowered)
    out: list[str] = []
    for match in _TOKEN.finditer(lowered):
        word = match.group()
        if _MAYBE_UNSPACED.search(word) and any(char_script(ch) in UNSPACED_SCRIPTS for ch in word):
            run = []
            for ch in word:
                if char_script(ch) in UNSPACED_SCRIPTS:
                    if run:
                        out.append("".join(run))
                        run = []
                    out.append(ch)
                else:
                    run.append(ch)
            if run:
                out.append("".join(run))
        else:
            out.append(word)
    return out


def count_words(text: str) -> int:
    """The `n_words` column: tokens, each character of a script written without spaces one
    (as search engines index them). The cleaner's length limits use
    `boilerplate.lines.word_equivalents` instead, which weighs such characters by reading length."""
    return len(tokens(text))
