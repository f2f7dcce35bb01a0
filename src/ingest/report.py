"""The HTML report of one committed run: what went in, what came out, where the time went.

A report is written every run (every 15 minutes on a schedule), so it must be small and open
anywhere without network: plots are matplotlib (Agg) rendered to inline SVG with text left
as text (no embedded JS or fonts), every value from the data is HTML-escaped, and a
Content-Security-Policy forbids the page from loading anything.
"""

from __future__ import annotations

import html
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import pyarrow.dataset as ds
from matplotlib.figure import Figure

from ingest.documents import UNDETERMINED
from ingest.inspect import Figures, RunRow, collect_figures, read_runs, run_filter, scan

EXAMPLES_PER_KIND = 3
EXAMPLE_CHARS = 240
TOP_CLUSTERS = 8
TOP_LANGUAGES = 20
REJECTS_PER_REASON = 5

ARTICLES_COLOR = "#0072B2"
DUPLICATES_COLOR = "#E69F00"
REJECTS_COLOR = "#CC3311"
NEUTRAL_COLOR = "#4C6A85"


@dataclass(frozen=True)
class ClusterMember:
    doc_id: str
    source: str
    title: str | None
    site: str | None
    match: str
    similarity: float


@dataclass(frozen=True)
class Cluster:
    """A canonical article and the duplicates of it that this run found."""

    doc_id: str
    title: str | None
    source: str | None
    site: str | None
    language: str
    size: int  # the canonical plus all its duplicates, over every run
    members: list[ClusterMember]


@dataclass(frozen=True)
class RemovalExample:
    text: str
    source: str


@dataclass(frozen=True)
class RejectExample:
    source: str
    reason: str
    detail: str


@dataclass
class RunReport:
    """Everything the report shows, as plain data (also published as Prefect artifacts)."""

    run: RunRow
    figures: Figures
    clusters: list[Cluster] = field(default_factory=list)
    removal_examples: dict[str, list[RemovalExample]] = field(default_factory=dict)
    reject_examples: list[RejectExample] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        figures = self.figures.as_dict()
        run = figures.pop("runs")[0]
        return {
            "run": {**run, "docs_per_s": self.run.docs_per_s},
            "figures": figures,
            "clusters": [asdict(cluster) for cluster in self.clusters],
            "removal_examples": {
                kind: [asdict(example) for example in examples]
                for kind, examples in self.removal_examples.items()
            },
            "reject_examples": [asdict(example) for example in self.reject_examples],
        }

    def to_markdown(self, report_path: Path | None = None) -> str:
        """Key figures as markdown (a Prefect markdown artifact), linking the HTML report."""
        run, figures = self.run, self.figures
        lines = [
            f"## Run `{run.run_id}`",
            "",
            "| records | articles | duplicates | rejects | elapsed | docs/s |",
            "|---:|---:|---:|---:|---:|---:|",
            f"| {run.n_records:,} | {figures.n_articles:,} | {figures.n_duplicates:,} "
            f"| {figures.n_rejects:,} | {run.elapsed_s:.1f} s | {run.docs_per_s:.1f} |",
            "",
        ]
        sections = [
            ("language", "articles", figures.articles_by_language),
            ("match", "duplicates", figures.duplicates_by_match),
            ("reason", "rejects", figures.rejects_by_reason),
            (
                "kind",
                "removed pieces",
                Counter({k: t.count for k, t in figures.removed_by_kind.items()}),
            ),
            ("stage", "seconds", Counter(run.stage_seconds)),
        ]
        for key, value, counts in sections:
            if not counts:
                continue
            lines += [f"| {key} | {value} |", "|---|---:|"]
            lines += [f"| {_md(name)} | {_number(n)} |" for name, n in counts.most_common()]
            lines.append("")
        if report_path is not None:
            lines.append(f"Full report: [{report_path.name}]({report_path.resolve().as_uri()})")
        return "\n".join(lines)


def _md(value: str) -> str:
    return value.replace("|", "\\|")


