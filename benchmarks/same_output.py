"""Whether two `ingest run` outputs hold the same rows: the check behind a speed change that
claims to leave the output alone.

Run the same raw folder through two checkouts (say main and a branch, each into its own
--out), then compare: articles, duplicates and rejects row for row (every column but the run
id and the clock), and the dedup index (band keys, sketches). Prints each table's row counts
and the columns where rows differ; exits 1 when any row differs.

    python benchmarks/same_output.py OUT_A OUT_B
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import pyarrow.dataset as ds

#: Columns that differ between any two runs.
RUN_COLUMNS = frozenset({"run_id", "ingested_at"})
#: Each table and the columns that name a row in it.
TABLES = {
    "articles": ("doc_id",),
    "duplicates": ("doc_id",),
    "rejects": ("source", "reason", "detail"),
    "_state/dedup": ("doc_id",),
}


def rows(out: Path, table: str, key: tuple[str, ...]) -> dict[tuple, dict]:
    """The table's rows by key and occurrence, without the run columns; none when the table
    is absent."""
    folder = out / table
    if not folder.exists():
        return {}
    found = ds.dataset(folder, partitioning="hive").to_table()
    found = found.select([c for c in found.column_names if c not in RUN_COLUMNS])
    by_key: dict[tuple, dict] = {}
    seen: Counter[tuple] = Counter()
    for row in found.to_pylist():
        named = tuple(row[c] for c in key)
        seen[named] += 1  # rows under one key (two equal rejects) are told apart by order
        by_key[(*named, seen[named])] = row
    return by_key


def differing_columns(left: dict | None, right: dict | None) -> set[str]:
    if left is None or right is None:
        return {"(row missing)"}
    return {c for c in left.keys() | right.keys() if left.get(c) != right.get(c)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_a", type=Path)
    parser.add_argument("out_b", type=Path)
    args = parser.parse_args()
    same = True
    for table, key in TABLES.items():
        left, right = rows(args.out_a, table, key), rows(args.out_b, table, key)
        differ = [k for k in left.keys() | right.keys() if left.get(k) != right.get(k)]
        columns = set().union(*(differing_columns(left.get(k), right.get(k)) for k in differ))
        print(
            f"{table:<14}{len(left):>7} rows{len(right):>7} rows{len(differ):>7} differ"
            + (f"  columns: {', '.join(sorted(columns))}" if columns else "")
        )
        same = same and not differ
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
