"""Python's garbage collector set for a run while one is in progress, and put back after it.

A run holds large long-lived structures (langdetect's profiles, the fastText wrapper, phrase
tables, the script and shingle caches, parsed modules): every full collection walks them all,
and on news pages that cost 1.5-2.6 ms per document. While a run is in progress, whatever is
alive when a run or a batch starts is moved out of the collector's sight (`gc.freeze`), so
collections walk only what the run made since, and the youngest generation is collected less
often, so fewer short-lived objects are ever examined.

The settings are the process's, so entries are counted: the first one saves the caller's
settings, the last one to leave restores them, however runs and batches nest or overlap
(several batches on a thread runner, a run inside a notebook). Nothing is frozen when the
caller had frozen objects of its own, since unfreezing at the end would release theirs too.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

#: Allocations (net of deallocations) of tracked objects between two young collections: ten
#: times Python's default, which a page's parse and extraction exceed many times over.
YOUNG_THRESHOLD = 7_000


class _State:
    lock = threading.Lock()
    depth = 0
    saved_threshold: tuple[int, ...] = ()
    freezes = False


@contextmanager
def run_collector() -> Iterator[None]:
    """Collector settings for a run or a batch (see the module's docstring)."""
    with _State.lock:
        if _State.depth == 0:
            _State.saved_threshold = gc.get_threshold()
            _State.freezes = gc.get_freeze_count() == 0
            young = _State.saved_threshold[0]
            if 0 < young < YOUNG_THRESHOLD:  # 0: the caller turned automatic collection off
                gc.set_threshold(YOUNG_THRESHOLD, *_State.saved_threshold[1:])
        _State.depth += 1
        if _State.freezes:
            gc.collect(1)  # young garbage frozen now would stay until the run ends
            gc.freeze()
    try:
        yield
    finally:
        with _State.lock:
            _State.depth -= 1
            if _State.depth == 0:
                gc.set_threshold(*_State.saved_threshold)
                if _State.freezes:
                    gc.unfreeze()
