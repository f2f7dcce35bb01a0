"""Read the output dataset back: key figures for `ingest stats`, one document for `ingest show`.

Readers only count rows of committed runs (a run's row in `runs/` is written last, so rows
of a run that is still being written or that died are invisible). Figures are computed from
narrow column projections with filters pushed down to the Parquet scan, so article texts
are never loaded for statistics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ingest.documents import RECORD_TABLES, TABLE_SCHEMAS, RejectReason
from ingest.store import committed_run_ids

TOP_SITES = 15


@dataclass(frozen=True)
class KindTotal:
    """How much text one boilerplate kind removed."""

    count: int
    chars: int


@dataclass(frozen=True)
class RunRow:
    """One committed run, as recorded in the runs table."""

    run_id: str
    started: datetime
    finished: datetime
    elapsed_s: float
    raw_dir: str
    n_files: int
    n_records: int
    n_articles: int
    n_duplicates: int
    n_rejects: int
    stage_seconds: dict[str, float]
    options: str
    pipeline_version: str

    @property
    def docs_per_s(self) -> float:
        return self.n_records / self.elapsed_s if self.elapsed_s > 0 else 0.0


@dataclass
class Figures:
    """Counts over the whole dataset or over one run; plain data, cheap to compute."""

    articles_by_language: Counter[str] = field(default_factory=Counter)
    duplicates_by_language: Counter[str] = field(default_factory=Counter)
    articles_by_format: Counter[str] = field(default_factory=Counter)
    duplicates_by_format: Counter[str] = field(default_factory=Counter)
    rejects_by_format: Counter[str] = field(default_factory=Counter)
    articles_by_site: Counter[str] = field(default_factory=Counter)
    duplicates_by_site: Counter[str] = field(default_factory=Counter)
    duplicates_by_match: Counter[str] = field(default_factory=Counter)
    rejects_by_reason: Counter[str] = field(default_factory=Counter)
    removed_by_kind: dict[str, KindTotal] = field(default_factory=dict)
    runs: list[RunRow] = field(default_factory=list)

    @property
    def n_articles(self) -> int:
        return sum(self.articles_by_language.values())

    @property
    def n_duplicates(self) -> int:
        return sum(self.duplicates_by_language.values())

    @property
    def n_rejects(self) -> int:
        return sum(self.rejects_by_reason.values())

    @property
    def n_documents(self) -> int:
        return self.n_articles + self.n_duplicates + self.n_rejects

    def top_sites(self, limit: int = TOP_SITES) -> list[tuple[str, int, int]]:
        """(site, articles, duplicates) for the sites with most documents, largest first."""
        totals = self.articles_by_site + self.duplicates_by_site
        ranked = sorted(totals, key=lambda site: (-totals[site], site))[:limit]
        return [(s, self.articles_by_site[s], self.duplicates_by_site[s]) for s in ranked]

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready plain data (for Prefect artifacts and machine consumers)."""
        data: dict[str, Any] = {
            "n_articles": self.n_articles,
            "n_duplicates": self.n_duplicates,
            "n_rejects": self.n_rejects,
        }
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, Counter):
                data[name] = dict(value.most_common())
        data["removed_by_kind"] = {k: asdict(t) for k, t in self.removed_by_kind.items()}
        data["runs"] = [
            {
                **asdict(run),
                "started": run.started.isoformat(),
                "finished": run.finished.isoformat(),
            }
            for run in self.runs
        ]
        return data


def open_table(out_dir: Path, table: str) -> ds.Dataset | None:
    """The table as a dataset typed by its declared schema, or None when nothing is written yet."""
    folder = Path(out_dir) / table
    if not folder.is_dir():
        return None
    schema = TABLE_SCHEMAS[table]
    partitioning = None
    if table == "articles":
        partitioning = ds.partitioning(pa.schema([schema.field("language")]), flavor="hive")
    dataset = ds.dataset(folder, schema=schema, format="parquet", partitioning=partitioning)
    return dataset if dataset.files else None


