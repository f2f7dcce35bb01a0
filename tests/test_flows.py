"""The ingest-news Prefect flow, run for real under one session-wide test server.

The flow must write exactly what the plain pipeline writes, fail visibly when a batch fails,
publish its figures as artifacts, and, run as its scheduled deployment, pick up only the
files that arrived since the previous run.
"""

from __future__ import annotations

import itertools
import json
import threading
from pathlib import Path

import pytest

from ingest import store
from ingest.options import Options
from ingest.pipeline import run_pipeline

pytestmark = pytest.mark.prefect

STORY_EN = (
    "The harbour board of Wexley agreed on Monday to reopen the tidal swimming pool that was "
    "closed after the winter storms damaged its sea wall.\n\n"
    "Engineers told the board that the repairs would take six weeks and cost less than the "
    "town had feared. Volunteers have already cleared most of the shingle from the basin.\n\n"
    "Swimmers who gathered outside the town hall cheered when the vote was announced."
)
STORY_DE = (
    "Die Stadt Lindenau hat am Mittwoch die neue Fußgängerbrücke über den Fluss eröffnet, "
    "nachdem die Bauarbeiten fast drei Jahre gedauert hatten.\n\n"
    "Die Bürgermeisterin sagte bei der Eröffnung, die Brücke verbinde endlich die Altstadt mit "
    "dem neuen Wohnviertel am anderen Ufer. Hunderte Menschen überquerten sie am ersten Tag.\n\n"
    "Radfahrer müssen auf der Brücke absteigen, weil der Weg für beide Richtungen zu schmal ist."
)
STORY_ES = (
    "El ayuntamiento de Villaserena inauguró el sábado un mercado cubierto en la plaza mayor, "
    "donde los agricultores de la comarca venderán sus productos cada fin de semana.\n\n"
    "La alcaldesa explicó que el edificio se construyó con madera de los bosques cercanos y que "
    "el tejado recoge el agua de la lluvia para regar los jardines del barrio.\n\n"
    "Los vecinos llenaron los pasillos desde primera hora y muchos puestos se quedaron sin fruta."
)
STORY_FR = (
    "La commune de Beaurivage a ouvert jeudi une nouvelle médiathèque dans l'ancienne gare, "
    "fermée depuis plus de vingt ans.\n\n"
    "Le maire a expliqué que les travaux avaient conservé la grande horloge et les bancs en bois "
    "de la salle d'attente, que les lecteurs utilisent désormais pour lire.\n\n"
    "Les enfants de l'école voisine ont été les premiers à emprunter des livres."
)
STORY_IT = (
    "Il comune di Montechiaro ha presentato venerdì il nuovo servizio di autobus elettrici che "
    "collegherà il centro storico con la stazione ferroviaria.\n\n"
    "Secondo l'assessore ai trasporti, le prime quattro vetture entreranno in servizio a maggio "
    "e passeranno ogni dieci minuti nelle ore di punta.\n\n"
    "I commercianti del centro sperano che il servizio porti più visitatori nelle vie chiuse al "
    "traffico."
)


def _page(title: str, body: str, lang: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head><body>'
        "<nav><a href='/'>Home</a> <a href='/local'>Local</a> <a href='/sport'>Sport</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Follow us on social media · © 2026 Coastline Press</footer></body></html>"
    )


RECORDS_IN_FIRST_DELIVERY = 6  # four pages and dumps, two JSONL lines


def _write_first_delivery(raw: Path) -> None:
    (raw / "coast").mkdir(parents=True)
    (raw / "lindenau").mkdir()
    page = _page("Tidal pool to reopen", STORY_EN, "en")
    (raw / "coast" / "pool.html").write_text(page, encoding="utf-8")
    (raw / "coast" / "pool-repost.html").write_text(page, encoding="utf-8")
    (raw / "lindenau" / "bruecke.html").write_text(
        _page("Neue Brücke eröffnet", STORY_DE, "de"), encoding="utf-8"
    )
    (raw / "mercado.txt").write_text("Nuevo mercado cubierto\n\n" + STORY_ES, encoding="utf-8")
    feed = [
        {"url": "https://wire.example.org/gare", "title": "Une gare devient médiathèque"}
        | {"text": STORY_FR},
        {"title": "sans texte"},
    ]
    (raw / "wire.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in feed) + "\n", encoding="utf-8"
    )


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    _write_first_delivery(folder)
    return folder


