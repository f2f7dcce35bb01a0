"""`ingest`: the command line. Thin: it builds Options, calls the library and prints.

`ingest run` executes the pipeline in-process (about a second of overhead, no server);
`ingest run --prefect` runs the same job as a tracked Prefect flow run instead.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.options import Options
from ingest.store import StoreError

app = typer.Typer(
    name="ingest",
    help="newsclean: turn a folder of raw news (HTML, text, JSON/JSONL, WARC) into clean, "
    "deduplicated, typed Parquet datasets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
DEFAULTS = Options()

RawDir = Annotated[
    Path, typer.Argument(help="Folder of raw news documents (searched recursively).")
]
OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Output folder for the Parquet datasets.")
]


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    """newsclean: raw news in, clean deduplicated Parquet out."""
    if version:
        from ingest import __version__

        typer.echo(__version__)
        raise typer.Exit()


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code=2)


@app.command()
def run(
    raw_dir: RawDir = DEFAULTS.raw_dir,
    out: OutDir = DEFAULTS.out_dir,
    workers: Annotated[
        int, typer.Option(help="Worker processes for reading, extraction and cleaning.")
    ] = DEFAULTS.workers,
    batch_size: Annotated[
        int, typer.Option(help="Documents per batch (the unit of parallel work).")
    ] = DEFAULTS.batch_size,
    language_backend: Annotated[
        str, typer.Option(help="Language detector: auto, fasttext or langdetect.")
    ] = DEFAULTS.language_backend,
    near_dup_threshold: Annotated[
        float,
        typer.Option(help="Estimated Jaccard of word 5-grams at which two texts are one story."),
    ] = DEFAULTS.near_dup_threshold,
    no_near_duplicates: Annotated[
        bool, typer.Option("--no-near-duplicates", help="Only exact duplicates.")
    ] = False,
    dedup_window_days: Annotated[
        int | None, typer.Option(help="Match only against the last N days of the dedup index.")
    ] = DEFAULTS.dedup_window_days,
    no_boilerplate: Annotated[
        bool,
        typer.Option(
            "--no-boilerplate", help="Keep extracted text as is (only whitespace normalised)."
        ),
    ] = False,
    site_repeat_min_docs: Annotated[
        int, typer.Option(help="A line on at least this many documents of one site is chrome.")
    ] = DEFAULTS.site_repeat_min_docs,
    min_text_chars: Annotated[
        int, typer.Option(help="Shorter clean texts are rejected as no_text.")
    ] = DEFAULTS.min_text_chars,
    extraction_timeout: Annotated[
        float, typer.Option(help="Seconds allowed to extract one page.")
    ] = DEFAULTS.extraction_timeout_s,
    max_file_mb: Annotated[
        int, typer.Option(help="Larger files (also once decompressed) are rejected as too_large.")
    ] = DEFAULTS.max_file_bytes >> 20,
    max_record_mb: Annotated[
        int, typer.Option(help="Larger single documents are rejected as too_large.")
    ] = DEFAULTS.max_record_bytes >> 20,
    lock_timeout: Annotated[
        float,
        typer.Option(help="Seconds to wait while another run writes the same output (0: refuse)."),
    ] = DEFAULTS.lock_timeout_s,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Do not write reports/<run_id>.html.")
    ] = False,
    prefect: Annotated[
        bool,
        typer.Option(
            "--prefect", help="Run as a tracked Prefect flow run (needs the flows/ folder)."
        ),
    ] = False,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose", "-v", help="Log every language-hint mismatch and internal error."
        ),
    ] = False,
) -> None:
    """Ingest the new files in RAW_DIR into Parquet datasets under --out."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        options = Options(
            raw_dir=raw_dir,
            out_dir=out,
            workers=workers,
            batch_size=batch_size,
            language_backend=language_backend,  # type: ignore[arg-type]
            near_dup_threshold=near_dup_threshold,
            near_duplicates=not no_near_duplicates,
            dedup_window_days=dedup_window_days,
            strip_boilerplate=not no_boilerplate,
            site_repeat_min_docs=site_repeat_min_docs,
            min_text_chars=min_text_chars,
            extraction_timeout_s=extraction_timeout,
            max_file_bytes=max_file_mb << 20,
            max_record_bytes=max_record_mb << 20,
            lock_timeout_s=lock_timeout,
            write_report=not no_report,
        )
    except ValueError as exc:
        _fail(str(exc))
    if language_backend not in ("auto", "fasttext", "langdetect"):
        _fail(f"unknown language backend {language_backend!r} (auto, fasttext or langdetect)")
    if not raw_dir.is_dir():
        _fail(f"input folder {raw_dir} does not exist or is not a folder")

    from ingest.pipeline import run_pipeline, summary_json

    try:
        if prefect:
            summary = _run_with_prefect(options)
        else:
            with _progress_bar() as (bar, callback):
                summary = run_pipeline(options, progress=callback)
    except StoreError as exc:
        _fail(str(exc))
    except FileNotFoundError as exc:
        _fail(str(exc))
    if json_summary:
        sys.stdout.write(summary_json(summary) + "\n")
    else:
        print_summary(summary)