def run_filter(out_dir: Path, run_id: str | None) -> ds.Expression | None:
    """Rows of one run, or of every committed run when run_id is None."""
    if run_id is not None:
        return ds.field("run_id") == run_id
    return ds.field("run_id").isin(pa.array(committed_run_ids(out_dir), pa.string()))


def scan(
    out_dir: Path, table: str, columns: list[str], where: ds.Expression | None
) -> Iterator[pa.RecordBatch]:
    """Batches of a few columns of one table; nothing when the table does not exist yet."""
    dataset = open_table(out_dir, table)
    if dataset is None:
        return
    yield from dataset.to_batches(columns=columns, filter=where)


def _count_columns(batches: Iterable[pa.RecordBatch], keys: list[str]) -> dict[str, Counter[str]]:
    """One Counter of values per key column, in a single pass over the batches."""
    counts: dict[str, Counter[str]] = {key: Counter() for key in keys}
    for batch in batches:
        if batch.num_rows == 0:
            continue
        table = pa.Table.from_batches([batch])
        for key in keys:
            grouped = table.group_by(key).aggregate([([], "count_all")])
            values = grouped.column(key).to_pylist()
            for value, n in zip(values, grouped.column("count_all").to_pylist(), strict=True):
                counts[key][value if value is not None else "(none)"] += n
    return counts


def _removed_totals(batches: Iterable[pa.RecordBatch]) -> dict[str, KindTotal]:
    counts: Counter[str] = Counter()
    chars: Counter[str] = Counter()
    for batch in batches:
        flat = pc.list_flatten(batch.column("removed"))
        if len(flat) == 0:
            continue
        pieces = pa.table(
            {
                "kind": pc.struct_field(flat, "kind"),
                "chars": pc.utf8_length(pc.struct_field(flat, "text")),
            }
        )
        grouped = pieces.group_by("kind").aggregate([("chars", "count"), ("chars", "sum")])
        for kind, count, total in zip(
            grouped.column("kind").to_pylist(),
            grouped.column("chars_count").to_pylist(),
            grouped.column("chars_sum").to_pylist(),
            strict=True,
        ):
            counts[kind] += count
            chars[kind] += total or 0
    ranked = sorted(counts, key=lambda kind: (-chars[kind], kind))
    return {kind: KindTotal(counts[kind], chars[kind]) for kind in ranked}


def read_runs(out_dir: Path, run_id: str | None = None) -> list[RunRow]:
    """Committed runs, oldest first."""
    runs = open_table(out_dir, "runs")
    if runs is None:
        return []
    where = None if run_id is None else ds.field("run_id") == run_id
    rows = runs.to_table(filter=where).to_pylist()
    names = set(RunRow.__dataclass_fields__)
    result = [
        RunRow(
            **{
                **{k: v for k, v in row.items() if k in names},
                "stage_seconds": dict(row["stage_seconds"]),
            }
        )
        for row in rows
    ]
    return sorted(result, key=lambda run: run.started)


def collect_figures(out_dir: Path, run_id: str | None = None) -> Figures:
    """Figures for one run (run_id) or for every committed run of the dataset."""
    out_dir = Path(out_dir)
    where = run_filter(out_dir, run_id)
    figures = Figures(runs=read_runs(out_dir, run_id))
    key_columns = ["language", "input_format", "site"]
    articles = _count_columns(scan(out_dir, "articles", key_columns, where), key_columns)
    figures.articles_by_language = articles["language"]
    figures.articles_by_format = articles["input_format"]
    figures.articles_by_site = articles["site"]
    dup_keys = [*key_columns, "match"]
    duplicates = _count_columns(scan(out_dir, "duplicates", dup_keys, where), dup_keys)
    figures.duplicates_by_language = duplicates["language"]
    figures.duplicates_by_format = duplicates["input_format"]
    figures.duplicates_by_site = duplicates["site"]
    figures.duplicates_by_match = duplicates["match"]
    reject_keys = ["reason", "input_format"]
    rejects = _count_columns(scan(out_dir, "rejects", reject_keys, where), reject_keys)
    figures.rejects_by_reason = rejects["reason"]
    figures.rejects_by_format = rejects["input_format"]
    removed = [
        batch
        for table in ("articles", "duplicates")
        for batch in scan(out_dir, table, ["removed"], where)
    ]
    figures.removed_by_kind = _removed_totals(removed)
    return figures