def _number(value: float) -> str:
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def _clusters(out_dir: Path, run_id: str) -> list[Cluster]:
    where = run_filter(out_dir, run_id)
    columns = ["doc_id", "source", "title", "site", "duplicate_of", "match", "similarity"]
    members: dict[str, list[ClusterMember]] = {}
    for batch in scan(out_dir, "duplicates", columns, where):
        for row in batch.to_pylist():
            member = ClusterMember(
                row["doc_id"],
                row["source"],
                row["title"],
                row["site"],
                row["match"],
                row["similarity"],
            )
            members.setdefault(row["duplicate_of"], []).append(member)
    largest = sorted(members, key=lambda doc_id: (-len(members[doc_id]), doc_id))[:TOP_CLUSTERS]
    if not largest:
        return []
    canonical_columns = ["doc_id", "source", "title", "site", "language", "cluster_size"]
    canonicals = {
        row["doc_id"]: row
        for batch in scan(out_dir, "articles", canonical_columns, ds.field("doc_id").isin(largest))
        for row in batch.to_pylist()
    }
    clusters = []
    for doc_id in largest:
        canonical = canonicals.get(doc_id, {})
        found = members[doc_id]
        clusters.append(
            Cluster(
                doc_id=doc_id,
                title=canonical.get("title"),
                source=canonical.get("source"),
                site=canonical.get("site"),
                language=canonical.get("language", UNDETERMINED),
                size=max(canonical.get("cluster_size", 0), len(found) + 1),
                members=sorted(found, key=lambda m: (-m.similarity, m.source)),
            )
        )
    return clusters


def _removal_examples(out_dir: Path, run_id: str) -> dict[str, list[RemovalExample]]:
    where = run_filter(out_dir, run_id)
    examples: dict[str, list[RemovalExample]] = {}
    seen: set[tuple[str, str]] = set()
    for table in ("articles", "duplicates"):
        for batch in scan(out_dir, table, ["source", "removed"], where):
            for row in batch.to_pylist():
                for piece in row["removed"]:
                    kind, text = piece["kind"], " ".join(piece["text"].split())
                    chosen = examples.setdefault(kind, [])
                    if len(chosen) < EXAMPLES_PER_KIND and (kind, text) not in seen:
                        seen.add((kind, text))
                        chosen.append(RemovalExample(_shorten(text), row["source"]))
    return examples


def _reject_examples(out_dir: Path, run_id: str) -> list[RejectExample]:
    where = run_filter(out_dir, run_id)
    per_reason: Counter[str] = Counter()
    examples = []
    for batch in scan(out_dir, "rejects", ["source", "reason", "detail"], where):
        for row in batch.to_pylist():
            if per_reason[row["reason"]] < REJECTS_PER_REASON:
                per_reason[row["reason"]] += 1
                examples.append(
                    RejectExample(row["source"], row["reason"], _shorten(row["detail"]))
                )
    return sorted(examples, key=lambda e: (e.reason, e.source))


def _shorten(text: str) -> str:
    return text if len(text) <= EXAMPLE_CHARS else text[: EXAMPLE_CHARS - 1] + "…"


def load_run_report(out_dir: Path, run_id: str) -> RunReport:
    """Read one committed run's figures back from the Parquet tables."""
    out_dir = Path(out_dir)
    runs = read_runs(out_dir, run_id)
    if not runs:
        raise LookupError(f"run {run_id!r} is not committed in {out_dir}")
    return RunReport(
        run=runs[0],
        figures=collect_figures(out_dir, run_id),
        clusters=_clusters(out_dir, run_id),
        removal_examples=_removal_examples(out_dir, run_id),
        reject_examples=_reject_examples(out_dir, run_id),
    )


# Charts -------------------------------------------------------------------------------------

CHART_STYLE = {
    "svg.fonttype": "none",  # keep text as <text>: small, selectable, any script the browser has
    "font.family": "sans-serif",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#888888",
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
}


@dataclass(frozen=True)
class Series:
    label: str
    color: str | Sequence[str]  # one colour, or one per bar
    values: Sequence[float]


