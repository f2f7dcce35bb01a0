"""The HTML run report: self-contained, escaped, and stating the counts of the run."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.options import Options
from ingest.pipeline import run_pipeline
from ingest.readback import Figures, KindTotal, RunRow
from ingest.report import (
    EXAMPLES_PER_KIND,
    Cluster,
    ClusterMember,
    RejectExample,
    RemovalExample,
    RunReport,
    _diverse,
    _shorten,
    load_run_report,
    render_html,
)

RESOURCE_ATTRIBUTES = {"src", "href", "xlink:href", "action", "data", "poster", "srcset"}
LOADING_TAGS = {"script", "link", "iframe", "object", "embed", "img", "audio", "video", "base"}


class ResourceFinder(HTMLParser):
    """Collects everything in a page that would make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in LOADING_TAGS:
            self.problems.append(f"<{tag}>")
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in RESOURCE_ATTRIBUTES and value and not value.startswith("#"):
                self.problems.append(f'{name}="{value}"')
            if name == "style" and value:
                self._check_css(value)

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self._check_css(data)

    def _check_css(self, css: str) -> None:
        if "@import" in css:
            self.problems.append("@import")
        for target in re.findall(r"url\(\s*['\"]?([^)'\"]*)", css):
            if not target.startswith("#"):
                self.problems.append(f"url({target})")


def external_resources(page: str) -> list[str]:
    finder = ResourceFinder()
    finder.feed(page)
    return finder.problems


def hostile_report() -> RunReport:
    """A run whose data is full of markup, as scraped text often is."""
    started = datetime(2025, 5, 2, 8, 0, tzinfo=UTC)
    run = RunRow(
        run_id="20250502T080000Z-abc123",
        started=started,
        finished=started,
        elapsed_s=2.5,
        raw_dir="raw",
        n_files=4,
        n_records=10,
        n_articles=6,
        n_duplicates=3,
        n_rejects=1,
        stage_seconds={"read": 0.4, "extract": 1.6, "commit": 0.5},
        options='{"batch_size": 200}',
        pipeline_version="test",
    )
    figures = Figures(
        articles_by_language=Counter({"en": 4, "ar": 2}),
        duplicates_by_language=Counter({"en": 3}),
        articles_by_format=Counter({"html": 6}),
        duplicates_by_format=Counter({"html": 3}),
        rejects_by_format=Counter({"json": 1}),
        articles_by_site=Counter({"news.example": 6}),
        duplicates_by_site=Counter({"copy.example": 3}),
        duplicates_by_match=Counter({"exact": 2, "near": 1}),
        rejects_by_reason=Counter({"parse_error": 1}),
        removed_by_kind={"cookie_banner": KindTotal(3, 120)},
        runs=[run],
    )
    member = ClusterMember(
        "d1",
        "copy.example/1.html",
        "<img src=https://evil.example/x.png>",
        "copy.example",
        "exact",
        1.0,
    )
    return RunReport(
        run=run,
        figures=figures,
        clusters=[
            Cluster(
                "a1", "Title <script>alert(1)</script>", "a.html", "news.example", "en", 4, [member]
            )
        ],
        removal_examples={
            "cookie_banner": [
                RemovalExample('<link href="https://cdn.example/a.css"> Accept', "a.html")
            ]
        },
        reject_examples=[
            RejectExample("bad.json", "parse_error", "<style>@import url(http://x)</style>")
        ],
    )


def test_page_loads_nothing_and_escapes_scraped_text() -> None:
    page = render_html(hostile_report())

    assert external_resources(page) == []
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=https://evil.example/x.png&gt;" in page
    assert "Content-Security-Policy" in page


def test_page_states_the_counts() -> None:
    page = render_html(hostile_report())
    text = re.sub(r"<[^>]+>", " ", page)

    for label, value in (("records read", 10), ("articles", 6), ("duplicates", 3), ("rejects", 1)):
        assert re.search(rf"{value}\s+{label}", text), label
    assert page.count("<svg") >= 6


def test_markdown_summary_links_the_report(tmp_path: Path) -> None:
    report_path = tmp_path / "reports" / "run.html"
    markdown = hostile_report().to_markdown(report_path)

    assert "| 10 | 6 | 3 | 1 | 2.5 s | 4.0 |" in markdown
    assert "| cookie_banner | 3 |" in markdown
    assert report_path.resolve().as_uri() in markdown


