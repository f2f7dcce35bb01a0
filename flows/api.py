"""The Prefect API a run reports to: the configured one, or a temporary server of ours.

Left to itself, Prefect starts a temporary server in every process that needs an API and
finds none configured: each Dask or process-pool worker that runs a batch task started one
of its own, which the flow's UI never saw and which outlived the workers. So when no API is
configured, a tracked run starts one temporary server here, points the run's settings at
it (task runners pass those settings on to their workers), and stops it when the run ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prefect.settings import (
    PREFECT_API_URL,
    PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
    get_current_settings,
    temporary_settings,
)

TEMPORARY_SERVER_STARTUP_S = 120
"""A first run on a fresh PREFECT_HOME migrates its database: slower than Prefect's 20 s default."""


def configured_api_url() -> str | None:
    """PREFECT_API_URL from the environment or the active profile, if any."""
    return get_current_settings().api.url


@contextmanager
def prefect_api() -> Iterator[str]:
    """The API URL for a run: the configured one, or a temporary local server's for as long
    as the block lasts (its settings then point there)."""
    configured = configured_api_url()
    if configured:
        yield configured
        return
    from prefect.server.api.server import SubprocessASGIServer

    startup_s = max(
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), TEMPORARY_SERVER_STARTUP_S
    )
    server = SubprocessASGIServer()
    server.start(timeout=startup_s)
    try:
        with temporary_settings({PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        server.stop()