def _bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], unit: str = ""
) -> Figure:
    """Horizontal (stacked) bars, largest on top, totals written at the bar ends."""
    figure = Figure(figsize=(6.0, 0.9 + 0.32 * max(len(labels), 1)), layout="constrained")
    axes = figure.add_subplot()
    positions = range(len(labels))
    left = [0.0] * len(labels)
    for item in series:
        axes.barh(positions, item.values, left=left, color=item.color, label=item.label, height=0.7)
        left = [a + b for a, b in zip(left, item.values, strict=True)]
    for y, total in zip(positions, left, strict=True):
        text = f"{total:,.0f}" if float(total).is_integer() else f"{total:,.2f}"
        axes.text(total, y, f" {text}{unit}", va="center", fontsize=9)
    axes.set_yticks(list(positions), labels=list(labels))
    axes.invert_yaxis()
    axes.set_xlim(0, max(left, default=0) * 1.18 or 1)
    axes.set_title(title)
    axes.tick_params(axis="y", length=0)
    axes.set_xticks([])  # every bar carries its value; ticks would only cost drawing time
    axes.spines["bottom"].set_visible(False)
    return figure


def _svg(figure: Figure, salt: str) -> str:
    """The figure as an inline <svg> element, ids salted so several charts can share a page."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.DOTALL)
    return re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r'\1 class="chart"', svg, count=1)


def _ranked(counts: Counter[str]) -> list[str]:
    return sorted(counts, key=lambda key: (-counts[key], key))


def _charts(report: RunReport) -> list[tuple[str, Figure]]:
    figures, run = report.figures, report.run
    charts: list[tuple[str, Figure]] = []

    outcome_labels = ["articles"]
    outcome_values = [figures.n_articles]
    outcome_colors = [ARTICLES_COLOR]
    for match in _ranked(figures.duplicates_by_match):
        outcome_labels.append(f"duplicate · {match}")
        outcome_values.append(figures.duplicates_by_match[match])
        outcome_colors.append(DUPLICATES_COLOR)
    for reason in _ranked(figures.rejects_by_reason):
        outcome_labels.append(f"reject · {reason}")
        outcome_values.append(figures.rejects_by_reason[reason])
        outcome_colors.append(REJECTS_COLOR)
    outcomes = Series("records", outcome_colors, outcome_values)
    charts.append(
        ("outcomes", _bar_chart("Outcome of every input record", outcome_labels, [outcomes]))
    )

    all_languages = _ranked(figures.articles_by_language + figures.duplicates_by_language)
    languages = all_languages[:TOP_LANGUAGES]
    shown = "" if languages == all_languages else f" (top {len(languages)} of {len(all_languages)})"
    charts.append(
        (
            "languages",
            _bar_chart(
                f"Documents per language{shown}",
                languages,
                [
                    Series(
                        "articles",
                        ARTICLES_COLOR,
                        [figures.articles_by_language[k] for k in languages],
                    ),
                    Series(
                        "duplicates",
                        DUPLICATES_COLOR,
                        [figures.duplicates_by_language[k] for k in languages],
                    ),
                ],
            ),
        )
    )
    formats = _ranked(
        figures.articles_by_format + figures.duplicates_by_format + figures.rejects_by_format
    )
    charts.append(
        (
            "formats",
            _bar_chart(
                "Documents per input format",
                formats,
                [
                    Series(
                        "articles", ARTICLES_COLOR, [figures.articles_by_format[k] for k in formats]
                    ),
                    Series(
                        "duplicates",
                        DUPLICATES_COLOR,
                        [figures.duplicates_by_format[k] for k in formats],
                    ),
                    Series(
                        "rejects", REJECTS_COLOR, [figures.rejects_by_format[k] for k in formats]
                    ),
                ],
            ),
        )
    )
    sites = figures.top_sites()
    n_sites = len(figures.articles_by_site.keys() | figures.duplicates_by_site.keys())
    shown = "" if len(sites) == n_sites else f" (top {len(sites)} of {n_sites:,})"
    charts.append(
        (
            "sites",
            _bar_chart(
                f"Documents per site{shown}",
                [site for site, _, _ in sites],
                [
                    Series("articles", ARTICLES_COLOR, [n for _, n, _ in sites]),
                    Series("duplicates", DUPLICATES_COLOR, [n for _, _, n in sites]),
                ],
            ),
        )
    )
    kinds = list(figures.removed_by_kind)
    if kinds:
        charts.append(
            (
                "removed-chars",
                _bar_chart(
                    "Boilerplate removed per kind (characters)",
                    kinds,
                    [
                        Series(
                            "characters",
                            NEUTRAL_COLOR,
                            [figures.removed_by_kind[k].chars for k in kinds],
                        )
                    ],
                ),
            )
        )
        charts.append(
            (
                "removed-pieces",
                _bar_chart(
                    "Boilerplate removed per kind (pieces)",
                    kinds,
                    [
                        Series(
                            "pieces",
                            NEUTRAL_COLOR,
                            [figures.removed_by_kind[k].count for k in kinds],
                        )
                    ],
                ),
            )
        )
    stages = list(run.stage_seconds)
    charts.append(
        (
            "stages",
            _bar_chart(
                f"Time per stage ({run.elapsed_s:.1f} s in all)",
                stages,
                [Series("seconds", NEUTRAL_COLOR, [run.stage_seconds[s] for s in stages])],
                unit=" s",
            ),
        )
    )
    return charts


# HTML ---------------------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6876; --line: #dde3ea; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif;
       color: var(--ink); background: #f6f8fa; margin: 0; padding: 24px 32px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; }
.meta { color: var(--muted); margin: 0 0 20px; }
.meta code { color: var(--ink); }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px;
       border-top: 4px solid var(--accent, #4C6A85); }
.kpi .value { font-size: 26px; font-weight: 700; font-variant-numeric: tabular-nums; }
.kpi .label { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0;
         padding: 10px 12px; }
svg.chart { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.example { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px;
           background: #fff4f2; border-left: 3px solid #CC3311; padding: 2px 8px; }
.legend span { margin-right: 18px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px;
                       margin-right: 6px; vertical-align: -1px; background: var(--swatch); }
.small { color: var(--muted); font-size: 13px; }
.cluster { background: #fff; border: 1px solid var(--line); border-radius: 8px;
           padding: 10px 14px; margin-bottom: 12px; }
.cluster h3 { font-size: 15px; margin: 0 0 4px; }
.empty { color: var(--muted); font-style: italic; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px; overflow-x: auto; }
"""