COOKIE_EN = "We use cookies to personalise content. Accept all cookies"
STORIES = {
    "en-harbour": (
        "Harbour ferry returns after winter repairs",
        "The small ferry that links the old harbour with the island returned to service on "
        "Monday after four months of repairs. Local traders said the winter had been quiet "
        "without the morning crossings. The captain told reporters the new engine uses half "
        "the fuel of the old one and makes the trip ten minutes shorter.",
    ),
    "en-library": (
        "City library extends its opening hours",
        "The central library will stay open until ten in the evening from next month, the "
        "council announced on Thursday. Students had asked for longer hours during exams. "
        "The extra shifts will be covered by volunteers and two new part-time librarians.",
    ),
}
GERMAN = (
    "Der Stadtrat hat am Dienstag beschlossen, die alte Brücke über den Fluss bis zum Herbst "
    "zu sanieren. Die Arbeiten sollen im Mai beginnen und werden von einer örtlichen Firma "
    "ausgeführt. Während der Bauzeit fahren die Busse eine Umleitung über die Hauptstraße."
)
FRENCH = (
    "La mairie a annoncé mercredi l'ouverture d'un nouveau marché couvert dans le quartier "
    "de la gare. Une trentaine de producteurs de la région y vendront leurs fruits et leurs "
    "fromages chaque samedi matin. Les travaux ont duré presque deux ans."
)
SPANISH = (
    "El ayuntamiento inauguró el sábado un parque nuevo junto al río, con columpios, una "
    "pista para bicicletas y más de doscientos árboles. Los vecinos llevaban años pidiendo "
    "un espacio verde en el barrio. La obra costó menos de lo previsto."
)


def news_page(title: str, body: str, site: str) -> str:
    paragraphs = "".join(f"<p>{sentence}.</p>" for sentence in body.split(". "))
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<div class="consent">{COOKIE_EN}</div><nav>Home | World | Sport</nav>'
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        f"<footer>© {site} · Contact · Privacy</footer></body></html>"
    )


def write_raw_folder(raw: Path) -> None:
    """A tiny crawl: HTML, text and JSONL in four languages, one exact copy, three bad inputs."""
    for folder in ("daily", "mirror"):
        (raw / folder).mkdir(parents=True)
    for name, (title, body) in STORIES.items():
        (raw / "daily" / f"{name}.html").write_text(news_page(title, body, "daily"), "utf-8")
    title, body = STORIES["en-harbour"]
    (raw / "mirror" / "ferry-copy.html").write_text(news_page(title, body, "mirror"), "utf-8")
    (raw / "zeitung.txt").write_text(f"Brücke wird saniert\n\n{GERMAN}\n", "utf-8")
    records = [
        {"url": "https://journal.example/marche", "title": "Un marché couvert", "text": FRENCH},
        {"url": "https://diario.example/parque", "title": "Un parque nuevo", "text": SPANISH},
    ]
    (raw / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n", "utf-8")
    (raw / "broken.json").write_text('{"title": "cut off", "text": "never fin', "utf-8")
    (raw / "empty.txt").write_text("", "utf-8")


def kpi(page: str, label: str) -> int:
    match = re.search(rf'<div class="value">([\d,]+)</div><div class="label">{label}', page)
    assert match, label
    return int(match.group(1).replace(",", ""))


def test_pipeline_run_writes_a_self_contained_report(tmp_path: Path) -> None:
    raw, out = tmp_path / "raw", tmp_path / "processed"
    write_raw_folder(raw)

    summary = run_pipeline(Options(raw_dir=raw, out_dir=out))

    path = summary.report_path
    assert path == out / "reports" / f"{summary.run_id}.html" and path.is_file()
    page = path.read_text("utf-8")
    assert external_resources(page) == []
    assert (summary.n_articles, summary.n_duplicates) == (5, 1)
    assert summary.n_rejects >= 2
    assert kpi(page, "records read") == summary.n_records
    assert kpi(page, "articles") == summary.n_articles
    assert kpi(page, "duplicates") == summary.n_duplicates
    assert kpi(page, "rejects") == summary.n_rejects
    report = load_run_report(out, summary.run_id)
    assert set(report.figures.articles_by_language) == {"en", "de", "fr", "es"}
    assert report.figures.duplicates_by_match == {"exact": 1}
    assert report.clusters[0].title == STORIES["en-harbour"][0]
    assert "Harbour ferry returns after winter repairs" in page
    assert {"empty", "parse_error"} <= set(report.figures.rejects_by_reason)

    again = run_pipeline(Options(raw_dir=raw, out_dir=out))
    assert again.n_files == 0 and again.report_path is None
    assert sorted(p.name for p in (out / "reports").iterdir()) == [path.name]


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=30),
        st.tuples(st.sampled_from(["a.example", "b.example", "c.example", ""]), st.just("src")),
        max_size=12,
    )
)
def test_removal_examples_are_distinct_and_spread_over_sites(pool) -> None:
    chosen = _diverse(pool)

    assert len(chosen) == min(EXAMPLES_PER_KIND, len({_shorten(t) for t in pool}))
    assert len(set(chosen)) == len(chosen)
    sites_of = {_shorten(text): site for text, (site, _) in pool.items()}
    distinct_sites = len(set(sites_of.values()))
    assert len({sites_of[e.text] for e in chosen}) >= min(distinct_sites, EXAMPLES_PER_KIND)
