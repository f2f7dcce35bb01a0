"""The shape every per-document step has: a name and a function of one document, run over a
batch by `run_steps`, which keeps each step's seconds and counts the same way and turns a
bug of ours in a step into an internal_error reject of that one document.

A step's function takes the document and the batch's context and returns the document it
passes on (the same object changed, or a new one) or a Reject. A new step is one `Step`
entry in a stage's tuple of steps (see `ingest.stages`).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.documents import Article, RawDocument, Reject, RejectReason

log = logging.getLogger("ingest")


@dataclass(frozen=True)
class Step:
    """One named step: `run(document, context)` gives the next document or a Reject."""

    name: str
    run: Callable[[Any, Any], Any]


@dataclass
class StepStats:
    """Per step: seconds spent, documents it took in, documents it rejected."""

    seconds: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)

    def add(self, other: StepStats) -> None:
        self.seconds.update(other.seconds)
        self.documents.update(other.documents)
        self.rejected.update(other.rejected)


def internal_error(
    source: str, stage: str, exc: Exception, fmt: str | None, doc_id: str | None = None
) -> Reject:
    """The reject for a bug of ours on one record: the run goes on and says where it broke."""
    log.error("internal error on %s in stage %s", source, stage, exc_info=exc)
    message = str(exc)
    message = message if len(message) <= 300 else message[:299] + "…"
    detail = (
        f"{stage}: {type(exc).__name__}: {message}" if message else f"{stage}: {type(exc).__name__}"
    )
    return Reject(source, RejectReason.INTERNAL_ERROR, detail, fmt, doc_id)


def run_steps(
    steps: Sequence[Step],
    document: Any,
    context: Any,
    stats: StepStats,
    *,
    strict: bool,
    record: RawDocument | Article,
) -> Any:
    """`document` through `steps` in order: what the last gives, or the first Reject.

    An exception in a step becomes an internal_error reject of `record` (the input record
    the document stands for) naming the step; with `strict` it propagates, for development
    and tests."""
    for step in steps:
        stats.documents[step.name] += 1
        started = time.perf_counter()
        try:
            document = step.run(document, context)
        except Exception as exc:  # a bug of ours must not stop the run: reject, go on
            if strict:
                raise
            fmt = str(record.input_format)
            document = internal_error(record.source, step.name, exc, fmt, record.doc_id)
        finally:
            stats.seconds[step.name] += time.perf_counter() - started
        if isinstance(document, Reject):
            stats.rejected[step.name] += 1
            return document
    return document
