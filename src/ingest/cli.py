"""`ingest`: the command line. Thin: it builds Options, calls the library and prints.

`ingest run` executes the pipeline in-process (about a second of overhead, no server);
`ingest run --prefect` runs the same job as a tracked Prefect flow run instead;
`ingest serve` runs it on a schedule as a Prefect deployment (Prefect only loads for those).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.documents import Reject
from ingest.locations import is_url
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
    str,
    typer.Argument(
        help="Folder of raw news documents (searched recursively), or a URL of a prefix in "
        "object storage (s3://bucket/raw, gs://..., any fsspec URL)."
    ),
]
OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Output folder for the Parquet datasets.")
]


def _print_version(value: bool) -> None:
    """Eager, so `ingest --version` answers before typer asks for a command."""
    if value:
        from ingest import __version__

        typer.echo(f"newsclean {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_print_version, is_eager=True
        ),
    ] = False,
) -> None:
    """newsclean: raw news in, clean deduplicated Parquet out."""


def _fail(message: str) -> None:
    console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def pipeline_options(
    raw_dir: RawDir = str(DEFAULTS.raw_dir),
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
    no_line_scorer: Annotated[
        bool,
        typer.Option(
            "--no-line-scorer", help="Clean plain-text dumps by the rules alone (no learned model)."
        ),
    ] = False,
    block_scorer: Annotated[
        bool,
        typer.Option(
            "--block-scorer/--no-block-scorer",
            help="Let the learned block scorer cut HTML paragraphs it scores as chrome.",
        ),
    ] = DEFAULTS.block_scorer,
    min_text_chars: Annotated[
        int, typer.Option(help="Shorter clean texts are rejected as no_text.")
    ] = DEFAULTS.min_text_chars,
    extraction_timeout: Annotated[
        float,
        typer.Option(
            help="CPU seconds allowed to extract one page (load does not count); "
            "a wall-clock backstop ends it at 5 times that."
        ),
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
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Stop on a bug of ours with its traceback, instead of an internal_error reject.",
        ),
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
            line_scorer=not no_line_scorer,
            block_scorer=block_scorer,
            min_text_chars=min_text_chars,
            extraction_timeout_s=extraction_timeout,
            max_file_bytes=max_file_mb << 20,
            max_record_bytes=max_record_mb << 20,
            lock_timeout_s=lock_timeout,
            write_report=not no_report,
            strict=strict,
        )
    except ValueError as exc:
        _fail(str(exc))
    if language_backend not in get_args(LanguageBackend):
        _fail(f"unknown language backend {language_backend!r} (auto, fasttext, cld2 or langdetect)")
    if not is_url(raw_dir) and not Path(raw_dir).is_dir():
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
    level = logging.INFO if verbose else logging.WARNING
    # The level is the handler's too: records that other loggers (Prefect's flow-run logs)
    # pass up to the root logger skip the root logger's own level.
    handler = logging.StreamHandler()
    handler.setLevel(level)
    logging.basicConfig(
        level=level, format="%(levelname)s %(name)s: %(message)s", handlers=[handler]
    )
    # Libraries' warnings (matplotlib, charset detection, ...) speak to developers, not to
    # someone ingesting news: they go to the log, shown with -v only.
    logging.captureWarnings(True)
    logging.getLogger("py.warnings").setLevel(logging.INFO if verbose else logging.ERROR)


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
    reprocess: Annotated[
        bool,
        typer.Option(
            "--reprocess",
            help="Re-clean every input present in RAW_DIR with today's pipeline and options, "
            "replacing its earlier rows (same doc_ids); inputs gone from RAW_DIR keep theirs.",
        ),
    ] = False,
) -> None:
    """Ingest the new files in RAW_DIR into Parquet datasets under --out."""
    _setup_logging(verbose)
    if reprocess:
        options = options.with_changes(reprocess=True)
    from ingest.pipeline import InterruptedAfterCommit, run_pipeline
    from ingest.summary import summary_json

    try:
        if prefect:
            _quiet_prefect(verbose)
            _sigterm_as_ctrl_c()
            summary = _run_with_prefect(options, task_runner, dask_address)
        else:
            with _progress_bar() as (bar, callback):
                summary = run_pipeline(options, progress=callback)
    except StoreError as exc:
        _fail(str(exc))
    except FileNotFoundError as exc:
        _fail(str(exc))
    except InterruptedAfterCommit as exc:
        _interrupted(committed_run=exc.run_id)
    except KeyboardInterrupt:
        _interrupted()
    if json_summary:
        sys.stdout.write(summary_json(summary) + "\n")
    else:
        print_summary(summary)
    if summary.n_files == 0 and summary.n_unchanged_files == 0:
        console.print(f"[yellow]{_nothing_found(options.raw_dir)}", highlight=False, soft_wrap=True)


def _nothing_found(raw_dir: Path | str) -> str:
    """Why a run read nothing: an empty (or mistyped) folder, or only files of other types."""
    from ingest.sources import discover
    from ingest.sources.discover import SUPPORTED_SUFFIXES

    _, rejects = discover(raw_dir)
    others = sorted({Path(r.source).suffix or "(no suffix)" for r in rejects})
    if not others:
        return f"no input files found in {raw_dir}"
    return (
        f"no supported input files in {raw_dir}: {len(rejects)} file(s) of other types "
        f"({', '.join(others[:6])}) are rejected as unsupported; newsclean reads "
        f"{SUPPORTED_SUFFIXES}"
    )


PREFECT_QUIET = {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
}
"""Prefect settings for a run or serve of ours unless the user set them: the telemetry of a
temporary server failed with tracebacks on a fresh PREFECT_HOME (its heartbeat writes to the
database while the server migrates it), and on a closed network it only logs errors."""


def _quiet_prefect(verbose: bool) -> None:
    """Set before Prefect is imported (it reads its settings once). Prefect's console shows
    warnings and errors only, unless -v or PREFECT_LOGGING_LEVEL asks for more; the flow
    run's logs still reach the API, and so the UI, in full."""
    for name, value in PREFECT_QUIET.items():
        os.environ.setdefault(name, value)
    if not verbose and "PREFECT_LOGGING_LEVEL" not in os.environ:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")


