"""Runs on a Dask cluster started the usual way: `dask scheduler` and `dask worker` processes,
started here in another working directory than the run's. A run from a relative path must be
right, and a cluster that cannot do a run must refuse it in one line before any batch. And
the Prefect commands in a new user's shell: no traceback, no server left behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from fakenews import html_page, story

from ingest import store
from ingest.access import check_access
from ingest.options import Options
from ingest.pipeline import run_pipeline

pytestmark = pytest.mark.prefect
distributed = pytest.importorskip("distributed")

N_PAGES = 6
INGEST = str(Path(sys.executable).parent / "ingest")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    """Stop a process we started and everything it started (its own session)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, list[int]]]:
    """A scheduler and two single-threaded workers, started from a folder of their own;
    yields the scheduler address and the workers' process ids (nannies included)."""
    elsewhere = tmp_path_factory.mktemp("dask-home")
    dask = str(Path(sys.executable).parent / "dask")
    address = f"tcp://127.0.0.1:{_free_port()}"
    common = {"cwd": elsewhere, "start_new_session": True, "stdout": subprocess.DEVNULL}
    scheduler = subprocess.Popen(
        [
            dask,
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            address.rsplit(":", 1)[1],
            "--dashboard-address",
            ":0",
        ],  # fmt: skip
        stderr=subprocess.DEVNULL,
        **common,
    )
    worker = subprocess.Popen(
        [
            dask,
            "worker",
            address,
            "--nworkers",
            "2",
            "--nthreads",
            "1",
            "--dashboard-address",
            ":0",
            "--local-directory",
            str(elsewhere),
        ],  # fmt: skip
        stderr=subprocess.DEVNULL,
        **common,
    )
    try:
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=120)
        pids = [worker.pid] + [p.pid for p in psutil.Process(worker.pid).children(recursive=True)]
        yield address, pids
    finally:
        _stop(worker)
        _stop(scheduler)


def write_raw(root: Path) -> None:
    for seed in range(N_PAGES):
        folder = root / f"site-{seed % 2}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"story-{seed}.html").write_text(html_page(story(seed)))


def _rows(out: Path) -> list[tuple]:
    rows = store.read_table(out, "articles").to_pylist()
    return sorted((r["doc_id"], r["source"], r["text"]) for r in rows)


def _servers_under(pids: list[int]) -> list[str]:
    found = []
    for pid in pids:
        try:
            tree = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
        found += [" ".join(p.cmdline()) for p in tree if "uvicorn" in " ".join(p.cmdline())]
    return found


