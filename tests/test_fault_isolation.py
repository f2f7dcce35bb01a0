"""A bug of ours on one record costs that record, and the run says so; Ctrl-C stops cleanly.

Each stage is broken on purpose for one record (a reader that raises mid-file, extraction,
cleaning, language detection, fingerprinting); the run must still commit every other record,
name the broken one as an internal_error with its stage, and count internal errors apart.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fakenews import html_page, jsonl_record, story, text_dump, write_mixed_folder
from typer.testing import CliRunner

import ingest.stages
from ingest import store
from ingest.cli import app
from ingest.options import Options
from ingest.pipeline import run_pipeline

MARK = "Zanzibar-7Q"  # a word only the broken record holds


def _folder(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    for i, lang in enumerate(["en", "de", "fr"]):
        (raw / f"page-{i}.html").write_text(html_page(story(300 + i, lang)))
    item = story(310, "es")
    marked = item.paragraphs[0] + f" {MARK}."
    (raw / "marked.txt").write_text(text_dump(item).replace(item.paragraphs[0], marked))
    lines = [jsonl_record(story(320 + i, "en"), i) for i in range(1, 4)]
    (raw / "feed.jsonl").write_text("\n".join(lines) + "\n")
    return raw


def _run(tmp_path: Path, **changes) -> tuple:
    raw = tmp_path / "raw" if (tmp_path / "raw").is_dir() else _folder(tmp_path)
    out = tmp_path / "out"
    summary = run_pipeline(Options(raw_dir=raw, out_dir=out, **changes))
    rejects = store.read_table(out, "rejects").to_pylist()
    internal = {r["source"]: r["detail"] for r in rejects if r["reason"] == "internal_error"}
    return summary, internal, out


def _breaks_on_mark(original):
    def broken(*args, **kwargs):
        text = next((a for a in args if isinstance(a, str)), None) or getattr(args[0], "text", "")
        if MARK in text:
            raise ZeroDivisionError("a bug for the test")
        return original(*args, **kwargs)

    return broken


@pytest.mark.parametrize(
    ("module", "name", "stage"),
    [
        (ingest.stages.boilerplate, "normalize_whitespace", "extract"),
        (ingest.stages, "_strip", "clean"),
        (ingest.stages, "_detect_language", "language"),
        (ingest.stages.dedup, "fingerprint", "fingerprint"),
    ],
    ids=["extract", "clean", "language", "fingerprint"],
)
def test_a_bug_in_one_stage_costs_one_record(
    module, name: str, stage: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, name, _breaks_on_mark(getattr(module, name)))
    summary, internal, out = _run(tmp_path)
    assert internal == {"marked.txt": f"{stage}: ZeroDivisionError: a bug for the test"}
    assert summary.n_internal_errors == 1
    assert summary.n_articles + summary.n_duplicates == 6
    (runs,) = store.read_table(out, "runs").to_pylist()
    assert runs["n_internal_errors"] == 1 and runs["n_rejects"] == 1


def test_a_reader_that_breaks_mid_file_costs_the_rest_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = ingest.stages.read_input

    def reading(file, **limits):
        if file.relpath == "page-0.html":
            raise KeyError("broken before the first record")
        for number, item in enumerate(original(file, **limits), start=1):
            if file.relpath == "feed.jsonl" and number == 3:
                raise KeyError("broken after two records")
            yield item

    monkeypatch.setattr(ingest.stages, "read_input", reading)
    summary, internal, out = _run(tmp_path)
    assert internal == {
        "page-0.html": "read: KeyError: 'broken before the first record'",
        "feed.jsonl#rest": "read: KeyError: 'broken after two records'",
    }
    articles = {r["source"] for r in store.read_table(out, "articles").to_pylist()}
    assert {"feed.jsonl#1", "feed.jsonl#2", "page-1.html", "marked.txt"} <= articles
    assert summary.n_internal_errors == 2


def test_strict_stops_the_run_with_the_bug_and_commits_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        ingest.stages, "_detect_language", _breaks_on_mark(ingest.stages._detect_language)
    )
    with pytest.raises(ZeroDivisionError, match="a bug for the test"):
        _run(tmp_path, strict=True)
    assert store.committed_run_ids(tmp_path / "out") == []


def test_summary_and_report_show_internal_errors_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _folder(tmp_path)
    monkeypatch.setattr(ingest.stages, "_strip", _breaks_on_mark(ingest.stages._strip))
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "internal errors (bugs: please report, see rejects)" in result.output
    assert "rejects: internal_error" not in result.output
    (page,) = (tmp_path / "out" / "reports").glob("*.html")
    assert "internal errors" in page.read_text() and "bugs of ours: please report" in (
        page.read_text()
    )
    stats = CliRunner().invoke(app, ["stats", "--out", str(tmp_path / "out")])
    assert stats.exit_code == 0
    assert "1 internal error(s): bugs of ours, not bad input" in stats.output


def test_ctrl_c_prints_one_line_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ingest.pipeline.run_pipeline", interrupted)
    raw = _folder(tmp_path)
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1] == (
        "interrupted: nothing of this run was committed; the next run redoes its work"
    )
    assert "Traceback" not in result.output


def test_ctrl_c_after_the_commit_says_the_run_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("ingest.pipeline._write_report", interrupted)
    raw = _folder(tmp_path)
    result = CliRunner().invoke(app, ["run", str(raw), "--out", str(tmp_path / "out")])
    assert result.exit_code == 130
    (run_id,) = store.committed_run_ids(tmp_path / "out")
    last = [line for line in result.output.splitlines() if line.strip()][-1]
    assert last.startswith(f"interrupted after run {run_id} was committed")
    assert "Traceback" not in result.output


def test_ctrl_c_on_a_real_run_with_workers(tmp_path: Path) -> None:
    """SIGINT to the process group of a real `ingest run --workers 2`, as a terminal sends it:
    exit 130, no traceback from the run or its workers, nothing committed, and the next run
    does the work."""
    raw, out = tmp_path / "raw", tmp_path / "out"
    write_mixed_folder(raw, 400, seed=5)
    command = [sys.executable, "-m", "ingest.cli", "run", str(raw), "--out", str(out)]
    command += ["--workers", "2", "--batch-size", "20", "--no-report"]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not any((out / store.STAGING).glob("*/_scratch/*")) and time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=120)
    text = stderr.decode()
    assert process.returncode == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert text.strip().splitlines()[-1].startswith("interrupted: nothing of this run")
    assert store.committed_run_ids(out) == []
    summary = run_pipeline(Options(raw_dir=raw, out_dir=out, write_report=False))
    assert summary.n_files > 0 and summary.rolled_back == []


def test_every_step_counts_what_it_took_and_rejected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The same counters for every step: the record broken in language detection is one
    rejected there, and never reaches fingerprint."""
    monkeypatch.setattr(
        ingest.stages, "_detect_language", _breaks_on_mark(ingest.stages._detect_language)
    )
    with caplog.at_level("INFO", logger="ingest"):
        summary, internal, _ = _run(tmp_path)
    steps = {r.args[0]: r.args[1:3] for r in caplog.records if r.getMessage().startswith("step ")}
    assert list(steps) == ["extract", "clean", "language", "fingerprint"]
    assert steps["extract"] == (7, 0)  # three pages, a dump, three feed lines
    assert steps["language"] == (steps["clean"][0] - steps["clean"][1], 1)
    assert steps["fingerprint"] == (steps["language"][0] - 1, 0)
    assert steps["fingerprint"][0] == summary.n_articles + summary.n_duplicates
    assert list(internal) == ["marked.txt"]
