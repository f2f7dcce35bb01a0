"""Raw inputs in object storage: any fsspec URL (s3://bucket/prefix, gs://, az://, file://).

A prefix is listed once, and its objects become InputFiles like local files: the key below
the prefix is the `source` (so the same files give the same doc_ids as on disk), the
listing's size and modification time decide what is new, and the object's ETag stands for
the content hash, so a run never downloads a file to learn that it did not change. Objects
are streamed in blocks when read, never downloaded whole. Credentials and endpoint come the
usual way of each filesystem (for S3: environment, profile, instance role; AWS_ENDPOINT_URL).
fsspec is imported here only, when an input is a URL.
"""

from __future__ import annotations

import posixpath
from datetime import datetime
from pathlib import PurePosixPath
from typing import IO, Any

from ingest.documents import Reject, RejectReason
from ingest.sources.discover import InputFile, input_format_of

ETAG_PREFIX = "etag:"


def filesystem_of(url: str) -> tuple[Any, str]:
    """(fsspec filesystem, path inside it) for a URL."""
    from fsspec.core import url_to_fs

    try:
        return url_to_fs(url)
    except (ImportError, ValueError) as exc:
        protocol = url.split("://", 1)[0]
        extra = " (pip install 'newsclean[s3]')" if protocol in ("s3", "s3a") else ""
        raise FileNotFoundError(f"cannot open {url}: {exc}{extra}") from exc


def discover_url(url: str) -> tuple[list[InputFile], list[Reject]]:
    """Every object below the URL's prefix, as discover() gives local files."""
    fs, root = filesystem_of(url)
    root = root.rstrip("/")
    if not prefix_exists(url):
        return [], []  # a prefix with no object yet: object stores have no empty folders
    listing = fs.find(root, detail=True)
    files: list[InputFile] = []
    rejects: list[Reject] = []
    for path in sorted(listing):
        info = listing[path]
        if info.get("type", "file") != "file":
            continue
        rel = posixpath.relpath(path, root) if path != root else posixpath.basename(path)
        if any(part.startswith(".") for part in rel.split("/")):
            continue  # hidden, as on disk
        kind = input_format_of(rel)
        if kind is None:
            suffix = PurePosixPath(rel).suffix or "no suffix"
            detail = f"not a news input type ({suffix})"
            rejects.append(Reject(rel, RejectReason.UNSUPPORTED, detail))
            continue
        files.append(
            InputFile(
                PurePosixPath(path),  # type: ignore[arg-type]  # opened by url, never as a Path
                rel,
                int(info.get("size") or 0),
                modified_ns(info),
                *kind,
                url=fs.unstrip_protocol(path),
                etag=etag_of(info),
            )
        )
    return files, rejects


def prefix_exists(url: str) -> bool:
    """Whether the URL names objects (False: a prefix with none yet in an existing bucket);
    FileNotFoundError when even the bucket (or the local folder) is missing or unreadable."""
    fs, root = filesystem_of(url)
    root = root.rstrip("/")
    if fs.exists(root):
        return True
    bucket, _, key = root.partition("/")
    if bucket and key and fs.exists(bucket):
        return False
    raise FileNotFoundError(f"input {url} does not exist or cannot be listed")


def modified_ns(info: dict[str, Any]) -> int:
    """An object's modification time in ns from a listing entry, whatever the filesystem
    calls it (S3 LastModified, local mtime, GCS updated, Azure last_modified); 0 if none."""
    for key in ("LastModified", "mtime", "updated", "last_modified", "modified"):
        value = info.get(key)
        if isinstance(value, datetime):
            return int(value.timestamp() * 1_000_000_000)
        if isinstance(value, int | float):
            return int(value * 1_000_000_000)
        if isinstance(value, str):
            try:
                return int(datetime.fromisoformat(value).timestamp() * 1_000_000_000)
            except ValueError:
                continue
    return 0


def etag_of(info: dict[str, Any]) -> str | None:
    """The object's content tag (ETag, or md5 where a store gives that), if the store has one."""
    for key in ("ETag", "etag", "md5Hash", "content_md5"):
        value = info.get(key)
        if value:
            return str(value).strip('"')
    return None


def open_url(file: InputFile) -> IO[bytes]:
    """A streaming, block-buffered read of the object (FileNotFoundError if it is gone)."""
    fs, path = filesystem_of(file.url or "")
    return fs.open(path, "rb")


def current(file: InputFile) -> tuple[int, int, str | None]:
    """The object's size, modification time and tag now, to tell a change while reading."""
    fs, path = filesystem_of(file.url or "")
    info = fs.info(path)
    return int(info.get("size") or 0), modified_ns(info), etag_of(info)
