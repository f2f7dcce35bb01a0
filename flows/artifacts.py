"""Publish a committed run as Prefect artifacts: what the UI shows on the flow run's page.

Fixed keys, so the Artifacts page keeps one history per kind of figure across scheduled runs.
The tables come from the RunSummary (exact for this run, no re-read); the markdown summary
is the report module's, read back from the committed tables, with a RunSummary fallback so a
report problem never hides the run's figures.
"""

from __future__ import annotations

import logging

from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_table_artifact,
)

from ingest.summary import RunSummary

SUMMARY_KEY = "ingest-summary"
LANGUAGES_KEY = "ingest-articles-by-language"
REMOVED_KEY = "ingest-removed-by-kind"
REJECTS_KEY = "ingest-rejects-by-reason"
REPORT_KEY = "ingest-report"


def summary_markdown(summary: RunSummary) -> str:
    """The report module's markdown for this run, or one built from the summary alone."""
    try:
        from ingest.report import load_run_report

        return load_run_report(summary.out_dir, summary.run_id).to_markdown(summary.report_path)
    except Exception as exc:  # the figures below must still be published
        logging.getLogger(__name__).warning("run report unavailable (%s); summary only", exc)
    lines = [
        f"## Run `{summary.run_id}`",
        "",
        "| files | records | articles | duplicates | rejects | elapsed | docs/s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
        f"| {summary.n_files:,} | {summary.n_records:,} | {summary.n_articles:,} "
        f"| {summary.n_duplicates:,} | {summary.n_rejects:,} | {summary.elapsed_s:.1f} s "
        f"| {summary.docs_per_second:.1f} |",
    ]
    if summary.report_path:
        lines += ["", f"Full report: `{summary.report_path}`"]
    return "\n".join(lines)


def language_rows(summary: RunSummary) -> list[dict[str, object]]:
    return [{"language": k, "articles": n} for k, n in summary.articles_by_language.items()]


def removed_rows(summary: RunSummary) -> list[dict[str, object]]:
    return [
        {"kind": k, "pieces": n, "chars": summary.removed_chars_by_kind.get(k, 0)}
        for k, n in summary.removed_by_kind.items()
    ]


def reject_rows(summary: RunSummary) -> list[dict[str, object]]:
    return [{"reason": k, "rejects": n} for k, n in summary.rejects_by_reason.items()]


def publish_run_artifacts(summary: RunSummary) -> None:
    """Create the markdown summary, the three count tables and a link to the HTML report."""
    run = f"run {summary.run_id}"
    create_markdown_artifact(
        summary_markdown(summary), key=SUMMARY_KEY, description=f"{run}: summary"
    )
    create_table_artifact(
        language_rows(summary), key=LANGUAGES_KEY, description=f"{run}: articles per language"
    )
    create_table_artifact(
        removed_rows(summary), key=REMOVED_KEY, description=f"{run}: removed chrome per kind"
    )
    create_table_artifact(
        reject_rows(summary), key=REJECTS_KEY, description=f"{run}: rejects per reason"
    )
    if summary.report_path:
        create_link_artifact(
            summary.report_path.resolve().as_uri(),
            link_text=f"HTML report of {run}",
            key=REPORT_KEY,
            description=str(summary.report_path),
        )