def _options(raw: Path, out: Path, **changes) -> Options:
    return Options(raw_dir=raw, out_dir=out, batch_size=2, write_report=False, **changes)


def _rows(out: Path, table: str) -> list[tuple[str, str]]:
    rows = store.read_table(out, table).to_pylist()
    return sorted((r["doc_id"], r.get("text", "")) for r in rows)


def _sources(out: Path, table: str) -> set[str]:
    return {r["source"] for r in store.read_table(out, table).to_pylist()}


def test_flow_parameters_are_the_options_fields() -> None:
    from flows.ingest_flow import RUNNER_PARAMETERS, flow_parameters, ingest_news

    assert set(ingest_news.parameters.properties) == {*Options.field_names(), *RUNNER_PARAMETERS}
    params = flow_parameters(Options(raw_dir=Path("in"), workers=3), task_runner="processes")
    assert params["raw_dir"] == "in" and params["workers"] == 3
    assert params["task_runner"] == "processes"
    json.dumps(params)  # deployments store parameters as JSON


def test_local_dask_workers_start_without_the_stack_profiler() -> None:
    from flows.runners import make_task_runner

    config = make_task_runner("dask", 2).cluster_kwargs["config"]
    assert config["distributed"]["worker"]["profile"]["enabled"] is False
    # a nanny swaps whole top-level sections for the ones it is given: the rest must be there
    assert "admin" in config["distributed"] and "scheduler" in config["distributed"]
    assert make_task_runner("dask", 2, "tcp://10.0.0.5:8786").cluster_kwargs == {}


@pytest.mark.usefixtures("prefect_harness")
def test_flow_writes_the_same_rows_as_the_plain_pipeline(raw: Path, tmp_path: Path) -> None:
    from flows.ingest_flow import run_tracked

    plain = run_pipeline(_options(raw, tmp_path / "plain"))
    tracked = run_tracked(_options(raw, tmp_path / "tracked"))

    for table in ("articles", "duplicates"):
        assert _rows(tmp_path / "tracked", table) == _rows(tmp_path / "plain", table)
    assert _sources(tmp_path / "tracked", "rejects") == _sources(tmp_path / "plain", "rejects")
    assert tracked.articles_by_language == plain.articles_by_language
    assert len(plain.articles_by_language) >= 3
    assert tracked.n_duplicates == plain.n_duplicates >= 1  # the re-posted page


def _read_stage_fails(monkeypatch: pytest.MonkeyPatch, times: int) -> None:
    """Make the first `times` read batches raise inside their task runs.

    The flow's own mapper and batch task stay in place; only the stage function it is handed
    is wrapped, so the test holds whatever the library names its stages' functions.
    """
    from flows import ingest_flow

    real_mapper = ingest_flow.prefect_mapper
    calls = itertools.count()
    lock = threading.Lock()

    def mapper_with_failing_reads(runner, retries):
        mapper = real_mapper(runner, retries)

        def wrapped(stage, fn, items):
            def failing_read(*args):
                with lock:
                    fails = next(calls) < times
                if fails:
                    raise OSError("disk read error")
                return fn(*args)

            return mapper(stage, failing_read if stage == "read" else fn, items)

        return wrapped

    monkeypatch.setattr(ingest_flow, "prefect_mapper", mapper_with_failing_reads)