def disk_usage(out_dir: Path) -> dict[str, int]:
    """Bytes on disk per top-level folder of the output (tables, reports, internal state)."""
    usage: dict[str, int] = {}
    for child in sorted(Path(out_dir).iterdir()) if Path(out_dir).is_dir() else []:
        if child.is_dir():
            usage[child.name] = sum(f.stat().st_size for f in child.rglob("*") if f.is_file())
    return usage


@dataclass
class DocumentView:
    """One document looked up by doc_id, with what it duplicates or what duplicates it."""

    table: str  # articles, duplicates or rejects
    record: dict[str, Any]
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    canonical: dict[str, Any] | None = None


def _rows_where(
    out_dir: Path, table: str, where: ds.Expression, columns: list[str] | None = None
) -> list[dict[str, Any]]:
    """Committed matching rows, reading wide columns only from the files that hold a match."""
    dataset = open_table(out_dir, table)
    if dataset is None:
        return []
    where = where & run_filter(out_dir, None)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for tagged in dataset.scanner(columns=["run_id"], filter=where).scan_batches():
        path = tagged.fragment.path
        if tagged.record_batch.num_rows == 0 or path in seen:
            continue
        seen.add(path)
        found = tagged.fragment.to_table(schema=dataset.schema, columns=columns, filter=where)
        rows.extend(found.to_pylist())
    return rows


def find_document(out_dir: Path, doc_id: str) -> DocumentView | None:
    """The article, duplicate or reject with this doc_id, or None."""
    out_dir = Path(out_dir)
    by_id = ds.field("doc_id") == doc_id
    summary = ["doc_id", "source", "url", "site", "title", "language", "run_id"]
    if articles := _rows_where(out_dir, "articles", by_id):
        duplicates = _rows_where(
            out_dir,
            "duplicates",
            ds.field("duplicate_of") == doc_id,
            [*summary, "match", "similarity"],
        )
        duplicates.sort(key=lambda row: (-row["similarity"], row["source"]))
        return DocumentView("articles", articles[0], duplicates=duplicates)
    if duplicates := _rows_where(out_dir, "duplicates", by_id):
        record = duplicates[0]
        canonical = _rows_where(
            out_dir, "articles", ds.field("doc_id") == record["duplicate_of"], summary
        )
        return DocumentView("duplicates", record, canonical=canonical[0] if canonical else None)
    if rejects := _rows_where(out_dir, "rejects", by_id):
        return DocumentView("rejects", rejects[0])
    return None


class AmbiguousKey(LookupError):
    """A doc_id prefix that starts more than one doc_id."""

    def __init__(self, key: str, doc_ids: list[str]) -> None:
        super().__init__(key)
        self.key = key
        self.doc_ids = doc_ids


def find_documents(out_dir: Path, key: str) -> list[DocumentView]:
    """What `key` names: a doc_id, else a `source` (rejects of whole files have no doc_id),
    else a unique doc_id prefix (AmbiguousKey when it starts several)."""
    out_dir = Path(out_dir)
    if (view := find_document(out_dir, key)) is not None:
        return [view]
    by_source = ds.field("source") == key
    views: list[DocumentView] = []
    for table in RECORD_TABLES:
        for row in _rows_where(out_dir, table, by_source, ["doc_id"]):
            doc_id = row["doc_id"]
            if doc_id is not None and (view := find_document(out_dir, doc_id)) is not None:
                views.append(view)
        if table == "rejects":
            rows = _rows_where(out_dir, table, by_source & ds.field("doc_id").is_null())
            views.extend(DocumentView(table, row) for row in rows)
    if views:
        return views
    starts = pc.starts_with(ds.field("doc_id"), pattern=key)
    doc_ids = sorted(
        {
            row["doc_id"]
            for table in RECORD_TABLES
            for row in _rows_where(out_dir, table, starts, ["doc_id"])
        }
    )
    if len(doc_ids) > 1:
        raise AmbiguousKey(key, doc_ids)
    return [view for doc_id in doc_ids if (view := find_document(out_dir, doc_id)) is not None]


