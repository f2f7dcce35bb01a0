"""Can a worker of a cluster do a run's batches: read its input, write its scratch, reach the API?

Batches read the raw files and pass documents between stages as scratch Parquet under the
output folder's `_staging/`, by path. A worker that sees another disk than the flow's process
would turn every input into a `vanished` reject, and the run would commit an empty dataset as
if nothing was wrong; a worker that cannot reach the Prefect API starts a server of its own.
So the flow sends `check_access` to a worker first; it answers in one line what is wrong.
"""

from __future__ import annotations

import os
import socket
import urllib.request
import uuid
from pathlib import Path

from ingest.locations import is_url


def check_access(raw_dir: str, staging_dir: str, api_url: str | None = None) -> str | None:
    """None when this process can read raw_dir, write under staging_dir and reach api_url
    (when given); else one line naming the path and the fix."""
    host = socket.gethostname()
    if is_url(raw_dir):
        from ingest.sources.remote import prefix_exists

        try:
            prefix_exists(raw_dir)
        except Exception as exc:
            return f"worker {host} cannot read the input {raw_dir} ({type(exc).__name__}: {exc}); give the workers the same credentials and endpoint"
    elif not os.path.isdir(raw_dir) or not os.access(raw_dir, os.R_OK | os.X_OK):
        return (
            f"worker {host} cannot read the input folder {raw_dir}: put it on a mount every "
            "worker shares at the same path, or read it from object storage (s3://...)"
        )
    probe = Path(staging_dir) / f".probe-{uuid.uuid4().hex}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        return (
            f"worker {host} cannot write the run's scratch space {staging_dir} "
            f"({exc.strerror or exc}): the output folder must be on a mount every worker "
            "shares at the same path"
        )
    if api_url:
        try:
            with urllib.request.urlopen(api_url.rstrip("/") + "/health", timeout=10):
                pass
        except OSError as exc:
            return (
                f"worker {host} cannot reach the Prefect API at {api_url} ({exc}): run "
                "`prefect server start --host 0.0.0.0` where the workers reach it and set "
                "PREFECT_API_URL=http://HOST:4200/api here and for the workers"
            )
    return None
