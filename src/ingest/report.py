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
from ingest.readback import Figures, RunRow, collect_figures, read_runs, run_filter, scan

EXAMPLES_PER_KIND = 3
CANDIDATES_PER_KIND = 50
EXAMPLE_CHARS = 240
TOP_CLUSTERS = 8
MEMBERS_PER_CLUSTER = 5
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
        internal = figures.rejects_by_reason.get("internal_error", 0)
        if internal:
            lines += [
                f"**{internal:,} internal errors**: bugs of ours, please report them "
                "(rejects with reason `internal_error`).",
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
    """A few distinct pieces per kind, from as many different sites as there are."""
    where = run_filter(out_dir, run_id)
    candidates: dict[str, dict[str, tuple[str, str]]] = {}  # kind -> text -> (site, source)
    for table in ("articles", "duplicates"):
        for batch in scan(out_dir, table, ["source", "site", "removed"], where):
            for row in batch.to_pylist():
                for piece in row["removed"]:
                    pool = candidates.setdefault(piece["kind"], {})
                    text = " ".join(piece["text"].split())
                    if len(pool) < CANDIDATES_PER_KIND:
                        pool.setdefault(text, (row["site"] or "", row["source"]))
    return {kind: _diverse(pool) for kind, pool in candidates.items()}


def _diverse(pool: dict[str, tuple[str, str]]) -> list[RemovalExample]:
    """Examples that each come from another site first, then any others."""
    chosen: list[RemovalExample] = []
    sites: set[str] = set()
    for first_pass in (True, False):
        for text, (site, source) in pool.items():
            if len(chosen) == EXAMPLES_PER_KIND:
                return chosen
            example = RemovalExample(_shorten(text), source)
            if example in chosen or (first_pass and site in sites):
                continue
            sites.add(site)
            chosen.append(example)
    return chosen


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
}


@dataclass(frozen=True)
class Series:
    color: str | Sequence[str]  # one colour, or one per bar
    values: Sequence[float]


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    figure: Figure


BAR_INCHES = 0.32
MARGIN_INCHES = 0.08
CHART_WIDTH_INCHES = 6.0
LABEL_CHAR_INCHES = 0.075  # about one 10 pt character


@dataclass(frozen=True)
class Panel:
    """One set of bars over the chart's labels; several panels sit side by side."""

    series: Sequence[Series]
    heading: str = ""
    value_format: str = "{:,.0f}"


HEADING_INCHES = 0.3


def _bar_chart(name: str, title: str, labels: Sequence[str], *panels: Panel) -> Chart:
    """Horizontal (stacked) bars, first label on top, each bar's total written at its end.

    Margins are set from the label lengths instead of a layout engine: constrained layout
    measures every text twice and made a report take twice as long.
    """
    top_inches = MARGIN_INCHES + (HEADING_INCHES if any(p.heading for p in panels) else 0)
    height = top_inches + MARGIN_INCHES + BAR_INCHES * max(len(labels), 1)
    figure = Figure(figsize=(CHART_WIDTH_INCHES, height))
    label_inches = LABEL_CHAR_INCHES * max((len(label) for label in labels), default=0) + 0.15
    figure.subplots_adjust(
        left=min(label_inches / CHART_WIDTH_INCHES, 0.5),
        right=0.98,
        bottom=MARGIN_INCHES / height,
        top=1 - top_inches / height,
        wspace=0.08,
    )
    all_axes = figure.subplots(1, len(panels), sharey=True, squeeze=False)[0]
    for axes, panel in zip(all_axes, panels, strict=True):
        _draw_panel(axes, labels, panel)
    all_axes[0].set_yticks(range(len(labels)), labels=list(labels))
    # first label on top, no padding; a chart with no label keeps a non-empty range
    all_axes[0].set_ylim(max(len(labels), 1) - 0.5, -0.5)
    return Chart(name, title, figure)


def _draw_panel(axes: Any, labels: Sequence[str], panel: Panel) -> None:
    positions = range(len(labels))
    totals = [0.0] * len(labels)
    for item in panel.series:
        axes.barh(positions, item.values, left=totals, color=item.color, height=0.72)
        totals = [a + b for a, b in zip(totals, item.values, strict=True)]
    for y, total in zip(positions, totals, strict=True):
        axes.text(total, y, " " + panel.value_format.format(total), va="center", fontsize=9)
    axes.set_xlim(0, max(totals, default=0) * 1.25 or 1)
    axes.tick_params(axis="y", length=0)
    axes.set_xticks([])  # every bar carries its value
    axes.spines["bottom"].set_visible(False)
    if panel.heading:
        axes.set_title(panel.heading, loc="left", fontsize=10, color="#5b6876")


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