def _sigterm_as_ctrl_c() -> None:
    """SIGTERM (a service manager's stop) takes the Ctrl-C path: Prefect pauses the schedule
    and our temporary server is stopped. Its default would kill this process on the spot and
    leave the server running, orphaned."""
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))


def _interrupted(committed_run: str | None = None) -> None:
    """Ctrl-C: one line, exit 130 (128 + SIGINT, as shells report it)."""
    message = (
        "interrupted: nothing of this run was committed; the next run redoes its work"
        if committed_run is None
        else f"interrupted after run {committed_run} was committed: its rows are in, "
        "only its HTML report was not written"
    )
    console.print(message, highlight=False, soft_wrap=True)
    raise typer.Exit(code=130)


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
    from flows.api import configured_api_url
    from flows.runners import ClusterUnfit

    kind = _task_runner(task_runner, dask_address)
    if configured_api_url() is None:  # Prefect's own messages are quiet: say why we wait
        console.print(
            "no Prefect API configured (PREFECT_API_URL): starting a temporary server for this "
            "run (10-20 s)",
            style="dim",
            highlight=False,
            soft_wrap=True,
        )
    try:
        return ingest_flow.run_tracked(options, task_runner=kind, dask_address=dask_address)
    except ClusterUnfit as exc:
        _fail(str(exc))


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
    compact_at_files: Annotated[
        int,
        typer.Option(
            help="Compact the output (a compact-dataset subflow) once a table partition or "
            "state folder holds more than this many files (0: never)."
        ),
    ] = DEFAULTS.compact_at_files,
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
    _quiet_prefect(verbose)
    _sigterm_as_ctrl_c()
    if compact_at_files < 0:
        _fail("--compact-at-files must be 0 (never) or a number of files")
    options = options.with_changes(compact_at_files=compact_at_files)
    serve_module = _flows("serve", "serve")
    from flows.api import configured_api_url
    from flows.runners import ClusterUnfit

    kind = _task_runner(task_runner, dask_address)
    if configured_api_url() is None:
        console.print(
            "[yellow]note:[/] no Prefect API configured: the schedule lives only as long as this "
            "process, on a temporary server; for lasting schedules and the UI, run `prefect "
            "server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api",
            highlight=False,
            soft_wrap=True,
        )
    try:
        serve_module.serve_schedule(
            options, cron=cron, interval_s=interval, task_runner=kind, dask_address=dask_address
        )
    except (ValueError, ClusterUnfit) as exc:
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
    if summary.n_files_unread:
        table.add_row("files rejected unread", str(summary.n_files_unread))
    table.add_row("files unchanged since last run", str(summary.n_unchanged_files))
    table.add_row("input records", str(summary.n_records))
    table.add_row("articles", f"[green]{summary.n_articles}")
    for match, n in summary.duplicates_by_match.items():
        table.add_row(f"duplicates ({match})", f"[yellow]{n}")
    if not summary.duplicates_by_match:
        table.add_row("duplicates", "0")
    for reason, n in summary.rejects_by_reason.items():
        if reason != "internal_error":
            table.add_row(f"rejects: {reason}", f"[red]{n}")
    if not summary.rejects_by_reason:
        table.add_row("rejects", "0")
    if summary.n_internal_errors:
        table.add_row(
            "[bold red]internal errors (bugs: please report, see rejects)",
            f"[bold red]{summary.n_internal_errors}",
        )
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