LEGEND = (
    '<p class="legend">'
    f'<span style="--swatch:{ARTICLES_COLOR}">articles</span>'
    f'<span style="--swatch:{DUPLICATES_COLOR}">duplicates</span>'
    f'<span style="--swatch:{REJECTS_COLOR}">rejects</span></p>'
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _kpi(label: str, value: str, accent: str = NEUTRAL_COLOR, note: str = "") -> str:
    return (
        f'<div class="kpi" style="--accent:{accent}"><div class="value">{_e(value)}</div>'
        f'<div class="label">{_e(label)}{"<br>" + _e(note) if note else ""}</div></div>'
    )


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%} of records" if whole else ""


def _kpis(report: RunReport) -> str:
    run, figures = report.run, report.figures
    total = figures.n_documents
    return (
        '<section class="kpis">'
        + "".join(
            [
                _kpi("records read", f"{run.n_records:,}", note=f"from {run.n_files:,} files"),
                _kpi(
                    "articles",
                    f"{figures.n_articles:,}",
                    ARTICLES_COLOR,
                    _share(figures.n_articles, total),
                ),
                _kpi(
                    "duplicates",
                    f"{figures.n_duplicates:,}",
                    DUPLICATES_COLOR,
                    _share(figures.n_duplicates, total),
                ),
                _kpi(
                    "rejects",
                    f"{figures.n_rejects:,}",
                    REJECTS_COLOR,
                    _share(figures.n_rejects, total),
                ),
                _kpi("throughput", f"{run.docs_per_s:,.1f}", note="records per second"),
                _kpi(
                    "elapsed",
                    f"{run.elapsed_s:,.1f} s",
                    note=f"{len(figures.articles_by_language)} languages",
                ),
            ]
        )
        + "</section>"
    )