def _run_with_prefect(options: Options):
    try:
        from flows.ingest_flow import run_tracked
    except ImportError as exc:
        _fail(f"--prefect needs the flows/ package next to the project (cannot import it: {exc})")
    return run_tracked(options)


class _progress_bar:
    """A rich progress bar fed by the pipeline's progress(stage, done, total) callback."""

    _LABELS = {
        "read": "read · extract · clean",
        "finalize": "language · fingerprint",
        "dedup": "dedup",
        "commit": "commit",
    }

    def __enter__(self):
        self.progress = Progress(
            TextColumn("[bold]{task.description:<24}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("batches"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.tasks: dict[str, int] = {}
        self.progress.__enter__()

        def callback(stage: str, done: int, total: int) -> None:
            if stage not in self.tasks:
                self.tasks[stage] = self.progress.add_task(
                    self._LABELS.get(stage, stage), total=max(total, 1)
                )
            self.progress.update(self.tasks[stage], completed=done, total=max(total, 1))

        return self.progress, callback

    def __exit__(self, *exc):
        return self.progress.__exit__(*exc)


def print_summary(summary) -> None:
    """The end-of-run table: what came in, what came out, and how fast."""
    out = Console()
    table = Table(title=f"run {summary.run_id}", show_header=True, header_style="bold")
    table.add_column("", style="bold")
    table.add_column("count", justify="right")
    table.add_row("input files read", str(summary.n_files))
    table.add_row("files unchanged since last run", str(summary.n_unchanged_files))
    table.add_row("input records", str(summary.n_records))
    table.add_row("articles", f"[green]{summary.n_articles}")
    for match, n in summary.duplicates_by_match.items():
        table.add_row(f"duplicates ({match})", f"[yellow]{n}")
    if not summary.duplicates_by_match:
        table.add_row("duplicates", "0")
    for reason, n in summary.rejects_by_reason.items():
        table.add_row(f"rejects: {reason}", f"[red]{n}")
    if not summary.rejects_by_reason:
        table.add_row("rejects", "0")
    if summary.n_already_ingested:
        table.add_row("records already ingested", str(summary.n_already_ingested))
    table.add_section()
    for language, n in summary.articles_by_language.items():
        table.add_row(f"language {language}", str(n))
    if summary.removed_by_kind:
        table.add_section()
        for kind, n in summary.removed_by_kind.items():
            table.add_row(
                f"removed {kind}", f"{n} ({summary.removed_chars_by_kind.get(kind, 0)} chars)"
            )
    table.add_section()
    table.add_row("elapsed", f"{summary.elapsed_s:.2f} s")
    table.add_row("records per second", f"{summary.docs_per_second:.1f}")
    out.print(table)
    if summary.rolled_back:
        out.print(f"[yellow]rolled back interrupted run(s): {', '.join(summary.rolled_back)}")
    where = f"output: {summary.out_dir}"
    if summary.report_path:
        where += f"   report: {summary.report_path}"
    out.print(where, highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
