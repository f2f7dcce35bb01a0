"""What a run did, in figures: its tally while rows stream into the store, the RunSummary the
command line and the flows print, and the run's row of the `runs` table."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ingest import __version__
from ingest.documents import RUNS_SCHEMA, SCHEMA_VERSION, RejectReason
from ingest.options import Options
from ingest.rows import row
from ingest.sources import Plan


@dataclass
class RunSummary:
    run_id: str
    out_dir: Path
    started: datetime
    finished: datetime
    n_files: int
    n_unchanged_files: int
    n_records: int
    n_articles: int
    n_duplicates: int
    n_rejects: int
    n_already_ingested: int
    rejects_by_reason: dict[str, int]
    duplicates_by_match: dict[str, int]
    articles_by_language: dict[str, int]
    articles_by_format: dict[str, int]
    removed_by_kind: dict[str, int]
    removed_chars_by_kind: dict[str, int]
    stage_seconds: dict[str, float]
    rolled_back: list[str]
    report_path: Path | None = None
    n_internal_errors: int = 0
    """Rejects that are bugs of ours (reason internal_error), also counted in n_rejects."""
    n_files_unread: int = 0
    """Files rejected without being read (unsupported type, unreadable, vanished): each one
    reject row, counted in n_records and n_rejects but not in n_files."""

    @property
    def elapsed_s(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def docs_per_second(self) -> float:
        return self.n_records / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass
class Tally:
    """Counts of what a run wrote, gathered while its batches stream into the store."""

    articles: Counter = field(default_factory=Counter)  # by language
    formats: Counter = field(default_factory=Counter)
    duplicates: Counter = field(default_factory=Counter)  # by match
    rejects: Counter = field(default_factory=Counter)  # by reason
    removed: Counter = field(default_factory=Counter)
    removed_chars: Counter = field(default_factory=Counter)
    already_ingested: int = 0


def _ranked(counts: Counter) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summarize(
    options: Options,
    run_id: str,
    started: datetime,
    plan: Plan,
    tally: Tally,
    seconds: Counter,
    rolled_back: list[str],
) -> RunSummary:
    n_articles, n_duplicates = sum(tally.articles.values()), sum(tally.duplicates.values())
    n_rejects = sum(tally.rejects.values())
    return RunSummary(
        run_id=run_id,
        out_dir=options.out_dir,
        started=started,
        finished=datetime.now(UTC),
        n_files=len(plan.new_files),
        n_unchanged_files=len(plan.unchanged),
        n_records=n_articles + n_duplicates + n_rejects,
        n_articles=n_articles,
        n_duplicates=n_duplicates,
        n_rejects=n_rejects,
        n_already_ingested=tally.already_ingested,
        rejects_by_reason=_ranked(tally.rejects),
        duplicates_by_match=_ranked(tally.duplicates),
        articles_by_language=_ranked(tally.articles),
        articles_by_format=_ranked(tally.formats),
        removed_by_kind=_ranked(tally.removed),
        removed_chars_by_kind=_ranked(tally.removed_chars),
        stage_seconds={k: round(v, 4) for k, v in seconds.items()},
        rolled_back=rolled_back,
        n_internal_errors=tally.rejects[str(RejectReason.INTERNAL_ERROR)],
    )


def runs_row(options: Options, s: RunSummary) -> dict:
    """The run's row of the `runs` table: the summary's figures, its counts as maps."""
    counts = {
        name: list(getattr(s, name).items())
        for name in RUNS_SCHEMA.names
        if isinstance(getattr(s, name, None), dict)
    }
    return row(
        RUNS_SCHEMA,
        s,
        **counts,
        raw_dir=str(options.raw_dir),
        options=options.to_json(),
        pipeline_version=__version__,
        schema_version=SCHEMA_VERSION,
    )


def summary_json(summary: RunSummary) -> str:
    data = {k: v for k, v in vars(summary).items() if k not in ("out_dir", "report_path")}
    data.update(
        started=summary.started.isoformat(),
        finished=summary.finished.isoformat(),
        elapsed_s=summary.elapsed_s,
        docs_per_second=summary.docs_per_second,
        out_dir=str(summary.out_dir),
        report_path=str(summary.report_path) if summary.report_path else None,
    )
    return json.dumps(data, indent=2)
