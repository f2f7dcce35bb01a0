"""`ingest`: the command line. Thin: it builds Options, calls the library and prints.

`ingest run` executes the pipeline in-process (about a second of overhead, no server);
`ingest run --prefect` runs the same job as a tracked Prefect flow run instead;
`ingest serve` runs it on a schedule as a Prefect deployment (Prefect only loads for those).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, get_args

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.options import LanguageBackend, Options
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
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def pipeline_options(
    raw_dir: RawDir = DEFAULTS.raw_dir,
    out: OutDir = DEFAULTS.out_dir,
    workers: Annotated[
        int, typer.Option(help="Worker processes for reading, extraction and cleaning.")
    ] = DEFAULTS.workers,
    batch_size: Annotated[
        int, typer.Option(help="Documents per batch (the unit of parallel work).")
    ] = DEFAULTS.batch_size,
    language_backend: Annotated[
        str,
        typer.Option(
            help="Language detector: auto (ensemble, see README), fasttext, cld2 or langdetect."
        ),
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
    ruby_readings: Annotated[
        bool,
        typer.Option(
            "--ruby-readings", help="Keep ruby readings as '(reading)' after their base text."
        ),
    ] = DEFAULTS.ruby_readings,
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
        int,
        typer.Option(
            help="Larger HTML/text/JSON files (also once decompressed) are rejected as too_large; "
            "JSONL and WARC are streamed and capped per record instead."
        ),
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
) -> Options:
    """Options from the pipeline flags that `run` and `serve` share; exits on a bad value."""
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
            ruby_readings=ruby_readings,
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
    if language_backend not in get_args(LanguageBackend):
        _fail(f"unknown language backend {language_backend!r} (auto, fasttext, cld2 or langdetect)")
    if not raw_dir.is_dir():
        _fail(f"input folder {raw_dir} does not exist or is not a folder")
    return options


def _with_pipeline_options(command: Callable[..., None]) -> Callable[..., None]:
    """Give `command` every flag of pipeline_options; it receives them as its first argument,
    one Options, so `run` and `serve` take the same flags without declaring them twice."""
    shared = list(inspect.signature(pipeline_options, eval_str=True).parameters.values())
    own = list(inspect.signature(command, eval_str=True).parameters.values())[1:]

    @functools.wraps(command)
    def with_options(**flags: Any) -> None:
        options = pipeline_options(**{p.name: flags.pop(p.name) for p in shared})
        command(options, **flags)

    with_options.__signature__ = inspect.Signature(shared + own)  # type: ignore[attr-defined]
    with_options.__annotations__ = {p.name: p.annotation for p in shared + own}
    return with_options


TaskRunnerFlag = Annotated[
    str | None,
    typer.Option(
        help="Prefect task runner for the batches: threads, processes or dask "
        "(default: threads, or dask with --dask-address)."
    ),
]
DaskAddressFlag = Annotated[
    str | None,
    typer.Option(help="Scheduler of an existing Dask cluster (tcp://host:8786) for the batches."),
]
VerboseFlag = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Log every language-hint mismatch and internal error."),
]


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@app.command()
@_with_pipeline_options
def run(
    options: Options,
    prefect: Annotated[
        bool,
        typer.Option(
            "--prefect", help="Run as a tracked Prefect flow run (needs the flows/ folder)."
        ),
    ] = False,
    task_runner: TaskRunnerFlag = None,
    dask_address: DaskAddressFlag = None,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the run summary as JSON on stdout.")
    ] = False,
    verbose: VerboseFlag = False,
) -> None:
    """Ingest the new files in RAW_DIR into Parquet datasets under --out."""
    _setup_logging(verbose)
    from ingest.pipeline import run_pipeline, summary_json

    try:
        if prefect:
            summary = _run_with_prefect(options, task_runner, dask_address)
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


def _flows(module: str, flag: str):
    """A flows/ module, imported only when a Prefect path is asked for (Prefect is slow to load)."""
    try:
        return importlib.import_module(f"flows.{module}")
    except ImportError as exc:
        _fail(f"{flag} needs the flows/ package of the project (cannot import it: {exc})")


def _task_runner(task_runner: str | None, dask_address: str | None) -> str:
    from flows.runners import TASK_RUNNER_KINDS

    kind = task_runner or ("dask" if dask_address else "threads")
    if kind not in TASK_RUNNER_KINDS:
        _fail(f"unknown task runner {kind!r} ({', '.join(TASK_RUNNER_KINDS)})")
    if dask_address and kind != "dask":
        _fail("--dask-address needs --task-runner dask")
    return kind


def _run_with_prefect(options: Options, task_runner: str | None, dask_address: str | None):
    ingest_flow = _flows("ingest_flow", "--prefect")
    kind = _task_runner(task_runner, dask_address)
    return ingest_flow.run_tracked(options, task_runner=kind, dask_address=dask_address)


@app.command()
@_with_pipeline_options
def serve(
    options: Options,
    cron: Annotated[
        str | None, typer.Option(help='Cron schedule of the runs, e.g. "*/15 * * * *".')
    ] = None,
    interval: Annotated[float | None, typer.Option(help="Seconds between runs.")] = None,
    task_runner: TaskRunnerFlag = None,
    dask_address: DaskAddressFlag = None,
    verbose: VerboseFlag = False,
) -> None:
    """Serve the ingest-news deployment on a schedule against the configured Prefect API.

    Every run ingests the files that arrived in RAW_DIR since the last one; a run that comes
    due while the previous one still works is cancelled (one run at a time). Runs execute in
    this process until Ctrl-C. Point PREFECT_API_URL at a `prefect server start` to watch
    them in the UI.
    """
    _setup_logging(verbose)
    if (cron is None) == (interval is None):
        _fail("give one schedule: --cron EXPRESSION or --interval SECONDS")
    if interval is not None and interval <= 0:
        _fail("--interval must be a positive number of seconds")
    serve_module = _flows("serve", "serve")
    kind = _task_runner(task_runner, dask_address)
    try:
        serve_module.serve_schedule(
            options, cron=cron, interval_s=interval, task_runner=kind, dask_address=dask_address
        )
    except ValueError as exc:
        _fail(str(exc))


class _progress_bar:
    """A rich progress bar fed by the pipeline's progress(stage, done, total) callback."""

    _LABELS = {
        "read": "read · extract",
        "finalize": "clean · language · hash",
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


@app.command()
def stats(
    out_dir: Annotated[Path, typer.Argument(help="Output folder to describe.")] = DEFAULTS.out_dir,
) -> None:
    """Key figures of the whole dataset: outcomes, languages, formats, sites, chrome, runs, size."""
    from ingest.inspect import print_stats

    if not out_dir.is_dir():
        _fail(f"output folder {out_dir} does not exist")
    print_stats(out_dir, Console())


@app.command()
def show(
    doc_id: Annotated[str, typer.Argument(help="doc_id of an article, duplicate or reject.")],
    out: OutDir = DEFAULTS.out_dir,
) -> None:
    """One document: metadata, text, removed chrome by kind, its duplicates, its source."""
    from ingest.inspect import print_document

    if not print_document(out, doc_id, Console()):
        _fail(f"no document {doc_id} in {out}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