@pytest.mark.usefixtures("prefect_harness")
def test_a_failing_batch_fails_the_flow_run_and_commits_nothing(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest_flow import flow_parameters, ingest_news

    _read_stage_fails(monkeypatch, times=1)
    out = tmp_path / "out"
    params = flow_parameters(_options(raw, out)) | {"batch_retries": 0}
    state = ingest_news(**params, return_state=True)

    assert state.is_failed()
    with pytest.raises(Exception, match="1 of 3 read batches failed.*disk read error"):
        state.result()
    assert store.committed_run_ids(out) == []
    assert store.read_table(out, "articles").num_rows == 0


@pytest.mark.usefixtures("prefect_harness")
def test_a_batch_that_fails_once_is_retried(
    raw: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest_flow import flow_parameters, ingest_news

    _read_stage_fails(monkeypatch, times=1)
    state = ingest_news(**flow_parameters(_options(raw, tmp_path / "out")), return_state=True)

    assert state.is_completed()
    assert state.result().n_records == RECORDS_IN_FIRST_DELIVERY


@pytest.mark.usefixtures("prefect_harness")
def test_flow_publishes_summary_and_count_tables_as_artifacts(raw: Path, tmp_path: Path) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows import artifacts
    from flows.ingest_flow import flow_parameters, ingest_news

    out = tmp_path / "out"
    params = flow_parameters(_options(raw, out)) | {"write_report": True}
    state = ingest_news(**params, return_state=True)
    summary = state.result()

    with get_client(sync_client=True) as client:
        published = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id])
            )
        )
    by_key = {a.key: a for a in published}
    assert set(by_key) == {
        artifacts.SUMMARY_KEY,
        artifacts.LANGUAGES_KEY,
        artifacts.REMOVED_KEY,
        artifacts.REJECTS_KEY,
        artifacts.REPORT_KEY,
    }
    assert summary.run_id in by_key[artifacts.SUMMARY_KEY].data
    languages = json.loads(by_key[artifacts.LANGUAGES_KEY].data)
    assert {row["language"]: row["articles"] for row in languages} == summary.articles_by_language
    rejects = json.loads(by_key[artifacts.REJECTS_KEY].data)
    assert sum(row["rejects"] for row in rejects) == summary.n_rejects >= 1
    assert summary.report_path is not None and summary.report_path.is_file()
    assert summary.report_path.resolve().as_uri() in by_key[artifacts.REPORT_KEY].data


@pytest.mark.usefixtures("prefect_harness")
def test_scheduled_runs_ingest_only_the_files_that_arrived_since(raw: Path, tmp_path: Path) -> None:
    from flows.ingest_flow import ingest_news
    from flows.serve import ONE_RUN_AT_A_TIME, scheduled_deployment

    out = tmp_path / "out"
    deployment = scheduled_deployment(_options(raw, out), interval_s=900)
    assert deployment.concurrency_limit == ONE_RUN_AT_A_TIME.limit
    assert deployment.concurrency_options.collision_strategy == "CANCEL_NEW"
    assert deployment.parameters["raw_dir"] == str(raw.resolve())

    first = ingest_news(**deployment.parameters)
    (raw / "montechiaro.html").write_text(
        _page("Autobus elettrici in centro", STORY_IT, "it"), encoding="utf-8"
    )
    second = ingest_news(**deployment.parameters)
    third = ingest_news(**deployment.parameters)

    assert first.n_files == 5 and first.n_records == RECORDS_IN_FIRST_DELIVERY
    assert second.n_files == 1 and second.n_unchanged_files == 5
    assert second.n_records == second.n_articles == 1
    assert third.n_files == 0 and third.n_records == 0
    assert len(store.committed_run_ids(out)) == 3
    assert len(_rows(out, "articles")) == first.n_articles + 1


@pytest.mark.usefixtures("prefect_harness")
def test_scheduled_flow_compacts_once_a_folder_passes_the_threshold(
    raw: Path, tmp_path: Path
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterFlowRunId,
        FlowFilter,
        FlowFilterName,
    )

    from flows.compact_flow import FLOW_NAME, SUMMARY_KEY
    from flows.ingest_flow import flow_parameters, ingest_news
    from ingest.compact import folder_file_counts

    out = tmp_path / "out"
    run_pipeline(_options(raw, out))
    (raw / "montechiaro.html").write_text(
        _page("Autobus elettrici in centro", STORY_IT, "it"), encoding="utf-8"
    )
    run_pipeline(_options(raw, out))
    articles = _rows(out, "articles")
    assert max(folder_file_counts(out).values()) == 2

    ingest_news(**flow_parameters(_options(raw, out, compact_at_files=3)))
    assert max(folder_file_counts(out).values()) == 3  # three runs files: not more than 3
    ingest_news(**flow_parameters(_options(raw, out, compact_at_files=3)))

    assert set(folder_file_counts(out).values()) == {1}
    assert len(store.committed_run_ids(out)) == 4 and _rows(out, "articles") == articles
    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=[FLOW_NAME])))
        (compaction,) = [r for r in runs if r.parameters["out_dir"] == str(out)]
        assert compaction.state.is_completed() and compaction.parent_task_run_id is not None
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                flow_run_id=ArtifactFilterFlowRunId(any_=[compaction.id])
            )
        )
    assert artifact.key == SUMMARY_KEY and "runs" in artifact.data
