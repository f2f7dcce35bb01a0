"""The HTML run report: self-contained, escaped, and stating the counts of the run."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from ingest.inspect import Figures, KindTotal, RunRow
from ingest.report import (
    Cluster,
    ClusterMember,
    RejectExample,
    RemovalExample,
    RunReport,
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
