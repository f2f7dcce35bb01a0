"""Does machine load turn slow but legitimate pages into timeout rejects?

Extracts the slowest WCXB train pages (../shared/eval/train/wcxb) in the main thread, as the
pipeline does, first alone and then while CPU-burning processes compete for the cores, under
a per-page limit set to `--factor` times the page's own CPU time alone (the real limit, 15 s,
against a 2.8 s page, scaled down so a run stays short). Prints per page the CPU and wall
seconds and whether the limit stopped it. Run it on another checkout's src (PYTHONPATH) to
compare two limit implementations.

    .venv/bin/python benchmarks/timeout_load.py                 # 5 slowest pages, 6 hogs (scan: ~1 min)
    .venv/bin/python benchmarks/timeout_load.py --ids 0348,0101 --hogs 8 --factor 3
"""

from __future__ import annotations

import argparse
import gzip
import multiprocessing
import os
import time
from pathlib import Path

from ingest.extract.page import extract_html
from ingest.timeout import TimeLimitExceeded

WCXB = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "train" / "wcxb"


def load(page_id: str) -> str:
    return gzip.decompress((WCXB / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")


def measure(html: str, limit_s: float) -> tuple[float, float, bool]:
    """CPU seconds, wall seconds, and whether the limit stopped the extraction."""
    cpu, wall = time.thread_time(), time.perf_counter()
    try:
        extract_html(html, timeout_s=limit_s)
        stopped = False
    except TimeLimitExceeded:
        stopped = True
    return time.thread_time() - cpu, time.perf_counter() - wall, stopped


def slowest(n: int) -> list[str]:
    """The `n` pages whose extraction takes the most CPU time alone (the second of two runs:
    the first can pay for lazy loads)."""
    ids = sorted(p.name.removesuffix(".html.gz") for p in WCXB.glob("*.html.gz"))
    cost = {page_id: min(measure(load(page_id), 600)[0] for _ in range(2)) for page_id in ids}
    return sorted(ids, key=cost.__getitem__, reverse=True)[:n]


def hog() -> None:
    while True:
        sum(range(10_000))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ids", help="comma-separated page ids; default: the slowest pages")
    parser.add_argument("--slowest", type=int, default=5, help="how many slowest pages")
    parser.add_argument("--hogs", type=int, default=6, help="CPU-burning processes under load")
    parser.add_argument("--factor", type=float, default=2.0, help="limit / CPU time alone")
    args = parser.parse_args()
    ids = args.ids.split(",") if args.ids else slowest(args.slowest)
    pages = {page_id: load(page_id) for page_id in ids}
    for html in pages.values():  # lazy loads (models, rule tables) are not a page's cost
        measure(html, 600)
    alone = {page_id: measure(html, 600)[0] for page_id, html in pages.items()}
    hogs = [multiprocessing.Process(target=hog, daemon=True) for _ in range(args.hogs)]
    for process in hogs:
        process.start()
    try:
        loaded = {
            page_id: measure(html, alone[page_id] * args.factor) for page_id, html in pages.items()
        }
    finally:
        for process in hogs:
            process.terminate()
            process.join()
    print(f"{os.cpu_count()} cores, {args.hogs} hogs, limit = {args.factor:g} x CPU alone")
    print("page   alone_cpu   limit  loaded_cpu  loaded_wall  result")
    for page_id in ids:
        cpu, wall, stopped = loaded[page_id]
        limit = alone[page_id] * args.factor
        result = "timeout" if stopped else "ok"
        print(
            f"{page_id}  {alone[page_id]:9.2f}  {limit:6.2f}  {cpu:10.2f}  {wall:11.2f}  {result}"
        )
    rejects = sum(stopped for _, _, stopped in loaded.values())
    print(f"timeout rejects under load: {rejects} of {len(ids)}")


if __name__ == "__main__":
    main()
