"""Determinism across processes: the same script on the same input, run in fresh interpreters."""

from __future__ import annotations

import subprocess
import sys


def outputs_of_fresh_runs(script: str, stdin: str, runs: int = 2) -> list[str]:
    """What `script` printed in each of `runs` fresh Python processes fed `stdin`."""
    return [
        subprocess.run(
            [sys.executable, "-c", script], input=stdin, capture_output=True, text=True, check=True
        ).stdout
        for _ in range(runs)
    ]
