"""Where a run's input lives: a local folder (a Path) or an fsspec URL (s3://bucket/prefix).

Kept apart and free of imports so Options can tell the two apart without loading fsspec.
"""

from __future__ import annotations

from pathlib import Path


def is_url(location: object) -> bool:
    """Whether `location` is a URL such as s3://bucket/prefix (a Path never is one)."""
    return isinstance(location, str) and "://" in location


def as_location(location: Path | str) -> Path | str:
    """A URL as it is (Path would fold its '//'), anything else as a Path."""
    return location if is_url(location) else Path(location)


def absolute(location: Path | str) -> Path | str:
    """Made absolute against this process's working directory, which workers do not share."""
    return location if is_url(location) else Path(location).resolve()
