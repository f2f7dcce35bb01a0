"""The `compact-dataset` flow: `ingest compact` as a tracked Prefect flow run.

The scheduled `ingest-news` flow calls it as a subflow once a table partition or state
folder holds more than `compact_at_files` files, so a quarter-hourly schedule keeps its
output in few large files by itself; in the UI it is a child flow run of the ingest run
that triggered it, with its own log and a `compaction-summary` artifact of what it freed.
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from ingest.compact import CompactionSummary, compact

FLOW_NAME = "compact-dataset"
SUMMARY_KEY = "compaction-summary"


def summary_markdown(summary: CompactionSummary) -> str:
    lines = [
        f"## Compaction `{summary.compaction_id}`",
        "",
        "| folder | files | rows | bytes |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {f.name} | {f.files_before} → {f.files_after} | {f.rows_before} → {f.rows_after} "
        f"| {f.bytes_before:,} → {f.bytes_after:,} |"
        for f in summary.folders
    ]
    lines += ["", f"Freed {summary.freed_files} files and {summary.freed_bytes:,} bytes "]
    lines[-1] += f"in {summary.seconds:.2f} s."
    return "\n".join(lines)


@flow(
    name=FLOW_NAME,
    description="Rewrite the output's tables and state into few large files (same rows).",
    persist_result=False,
)
def compact_dataset(out_dir: Path, lock_timeout_s: float = 0.0) -> CompactionSummary:
    """Compact `out_dir` under its output lock and publish what was freed."""
    summary = compact(Path(out_dir), lock_timeout_s=lock_timeout_s)
    get_run_logger().info(
        "compaction %s: %d files and %d bytes freed in %.2f s",
        summary.compaction_id,
        summary.freed_files,
        summary.freed_bytes,
        summary.seconds,
    )
    create_markdown_artifact(
        key=SUMMARY_KEY, markdown=summary_markdown(summary), description="What compaction freed"
    )
    return summary