def _dataset_folder(out: Path) -> Path:
    if not out.is_dir():
        _fail(f"output folder {out} does not exist")
    return out


@app.command()
def compact(
    out: OutDir = DEFAULTS.out_dir,
    lock_timeout: Annotated[
        float,
        typer.Option(help="Seconds to wait while a run writes the same output (0: refuse)."),
    ] = DEFAULTS.lock_timeout_s,
) -> None:
    """Rewrite the tables under --out into few large files with the same rows, upgrade files
    of an older schema, and bound its _state/ (dedup index parts merged, stale site-line
    statistics pruned)."""
    from ingest.compact import compact as compact_dataset

    if not out.is_dir():
        _fail(f"output folder {out} does not exist")
    try:
        summary = compact_dataset(out, lock_timeout_s=lock_timeout)
    except StoreError as exc:
        _fail(str(exc))
    print_compaction(summary)


def print_compaction(summary) -> None:
    """Files, rows and bytes of each folder compaction rewrote, and what it freed."""
    out = Console()
    if summary.rolled_back:
        out.print(f"[yellow]rolled back interrupted run(s): {', '.join(summary.rolled_back)}")
    if not summary.folders:
        out.print("nothing to compact: no folder holds two small files or one of an older schema")
        return
    table = Table(title=f"compaction {summary.compaction_id}", header_style="bold")
    for column in ("folder", "files", "rows", "size"):
        table.add_column(column, justify="left" if column == "folder" else "right")
    for f in summary.folders:
        table.add_row(
            f.name,
            f"{f.files_before} -> {f.files_after}",
            f"{f.rows_before} -> {f.rows_after}",
            f"{_size(f.bytes_before)} -> {_size(f.bytes_after)}",
        )
    out.print(table)
    out.print(
        f"freed {summary.freed_files} files and {_size(summary.freed_bytes)} "
        f"in {summary.seconds:.2f} s",
        highlight=False,
    )


def _size(n_bytes: int) -> str:
    for unit in ("B", "KB", "MB"):
        if abs(n_bytes) < 1024:
            return f"{n_bytes:.0f} {unit}" if unit == "B" else f"{n_bytes:.1f} {unit}"
        n_bytes /= 1024  # type: ignore[assignment]
    return f"{n_bytes:.1f} GB"


@app.command()
def stats(
    out_dir: Annotated[
        Path | None, typer.Argument(help="Output folder to describe (same as --out).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Output folder to describe.")
    ] = None,
) -> None:
    """Key figures of the whole dataset: outcomes, languages, formats, sites, chrome, runs, size."""
    from ingest.readback import print_stats

    if out_dir is not None and out is not None and out_dir != out:
        _fail(f"two output folders given ({out_dir} and --out {out}); give one")
    print_stats(_dataset_folder(out or out_dir or DEFAULTS.out_dir), Console())


