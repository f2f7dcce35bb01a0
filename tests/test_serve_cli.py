"""`ingest serve` as a new user starts it: a fresh home, no Prefect settings at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

pytestmark = pytest.mark.prefect


def test_serve_without_an_api_says_so_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "DO_NOT_TRACK"))}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    env["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "300"  # a slow shared machine
    ingest = str(Path(sys.executable).parent / "ingest")
    command = [ingest, "serve", "raw", "--out", "out", "--interval", "3600"]
    serving = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 400
        lines = []
        while time.monotonic() < deadline and serving.poll() is None:
            line = serving.stdout.readline()
            lines.append(line)
            if "being served" in line:
                break
        assert "being served" in "".join(lines), "".join(lines)
        children = psutil.Process(serving.pid).children(recursive=True)
        assert any("uvicorn" in " ".join(p.cmdline()) for p in children)  # our temporary server

        serving.send_signal(signal.SIGTERM)
        stdout, stderr = serving.communicate(timeout=60)
    finally:
        if serving.poll() is None:
            serving.kill()
            serving.wait()

    assert serving.returncode in (0, -signal.SIGTERM, 128 + signal.SIGTERM)
    assert "Traceback" not in stderr and "Traceback" not in stdout, stderr
    note = [line for line in stderr.splitlines() if "no Prefect API configured" in line]
    assert len(note) == 1 and "prefect server start" in note[0]
    assert not [p for p in children if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