def _clusters_html(clusters: list[Cluster]) -> str:
    if not clusters:
        return '<p class="empty">This run found no duplicates.</p>'
    parts = []
    for cluster in clusters:
        rows = "".join(
            f"<tr><td>{_e(m.title)}</td><td>{_e(m.source)}</td><td>{_e(m.site)}</td>"
            f'<td>{_e(m.match)}</td><td class="num">{m.similarity:.2f}</td></tr>'
            for m in cluster.members
        )
        parts.append(
            f'<div class="cluster"><h3>{_e(cluster.title or "(untitled)")}</h3>'
            f'<div class="small">{cluster.size} copies in all · canonical <code>{_e(cluster.doc_id)}</code>'
            f" · {_e(cluster.source or 'earlier run')} · {_e(cluster.site)} · {_e(cluster.language)}</div>"
            "<table><tr><th>duplicate title</th><th>source</th><th>site</th><th>match</th>"
            f"<th>similarity</th></tr>{rows}</table></div>"
        )
    return "".join(parts)


def _removals_html(report: RunReport) -> str:
    totals = report.figures.removed_by_kind
    if not totals:
        return '<p class="empty">Nothing was removed in this run.</p>'
    all_chars = sum(t.chars for t in totals.values()) or 1
    rows = []
    for kind, total in totals.items():
        examples = "".join(
            f'<div class="example">{_e(example.text)}</div>'
            f'<div class="small">from {_e(example.source)}</div>'
            for example in report.removal_examples.get(kind, [])
        )
        rows.append(
            f"<tr><td><strong>{_e(kind)}</strong></td><td class=num>{total.count:,}</td>"
            f"<td class=num>{total.chars:,}</td><td class=num>{total.chars / all_chars:.0%}</td>"
            f"<td>{examples}</td></tr>"
        )
    return (
        "<table><tr><th>kind</th><th>pieces</th><th>characters</th><th>share</th>"
        f"<th>examples (as cut)</th></tr>{''.join(rows)}</table>"
    )


def _rejects_html(examples: list[RejectExample]) -> str:
    if not examples:
        return '<p class="empty">No rejects in this run.</p>'
    rows = "".join(
        f"<tr><td>{_e(e.reason)}</td><td>{_e(e.source)}</td><td>{_e(e.detail)}</td></tr>"
        for e in examples
    )
    return f"<table><tr><th>reason</th><th>source</th><th>detail</th></tr>{rows}</table>"


def _options_html(options: str) -> str:
    try:
        pretty = json.dumps(json.loads(options), indent=2, sort_keys=True)
    except ValueError:
        pretty = options
    return f"<details><summary>Options of this run</summary><pre>{_e(pretty)}</pre></details>"


def render_html(report: RunReport) -> str:
    """The whole self-contained page."""
    run = report.run
    with matplotlib.rc_context(CHART_STYLE):
        charts = "".join(
            f'<figure id="chart-{name}">{_svg(chart, name)}</figure>'
            for name, chart in _charts(report)
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>newsclean run {_e(run.run_id)}</title>
<style>{STYLE}</style></head>
<body>
<h1>newsclean run <code>{_e(run.run_id)}</code></h1>
<p class="meta">{_e(run.started.strftime("%Y-%m-%d %H:%M:%S"))} → {_e(run.finished.strftime("%H:%M:%S"))} UTC
 · input <code>{_e(run.raw_dir)}</code> · pipeline {_e(run.pipeline_version)}</p>
{_kpis(report)}
<h2>Overview</h2>
{LEGEND}
<section class="charts">{charts}</section>
<h2>Largest duplicate clusters</h2>
{_clusters_html(report.clusters)}
<h2>Boilerplate removed, with examples</h2>
{_removals_html(report)}
<h2>Rejects (up to {REJECTS_PER_REASON} per reason)</h2>
{_rejects_html(report.reject_examples)}
<h2>Run settings</h2>
{_options_html(run.options)}
</body></html>
"""


def write_report(out_dir: Path, run_id: str) -> Path:
    """Render reports/<run_id>.html for a committed run; returns its path."""
    out_dir = Path(out_dir)
    page = render_html(load_run_report(out_dir, run_id))
    path = out_dir / "reports" / f"{run_id}.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.tmp")
    partial.write_text(page, encoding="utf-8")
    partial.replace(path)
    return path
