"""How long `ingest clean` takes for one document: the command as a user runs it (process
start-up included), and inside the process the first document (lazy model loads) and the
next ones, on the sample pages of raw/.

    .venv/bin/python benchmarks/clean_one.py [N_PAGES]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(n_pages: int = 10) -> None:
    pages = sorted(p for p in (ROOT / "raw").rglob("*.htm*") if p.is_file())[:n_pages]
    ingest = str(Path(sys.executable).parent / "ingest")
    walls = []
    for page in pages[:3]:
        started = time.perf_counter()
        subprocess.run([ingest, "clean", str(page)], capture_output=True)  # a reject exits 1
        walls.append(time.perf_counter() - started)

    started = time.perf_counter()
    from ingest.options import Options
    from ingest.single import clean_path

    imported = time.perf_counter() - started
    options = Options()
    started = time.perf_counter()
    clean_path(pages[0], options)
    first = time.perf_counter() - started
    warm = []
    for page in pages[1:]:
        started = time.perf_counter()
        clean_path(page, options)
        warm.append(time.perf_counter() - started)

    print(f"pages: {len(pages)} sample HTML pages from raw/")
    print(f"`ingest clean FILE`, whole command: median {statistics.median(walls):.2f} s")
    print(f"import of the clean path:            {imported:.2f} s")
    print(f"first document (loads models):       {first:.2f} s")
    print(f"each further document:               median {statistics.median(warm) * 1000:.0f} ms")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