def test_a_relative_path_run_on_a_cluster_started_elsewhere_is_right(
    cluster, prefect_harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest_flow import run_tracked

    address, worker_pids = cluster
    write_raw(tmp_path / "raw")
    expected = run_pipeline(
        Options(raw_dir=tmp_path / "raw", out_dir=tmp_path / "plain", write_report=False)
    )
    monkeypatch.chdir(tmp_path)

    summary = run_tracked(
        Options(raw_dir=Path("raw"), out_dir=Path("out"), batch_size=2, write_report=False),
        task_runner="dask",
        dask_address=address,
    )

    assert summary.n_rejects == 0 and summary.n_files == N_PAGES
    assert summary.n_articles == expected.n_articles > 0
    assert _rows(tmp_path / "out") == _rows(tmp_path / "plain")
    assert not _servers_under(worker_pids)  # the workers reported to our API, started none


def test_a_cluster_that_cannot_read_the_input_refuses_the_run_in_one_line(
    cluster, prefect_harness, tmp_path: Path
) -> None:
    from flows.ingest_flow import run_tracked
    from flows.runners import ClusterUnfit

    address, _ = cluster
    missing = tmp_path / "only-on-the-driver"

    with pytest.raises(ClusterUnfit) as refused:
        run_tracked(
            Options(raw_dir=missing, out_dir=tmp_path / "out", write_report=False),
            task_runner="dask",
            dask_address=address,
        )

    message = str(refused.value)
    assert "\n" not in message and str(missing) in message and "s3://" in message
    assert not (tmp_path / "out" / "runs").exists()  # no batch ran, nothing was committed


def test_a_cluster_that_cannot_reach_the_api_is_refused(cluster, tmp_path: Path) -> None:
    from flows.runners import ClusterUnfit, probe_dask_workers

    address, _ = cluster
    (tmp_path / "raw").mkdir()
    closed = f"http://127.0.0.1:{_free_port()}/api"

    with pytest.raises(ClusterUnfit, match="cannot reach the Prefect API") as refused:
        probe_dask_workers(address, tmp_path / "raw", tmp_path / "out", closed)

    assert "PREFECT_API_URL" in str(refused.value)


def test_check_access_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    (tmp_path / "out").mkdir()

    assert check_access(str(tmp_path / "raw"), str(tmp_path / "out")) is None
    assert "input folder" in check_access(str(tmp_path / "nope"), str(tmp_path / "out"))
    assert "scratch" in check_access(str(tmp_path / "raw"), str(tmp_path / "nope" / "x"))
    assert not list((tmp_path / "out").iterdir())  # the probe file is gone


@pytest.fixture(scope="module")
def new_user_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A new user's shell: a fresh home and no Prefect setting at all (the tests share the
    home, so only the first pays for creating Prefect's database)."""
    home = tmp_path_factory.mktemp("new-user-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DO_NOT_TRACK"))}
    env["HOME"] = str(home)
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "300"  # a slow shared machine
    return env


def _servers_of_home(home: Path) -> list[int]:
    """Prefect servers still running for this home, wherever they were reparented."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            server = "uvicorn" in " ".join(process.info["cmdline"] or [])
            if server and process.environ().get("HOME") == str(home):
                found.append(process.pid)
        except psutil.Error:
            continue
    return found


def test_the_cli_on_a_fresh_home_without_settings_runs_right_and_leaves_no_server(
    cluster, new_user_env: dict[str, str], tmp_path: Path
) -> None:
    """What a new user does: no Prefect settings at all, a relative folder, a cluster of
    workers started elsewhere. Our temporary server serves the run and stops with it."""
    address, worker_pids = cluster
    write_raw(tmp_path / "raw")

    result = subprocess.run(
        [INGEST, "run", "raw", "--out", "out", "--prefect", "--dask-address", address],
        cwd=tmp_path,
        env=new_user_env,
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "ERROR" not in result.stderr
    assert "articles" in result.stdout
    expected = run_pipeline(
        Options(raw_dir=tmp_path / "raw", out_dir=tmp_path / "plain", write_report=False)
    )
    assert _rows(tmp_path / "out") == _rows(tmp_path / "plain") and expected.n_articles > 0
    assert not _servers_under(worker_pids)
    assert not _servers_of_home(Path(new_user_env["HOME"]))  # ours stopped with the run


def test_serve_without_an_api_says_so_and_stops_cleanly_on_sigterm(
    new_user_env: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "raw").mkdir()
    command = [INGEST, "serve", "raw", "--out", "out", "--interval", "3600"]
    serving = subprocess.Popen(
        command,
        cwd=tmp_path,
        env=new_user_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 400
        lines = []
        while time.monotonic() < deadline and serving.poll() is None:
            lines.append(serving.stdout.readline())
            if "being served" in lines[-1]:
                break
        assert "being served" in "".join(lines), "".join(lines)
        assert _servers_of_home(Path(new_user_env["HOME"]))  # our temporary server

        serving.send_signal(signal.SIGTERM)
        stdout, stderr = serving.communicate(timeout=60)
    finally:
        if serving.poll() is None:
            serving.kill()
            serving.wait()

    assert serving.returncode in (0, 128 + signal.SIGINT)
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    note = [line for line in stderr.splitlines() if "no Prefect API configured" in line]
    assert len(note) == 1 and "prefect server start" in note[0]
    assert not _servers_of_home(Path(new_user_env["HOME"]))