@app.command()
def show(
    key: Annotated[
        str,
        typer.Argument(
            help="doc_id of an article, duplicate or reject, a unique start of one, or a source "
            "(rejects of whole files have no doc_id)."
        ),
    ],
    out: OutDir = DEFAULTS.out_dir,
) -> None:
    """One document: metadata, text, removed chrome by kind, its duplicates, its source."""
    from ingest.readback import AmbiguousKey, find_documents, render_document

    try:
        views = find_documents(_dataset_folder(out), key)
    except AmbiguousKey as exc:
        shown = ", ".join(exc.doc_ids[:5]) + (", ..." if len(exc.doc_ids) > 5 else "")
        _fail(f"{key} starts {len(exc.doc_ids)} doc_ids ({shown}); give more of it")
    if not views:
        _fail(f"no document with doc_id, doc_id prefix or source {key} in {out}")
    screen = Console()
    for view in views:
        render_document(view, screen)


OutputFormat = Literal["text", "json", "markdown"]


@app.command()
def clean(
    source: Annotated[
        str,
        typer.Argument(
            help="A raw file (HTML, text, JSON, JSONL, WARC; gzipped too), or - for stdin."
        ),
    ],
    output_format: Annotated[
        str, typer.Option("--format", "-f", help="text (the clean text), json or markdown.")
    ] = "text",
    as_json: Annotated[
        bool, typer.Option("--json", help="Same as --format json: the article's columns.")
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(
            help="File name standing for the input (its suffix picks the reader); "
            "default: the file's name, or a type guessed from the first bytes of stdin."
        ),
    ] = None,
    language_backend: Annotated[
        str, typer.Option(help="Language detector: auto, fasttext, cld2 or langdetect.")
    ] = DEFAULTS.language_backend,
    no_boilerplate: Annotated[
        bool, typer.Option("--no-boilerplate", help="Keep extracted text as is.")
    ] = False,
    min_text_chars: Annotated[
        int, typer.Option(help="Shorter clean texts are rejected as no_text.")
    ] = DEFAULTS.min_text_chars,
    verbose: VerboseFlag = False,
) -> None:
    """Clean one document and print it: no output folder, no state.

    A JSONL, JSON list or WARC file gives one result per record (with --json, one JSON
    object per line). Exits 1 when no record became an article (the reason goes to stderr,
    or is the JSON printed).
    """
    _setup_logging(verbose)
    fmt = "json" if as_json else output_format
    if fmt not in get_args(OutputFormat):
        _fail(f"unknown --format {fmt!r} (text, json or markdown)")
    if language_backend not in get_args(LanguageBackend):
        _fail(f"unknown language backend {language_backend!r} (auto, fasttext, cld2 or langdetect)")
    options = DEFAULTS.with_changes(
        language_backend=language_backend,
        strip_boilerplate=not no_boilerplate,
        min_text_chars=min_text_chars,
    )
    results = _clean_input(source, name, options)
    _print_cleaned(results, fmt)
    if not any(not isinstance(r, Reject) for r in results):
        raise typer.Exit(code=1)


def _clean_input(source: str, name: str | None, options: Options) -> list:
    from ingest.single import clean_path, sniff_name

    if source != "-":
        path = Path(source)
        if not path.is_file():
            _fail(f"{source} is not a file")
        return clean_path(path, options, name=name)
    data = sys.stdin.buffer.read()
    name = name or sniff_name(data[:4096])
    with tempfile.TemporaryDirectory(prefix="newsclean-clean-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        return clean_path(path, options, name=name)


def _print_cleaned(results: list, fmt: str) -> None:
    from ingest.single import as_markdown, as_record

    texts: list[str] = []
    for result in results:
        if fmt == "json":
            sys.stdout.write(json.dumps(as_record(result), ensure_ascii=False) + "\n")
        elif isinstance(result, Reject):
            console.print(
                f"[red]rejected[/] {result.source}: {result.reason}: {result.detail}",
                highlight=False,
                soft_wrap=True,
            )
        else:
            texts.append(as_markdown(result) if fmt == "markdown" else result.article.text)
    if texts:
        sys.stdout.write("\n\n".join(texts) + "\n")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
