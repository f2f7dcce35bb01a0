"""The task-runner switch: one name picks where the per-batch tasks run.

Threads cost about 5 ms per task but share one interpreter (the GIL serialises extraction);
processes and Dask cost 150+ ms per task and scale over cores or machines. Batches of a few
hundred documents make either overhead negligible.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from prefect.task_runners import ProcessPoolTaskRunner, TaskRunner, ThreadPoolTaskRunner

from ingest.store import STAGING

TaskRunnerKind = Literal["threads", "processes", "dask"]
TASK_RUNNER_KINDS: tuple[str, ...] = get_args(TaskRunnerKind)

LOCAL_DASK_WORKER_SETTINGS = {"distributed": {"worker": {"profile": {"enabled": False}}}}
"""Set for the workers of a local cluster: a worker samples the stack of its running task
every 10 ms for the dashboard's profile, time taken from batches of pure-Python extraction.
A cluster at --dask-address keeps its own configuration."""


def make_task_runner(
    kind: TaskRunnerKind, workers: int, dask_address: str | None = None
) -> TaskRunner:
    """A fresh, unstarted task runner of `kind` with `workers` parallel slots.

    Dask starts a local cluster of `workers` single-threaded worker processes unless
    `dask_address` names an existing scheduler (tcp://host:8786); its workers must have this
    project installed and reach the Prefect API.
    """
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=workers)
    if kind == "processes":
        return ProcessPoolTaskRunner(max_workers=workers)
    if kind == "dask":
        try:
            import dask.config
            from prefect_dask import DaskTaskRunner
        except ImportError as exc:
            raise RuntimeError(
                "the dask task runner needs the optional extra: pip install 'newsclean[dask]'"
            ) from exc
        if dask_address:
            return DaskTaskRunner(address=dask_address)
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": workers,
                "threads_per_worker": 1,
                "processes": True,
                # a nanny replaces whole top-level sections with what it is given
                "config": dask.config.merge(dask.config.config, LOCAL_DASK_WORKER_SETTINGS),
            }
        )
    raise ValueError(f"unknown task runner {kind!r} (one of {', '.join(TASK_RUNNER_KINDS)})")


class ClusterUnfit(RuntimeError):
    """The workers of a Dask cluster cannot do this run's batches; the message says in one
    line what they lack and how to give it to them."""


PROBE_TIMEOUT_S = 60


def probe_dask_workers(
    address: str, raw_dir: Path | str, out_dir: Path, api_url: str | None
) -> None:
    """Before the first batch: one task on the cluster checks that a worker reads the input,
    writes the run's scratch space (under OUT/_staging) and reaches the Prefect API.

    Paths must already be absolute: a worker resolves a relative one in its own directory.
    """
    from distributed import Client

    from ingest.access import check_access

    staging = out_dir / STAGING
    staging.mkdir(parents=True, exist_ok=True)
    try:
        with Client(address, timeout=PROBE_TIMEOUT_S, set_as_default=False) as client:
            future = client.submit(check_access, str(raw_dir), str(staging), api_url, pure=False)
            problem = future.result(timeout=PROBE_TIMEOUT_S)
    except (OSError, TimeoutError) as exc:
        raise ClusterUnfit(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
    except Exception as exc:  # the worker could not run our code at all
        raise ClusterUnfit(
            f"the Dask workers at {address} cannot run newsclean ({type(exc).__name__}: {exc}): "
            "install this project on every worker"
        ) from exc
    if problem:
        raise ClusterUnfit(problem)