def _top(title: str, shown: int, total: int) -> str:
    return title if shown == total else f"{title} (top {shown} of {total:,})"


def _by_outcome(keys: Sequence[str], *counts: tuple[str, Counter[str]]) -> list[Series]:
    """One stacked series per outcome (articles, duplicates, rejects) over the same keys."""
    return [Series(color, [count[key] for key in keys]) for color, count in counts]


def _charts(report: RunReport) -> list[Chart]:
    figures, run = report.figures, report.run

    outcome_labels = ["articles"]
    outcome_values = [figures.n_articles]
    outcome_colors = [ARTICLES_COLOR]
    for prefix, color, counts in (
        ("duplicate", DUPLICATES_COLOR, figures.duplicates_by_match),
        ("reject", REJECTS_COLOR, figures.rejects_by_reason),
    ):
        for key in _ranked(counts):
            outcome_labels.append(f"{prefix} · {key}")
            outcome_values.append(counts[key])
            outcome_colors.append(color)
    charts = [
        _bar_chart(
            "outcomes",
            "Outcome of every input record",
            outcome_labels,
            Panel([Series(outcome_colors, outcome_values)]),
        )
    ]

    by_language = [
        (ARTICLES_COLOR, figures.articles_by_language),
        (DUPLICATES_COLOR, figures.duplicates_by_language),
    ]
    languages = _ranked(figures.articles_by_language + figures.duplicates_by_language)
    shown_languages = languages[:TOP_LANGUAGES]
    charts.append(
        _bar_chart(
            "languages",
            _top("Documents per language", len(shown_languages), len(languages)),
            shown_languages,
            Panel(_by_outcome(shown_languages, *by_language)),
        )
    )
    by_format = [
        (ARTICLES_COLOR, figures.articles_by_format),
        (DUPLICATES_COLOR, figures.duplicates_by_format),
        (REJECTS_COLOR, figures.rejects_by_format),
    ]
    formats = _ranked(sum((counts for _, counts in by_format), Counter()))
    charts.append(
        _bar_chart(
            "formats",
            "Documents per input format",
            formats,
            Panel(_by_outcome(formats, *by_format)),
        )
    )
    by_site = [
        (ARTICLES_COLOR, figures.articles_by_site),
        (DUPLICATES_COLOR, figures.duplicates_by_site),
    ]
    all_sites = figures.articles_by_site.keys() | figures.duplicates_by_site.keys()
    sites = [site for site, _, _ in figures.top_sites()]
    charts.append(
        _bar_chart(
            "sites",
            _top("Documents per site", len(sites), len(all_sites)),
            sites,
            Panel(_by_outcome(sites, *by_site)),
        )
    )
    kinds = list(figures.removed_by_kind)
    if kinds:
        totals = [figures.removed_by_kind[kind] for kind in kinds]
        charts.append(
            _bar_chart(
                "removed",
                "Boilerplate removed per kind",
                kinds,
                Panel([Series(NEUTRAL_COLOR, [t.chars for t in totals])], "characters"),
                Panel([Series(NEUTRAL_COLOR, [t.count for t in totals])], "pieces"),
            )
        )
    stages = list(run.stage_seconds)
    charts.append(
        _bar_chart(
            "stages",
            f"Time per stage ({run.elapsed_s:.1f} s in all)",
            stages,
            Panel(
                [Series(NEUTRAL_COLOR, [run.stage_seconds[stage] for stage in stages])],
                value_format="{:,.2f} s",
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
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px;
          align-items: start; }
figure { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin: 0;
         padding: 10px 12px; }
figcaption { font-weight: 600; margin: 0 0 6px; }
svg.chart { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; width: 1%; }
.example { font-size: 14px; unicode-bidi: plaintext; background: #fff4f2; border-left: 3px solid #CC3311; padding: 2px 8px; }
.legend span { margin-right: 18px; }
.legend span::before { content: ""; display: inline-block; width: 12px; height: 12px;
                       margin-right: 6px; vertical-align: -1px; background: var(--swatch); }
.small { color: var(--muted); font-size: 13px; }
details { margin-top: 4px; }
summary { cursor: pointer; color: var(--muted); font-size: 13px; }
details table { margin-top: 6px; font-size: 13px; }
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


def _slowest_stage(stage_seconds: dict[str, float]) -> str:
    if not stage_seconds:
        return ""
    stage = max(stage_seconds, key=stage_seconds.__getitem__)
    share = stage_seconds[stage] / (sum(stage_seconds.values()) or 1)
    return f"{share:.0%} in {stage.replace('_', ' ')}"


def _kpis(report: RunReport) -> str:
    run, figures = report.run, report.figures
    total = figures.n_documents
    languages = len(figures.articles_by_language)
    cards = [
        _kpi("records read", f"{run.n_records:,}", note=f"from {run.n_files:,} new files"),
        _kpi(
            "articles",
            f"{figures.n_articles:,}",
            ARTICLES_COLOR,
            f"{_share(figures.n_articles, total)} · {languages} languages",
        ),
        _kpi(
            "duplicates",
            f"{figures.n_duplicates:,}",
            DUPLICATES_COLOR,
            _share(figures.n_duplicates, total),
        ),
        _kpi("rejects", f"{figures.n_rejects:,}", REJECTS_COLOR, _share(figures.n_rejects, total)),
        *_internal_errors_kpi(figures.rejects_by_reason.get("internal_error", 0)),
        _kpi("throughput", f"{run.docs_per_s:,.1f}", note="records per second"),
        _kpi("elapsed", f"{run.elapsed_s:,.1f} s", note=_slowest_stage(run.stage_seconds)),
    ]
    return f'<section class="kpis">{"".join(cards)}</section>'


def _internal_errors_kpi(count: int) -> list[str]:
    """A card of its own for internal errors, shown only when there are some: they are bugs
    to report, not bad input."""
    if not count:
        return []
    return [_kpi("internal errors", f"{count:,}", REJECTS_COLOR, "bugs of ours: please report")]


def _cluster_row(cluster: Cluster) -> str:
    members = "".join(
        f'<tr><td dir="auto">{_e(m.title)}</td><td>{_e(m.source)}</td>'
        f'<td>{_e(m.match)}</td><td class="num">{m.similarity:.2f}</td></tr>'
        for m in cluster.members[:MEMBERS_PER_CLUSTER]
    )
    hidden = len(cluster.members) - MEMBERS_PER_CLUSTER
    if hidden > 0:
        members += f'<tr><td colspan="4" class="small">… and {hidden:,} more</td></tr>'
    matches = Counter(m.match for m in cluster.members)
    found = ", ".join(f"{n} {match}" for match, n in matches.most_common())
    return (
        f'<tr><td class="num">{cluster.size:,}</td>'
        f'<td><strong dir="auto">{_e(cluster.title or "(untitled)")}</strong>'
        f'<div class="small">{_e(cluster.source or "from an earlier run")} · {_e(cluster.language)}'
        f" · <code>{_e(cluster.doc_id)}</code></div>"
        f"<details><summary>{len(cluster.members):,} found in this run: {_e(found)}</summary>"
        "<table><tr><th>title</th><th>source</th><th>match</th><th class=num>similarity</th></tr>"
        f"{members}</table></details></td></tr>"
    )


def _clusters_html(clusters: list[Cluster]) -> str:
    if not clusters:
        return '<p class="empty">This run found no duplicates.</p>'
    rows = "".join(_cluster_row(cluster) for cluster in clusters)
    return (
        f"<table><tr><th class=num>copies</th><th>story (canonical article)</th></tr>{rows}</table>"
    )


def _removals_html(report: RunReport) -> str:
    totals = report.figures.removed_by_kind
    if not totals:
        return '<p class="empty">Nothing was removed in this run.</p>'
    all_chars = sum(t.chars for t in totals.values()) or 1
    rows = []
    for kind, total in totals.items():
        examples = "".join(
            f'<div class="example" dir="auto">{_e(example.text)}</div>'
            f'<div class="small">from {_e(example.source)}</div>'
            for example in report.removal_examples.get(kind, [])
        )
        rows.append(
            f"<tr><td><strong>{_e(kind)}</strong></td><td class=num>{total.count:,}</td>"
            f"<td class=num>{total.chars:,}</td><td class=num>{total.chars / all_chars:.0%}</td>"
            f"<td>{examples}</td></tr>"
        )
    return (
        "<table><tr><th>kind</th><th class=num>pieces</th><th class=num>characters</th>"
        "<th class=num>share</th>"
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
            f'<figure id="chart-{chart.name}"><figcaption>{_e(chart.title)}</figcaption>'
            f"{_svg(chart.figure, chart.name)}</figure>"
            for chart in _charts(report)
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
