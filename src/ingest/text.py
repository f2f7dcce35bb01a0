"""Small text measures shared by the pipeline, the report and the benchmarks."""

from __future__ import annotations

import re

from ingest.scripts import UNSPACED_SCRIPTS, char_script

_TOKEN = re.compile(r"\w+")
# Every script in UNSPACED_SCRIPTS is encoded from U+0E00 (Thai) up: a word (or a whole text)
# with no character there is a plain word, and needs no look at each character's script.
_MAYBE_UNSPACED = re.compile("[\u0e00-\U0010ffff]")


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
    return len(tokens(text))
