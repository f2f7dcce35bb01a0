"""Scheduled runs: the `ingest-news` deployment, served by this process (`ingest serve`).

Each scheduled run ingests only the files that arrived since the last committed run (the
library records every input under _state/inputs). Runs never overlap: the deployment has a
concurrency limit of one with the CANCEL_NEW strategy, so a run that comes due while the
previous one still works is cancelled with a message instead of queueing (the next run picks
up its files anyway, and a backlog cannot build up). Any other writer on the same output,
such as a manual `ingest run`, is kept out by the library's output lock: the scheduled run
waits lock_timeout_s for it, then fails with a message naming the holder.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from prefect import serve
from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy
from prefect.deployments.runner import EntrypointType, RunnerDeployment

from flows.api import prefect_api
from flows.ingest_flow import flow_parameters, ingest_news
from flows.runners import TaskRunnerKind, probe_dask_workers
from ingest.locations import absolute as absolute_location
from ingest.options import Options

DEPLOYMENT_NAME = "scheduled"
ONE_RUN_AT_A_TIME = ConcurrencyLimitConfig(
    limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW
)


def scheduled_deployment(
    options: Options,
    *,
    cron: str | None = None,
    interval_s: float | None = None,
    task_runner: TaskRunnerKind = "threads",
    dask_address: str | None = None,
    name: str = DEPLOYMENT_NAME,
) -> RunnerDeployment:
    """The deployment of `ingest-news` for `options` on a cron or interval schedule.

    Folders are made absolute, so the runs do not depend on where the server or a worker
    starts them; the flow is found by module path (the `flows` package is installed).
    """
    if (cron is None) == (interval_s is None):
        raise ValueError("give exactly one schedule: a cron expression or an interval")
    absolute = options.with_changes(
        raw_dir=absolute_location(options.raw_dir), out_dir=options.out_dir.resolve()
    )
    return ingest_news.to_deployment(
        name=name,
        cron=cron,
        interval=timedelta(seconds=interval_s) if interval_s is not None else None,
        parameters=flow_parameters(absolute, task_runner=task_runner, dask_address=dask_address),
        concurrency_limit=ONE_RUN_AT_A_TIME,
        description=f"Ingest new files from {absolute.raw_dir} into {absolute.out_dir}.",
        tags=["newsclean"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_schedule(
    options: Options,
    *,
    cron: str | None = None,
    interval_s: float | None = None,
    task_runner: TaskRunnerKind = "threads",
    dask_address: str | None = None,
) -> None:
    """Register the scheduled deployment with the configured Prefect API (else a temporary
    server that lives as long as this process) and execute its flow runs in this process
    until interrupted (Ctrl-C pauses the schedule). A Dask cluster is probed first, so one
    that cannot do the runs is refused at once (ClusterUnfit) rather than at every run."""
    deployment = scheduled_deployment(
        options,
        cron=cron,
        interval_s=interval_s,
        task_runner=task_runner,
        dask_address=dask_address,
    )
    with prefect_api() as api_url:
        if dask_address:
            params = deployment.parameters
            probe_dask_workers(dask_address, params["raw_dir"], Path(params["out_dir"]), api_url)
        serve(deployment)