KIND_STYLES = ("red", "magenta", "yellow", "cyan", "blue", "green", "bright_red", "bright_magenta")


def kind_style(kind: str, kinds: list[str]) -> str:
    """A stable colour per removal kind within one view."""
    return KIND_STYLES[sorted(set(kinds)).index(kind) % len(KIND_STYLES)]


def _counts_table(title: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", min_width=len(title))
    for index, name in enumerate(columns):
        table.add_column(name, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(Text(f"{v:,}" if isinstance(v, int) else str(v)) for v in row))
    return table


def _human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def render_stats(figures: Figures, usage: dict[str, int], console: Console) -> None:
    """Print the dataset's key figures as rich tables."""
    total = figures.n_documents
    console.print(
        _counts_table(
            "Outcomes",
            ["table", "rows", "share"],
            [
                (name, n, f"{n / total:.1%}" if total else "-")
                for name, n in (
                    ("articles", figures.n_articles),
                    ("duplicates", figures.n_duplicates),
                    ("rejects", figures.n_rejects),
                )
            ],
        )
    )
    languages = figures.articles_by_language + figures.duplicates_by_language
    console.print(
        _counts_table(
            "Per language",
            ["language", "articles", "duplicates"],
            [
                (lang, figures.articles_by_language[lang], figures.duplicates_by_language[lang])
                for lang in sorted(languages, key=lambda k: (-languages[k], k))
            ],
        )
    )
    formats = figures.articles_by_format + figures.duplicates_by_format + figures.rejects_by_format
    console.print(
        _counts_table(
            "Per input format",
            ["format", "articles", "duplicates", "rejects"],
            [
                (
                    fmt,
                    figures.articles_by_format[fmt],
                    figures.duplicates_by_format[fmt],
                    figures.rejects_by_format[fmt],
                )
                for fmt in sorted(formats, key=lambda k: (-formats[k], k))
            ],
        )
    )
    console.print(
        _counts_table(
            f"Per site (top {TOP_SITES} of {len(figures.articles_by_site | figures.duplicates_by_site):,})",
            ["site", "articles", "duplicates"],
            figures.top_sites(),
        )
    )
    console.print(
        _counts_table(
            "Duplicates per match",
            ["match", "rows"],
            sorted(figures.duplicates_by_match.items(), key=lambda kv: -kv[1]),
        )
    )
    console.print(
        _counts_table(
            "Rejects per reason",
            ["reason", "rows"],
            sorted(figures.rejects_by_reason.items(), key=lambda kv: -kv[1]),
        )
    )
    if internal_errors := figures.rejects_by_reason[RejectReason.INTERNAL_ERROR.value]:
        console.print(
            f"[bold red]{internal_errors} internal error(s)[/]: bugs of ours, not bad input; "
            "`ingest show SOURCE` gives the stage and exception, please report them",
            highlight=False,
            soft_wrap=True,
        )
    console.print(
        _counts_table(
            "Removed boilerplate per kind",
            ["kind", "pieces", "characters"],
            [(kind, t.count, t.chars) for kind, t in figures.removed_by_kind.items()],
        )
    )
    console.print(
        _counts_table(
            "Runs",
            ["run_id", "started (UTC)", "records", "articles", "dups", "rejects", "time", "docs/s"],
            [
                (
                    run.run_id,
                    run.started.strftime("%Y-%m-%d %H:%M:%S"),
                    run.n_records,
                    run.n_articles,
                    run.n_duplicates,
                    run.n_rejects,
                    f"{run.elapsed_s:.1f} s",
                    f"{run.docs_per_s:.1f}",
                )
                for run in figures.runs
            ],
        )
    )
    console.print(
        _counts_table(
            "Size on disk",
            ["folder", "size"],
            [(name, _human_bytes(size)) for name, size in usage.items()]
            + [("total", _human_bytes(sum(usage.values())))],
        )
    )


def _field_grid(record: dict[str, Any], names: list[str]) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for name in names:
        value = record.get(name)
        if value is not None and value != "":
            grid.add_row(name, Text(_cell(value)))
    return grid


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def _removed_table(removed: list[dict[str, str]]) -> Table:
    kinds = [piece["kind"] for piece in removed]
    table = Table(title="Removed boilerplate", title_justify="left", title_style="bold")
    table.add_column("kind")
    table.add_column("chars", justify="right")
    table.add_column("text")
    for piece in removed:
        style = kind_style(piece["kind"], kinds)
        table.add_row(
            Text(piece["kind"], style=f"bold {style}"),
            str(len(piece["text"])),
            Text(piece["text"], style=f"{style} strike"),
        )
    return table


def _links_table(title: str, rows: list[dict[str, Any]], extra: list[str]) -> Table:
    """Linked documents, one block each, so 32-character ids fit an 80-column terminal."""
    table = Table(title=title, title_justify="left", title_style="bold", expand=True)
    table.add_column(" / ".join(extra), no_wrap=True)
    table.add_column("title · source · doc_id", overflow="fold", ratio=1)
    for row in rows:
        table.add_row(
            Text(" ".join(_cell(row.get(name)) for name in extra)),
            Text.assemble(
                (row.get("title") or "(untitled)", "bold"),
                "\n",
                row["source"],
                "\n",
                (row["doc_id"], "dim"),
            ),
        )
    return table


ARTICLE_FIELDS = [
    "doc_id", "title", "author", "published", "url", "site", "language", "language_score",
    "input_format", "extraction_method", "encoding", "n_words", "n_chars", "cluster_size",
    "content_hash", "run_id", "ingested_at",
]  # fmt: skip
DUPLICATE_FIELDS = [
    "doc_id", "duplicate_of", "match", "similarity", "title", "url", "site", "language",
    "input_format", "n_words", "content_hash", "run_id", "ingested_at",
]  # fmt: skip
REJECT_FIELDS = ["doc_id", "reason", "detail", "input_format", "run_id", "ingested_at"]


def render_document(view: DocumentView, console: Console) -> None:
    """Print one document: metadata, text, removed chrome marked by kind, links, source."""
    record = view.record
    label = {"articles": "article", "duplicates": "duplicate", "rejects": "reject"}[view.table]
    fields = {"articles": ARTICLE_FIELDS, "duplicates": DUPLICATE_FIELDS}.get(
        view.table, REJECT_FIELDS
    )
    parts: list[Any] = [_field_grid(record, fields)]
    if view.table == "articles":
        parts.append(Panel(Text(record["text"]), title="text", title_align="left"))
    if record.get("removed"):
        parts.append(_removed_table(record["removed"]))
    if view.duplicates:
        parts.append(
            _links_table(
                f"Duplicates of this article ({len(view.duplicates)})",
                view.duplicates,
                ["match", "similarity"],
            )
        )
    if view.table == "duplicates":
        if view.canonical is not None:
            parts.append(_links_table("Duplicate of", [view.canonical], ["language"]))
        else:
            parts.append(Text(f"Duplicate of {record['duplicate_of']} (not found)"))
    parts.append(Text.assemble(("source: ", "bold"), record["source"]))
    console.print(Panel(Group(*parts), title=f"{label} {record.get('doc_id') or ''}"))


def print_stats(out_dir: Path, console: Console) -> None:
    """`ingest stats`: the key figures of every committed run in out_dir."""
    render_stats(collect_figures(out_dir), disk_usage(out_dir), console)


def print_document(out_dir: Path, doc_id: str, console: Console) -> bool:
    """`ingest show`: print the document with this doc_id; False when there is none."""
    view = find_document(out_dir, doc_id)
    if view is not None:
        render_document(view, console)
    return view is not None
