"""Small text measures shared by the pipeline, the report and the benchmarks."""

from __future__ import annotations

import re

from ingest.scripts import UNSPACED_SCRIPTS, char_script

_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; characters of scripts written without spaces count one by one."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group()
        if any(char_script(ch) in UNSPACED_SCRIPTS for ch in word):
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
