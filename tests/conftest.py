"""Test-wide setup: a closed-network, throwaway Prefect environment and one shared test server.

The environment is set at import time, before anything imports Prefect (its settings are
read once): no telemetry (the network is closed, and telemetry would log errors), a
temporary PREFECT_HOME (nothing left under ~/.prefect, no clash with a developer's
database), quiet logs, and a generous start-up timeout for the test server on a slow CI
machine. Values already set by the caller win.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="newsclean-test-prefect-")
atexit.register(shutil.rmtree, _PREFECT_HOME, ignore_errors=True)

for _name, _value in {
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_HOME": _PREFECT_HOME,
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
}.items():
    os.environ.setdefault(_name, _value)


@pytest.fixture(scope="session", autouse=True)
def prepared_process() -> None:
    """Extraction set up as a run sets it up (ingest.startup), for the tests that call the
    extractor directly; test_trafilatura_fixes checks that a run does it by itself."""
    from ingest.startup import prepare_process

    prepare_process()


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server and database for the whole session (about 20 s to start).

    Imported here, not at module level, so test runs without Prefect tests stay fast.
    """
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=None):
        yield


@pytest.fixture(autouse=True)
def prefect_events_stopped(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a test that ran flows, stop Prefect's events worker.

    Its websocket to the test server stays open for the rest of the session and pings from a
    background thread (keepalive every few seconds, a checkpoint every 30 s); each ping draws
    on the global `random`. hypothesis reports a change of that state during a later test's
    data generation (a deprecation warning today, an error to come). A later flow run starts
    the worker again.
    """
    yield
    if "prefect_harness" in request.fixturenames:
        from prefect.events.worker import EventsWorker

        EventsWorker.drain_all(timeout=30)
