"""What a process does once before it extracts: install our trafilatura fixes and quiet the
loggers of trafilatura and its helpers.

Called explicitly where a process starts work (the command line, the flows, `run_pipeline`,
a pool worker, the stage entry points that an executor may run in a fresh process), never
as a side effect of importing `ingest.extract`: importing a module should not change
another library's behaviour behind the importer's back.
"""

from __future__ import annotations

import logging
from functools import cache

# trafilatura and htmldate log every odd page at WARNING/ERROR; a run reports rejects itself.
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability")


@cache
def prepare_process() -> bool:
    """Install the trafilatura fixes and quiet its loggers, once per process; False when
    trafilatura's layout changed and a fix could not be installed."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    from ingest.extract.trafilatura_fixes import install

    return install()
