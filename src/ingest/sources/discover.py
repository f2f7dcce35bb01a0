"""Find input files under a folder and say which of them are new since earlier runs."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import xxhash

from ingest.documents import InputFormat, InputState, Reject, RejectReason
from ingest.locations import is_url

_SUFFIX_FORMATS: dict[str, InputFormat] = {
    ".html": InputFormat.HTML,
    ".htm": InputFormat.HTML,
    ".xhtml": InputFormat.HTML,
    ".txt": InputFormat.TXT,
    ".text": InputFormat.TXT,
    ".json": InputFormat.JSON,
    ".jsonl": InputFormat.JSONL,
    ".ndjson": InputFormat.JSONL,
    ".warc": InputFormat.WARC,
    ".wet": InputFormat.WARC,  # Common Crawl's extracted text: *.warc.wet.gz
}
SUPPORTED_SUFFIXES = " ".join(_SUFFIX_FORMATS) + " (each also gzipped, .gz)"


@dataclass(frozen=True, slots=True)
class InputFile:
    path: Path  # absolute path, used only to open the file
    relpath: str  # path relative to the raw folder, POSIX separators: the `source` of its records
    size: int
    mtime_ns: int
    input_format: InputFormat
    gzipped: bool
    url: str | None = None  # an object in object storage: opened by this URL, not by path
    etag: str | None = None  # the object's content tag, which stands for its content hash


def input_format_of(name: str) -> tuple[InputFormat, bool] | None:
    """(format, gzipped) for a file name, or None for a type we do not read."""
    lower = name.lower()
    gzipped = lower.endswith(".gz")
    if gzipped:
        lower = lower[:-3]
    suffix = os.path.splitext(lower)[1]
    fmt = _SUFFIX_FORMATS.get(suffix)
    return (fmt, gzipped) if fmt else None


def _walk(root: Path) -> Iterator[tuple[Path, os.stat_result | OSError]]:
    """Every regular file below root, in sorted order; symlinked folders are followed once."""
    seen_dirs: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            yield folder, exc
            continue
        if (st.st_dev, st.st_ino) in seen_dirs:
            continue  # symlink loop or a folder linked twice
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            yield folder, exc
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue  # hidden files: editor swap files, .DS_Store, .gitkeep
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subfolders.append(path)
                    continue
                yield path, entry.stat()
            except OSError as exc:
                yield path, exc
        stack.extend(reversed(subfolders))


def relative_source(path: Path, root: Path) -> str:
    """The path below root as text that any Parquet writer accepts.

    A name with bytes that are not UTF-8 comes back from the OS with surrogate escapes,
    which Arrow refuses to write; such bytes are spelled out as \\xNN instead.
    """
    rel = path.relative_to(root).as_posix()
    return rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(root: Path | str) -> tuple[list[InputFile], list[Reject]]:
    """All readable input files under root (a folder, or a URL of a prefix in object
    storage), and rejects for files we cannot read or do not know."""
    if is_url(root):
        from ingest.sources.remote import discover_url

        return discover_url(str(root))
    root = Path(root)
    files: list[InputFile] = []
    rejects: list[Reject] = []
    for path, st in _walk(root):
        rel = relative_source(path, root)
        if isinstance(st, OSError):
            rejects.append(Reject(rel, RejectReason.UNREADABLE, _os_error(st)))
            continue
        if not _is_regular(st):
            # FIFOs, sockets and devices are never opened: reading a FIFO would block the run.
            rejects.append(
                Reject(rel, RejectReason.UNSUPPORTED, f"not a regular file ({_file_type(st)})")
            )
            continue
        kind = input_format_of(path.name)
        if kind is None:
            rejects.append(
                Reject(
                    rel,
                    RejectReason.UNSUPPORTED,
                    f"not a news input type ({path.suffix or 'no suffix'})",
                )
            )
            continue
        fmt, gzipped = kind
        files.append(InputFile(path, rel, st.st_size, st.st_mtime_ns, fmt, gzipped))
    return files, rejects


def _is_regular(st: os.stat_result) -> bool:
    return stat.S_ISREG(st.st_mode)


def _file_type(st: os.stat_result) -> str:
    if stat.S_ISFIFO(st.st_mode):
        return "FIFO"
    if stat.S_ISSOCK(st.st_mode):
        return "socket"
    if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode):
        return "device"
    return "special file"


def _os_error(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


def file_hash(path: Path, chunk_size: int = 1 << 20) -> str:
    """Streaming xxh3-128 of the file's bytes: cheap enough to tell a changed file apart."""
    with path.open("rb") as handle:
        return _stream_hash(handle, chunk_size)


def _stream_hash(handle: IO[bytes], chunk_size: int = 1 << 20) -> str:
    digest = xxhash.xxh3_128()
    while chunk := handle.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()


def open_input(file: InputFile) -> IO[bytes]:
    """The input's raw bytes, from disk or streamed from object storage."""
    if file.url is not None:
        from ingest.sources.remote import open_url

        return open_url(file)
    return file.path.open("rb")


def input_hash(file: InputFile) -> str:
    """The input's content hash; for an object with an ETag, the tag (nothing downloaded)."""
    if file.url is not None:
        from ingest.sources.remote import ETAG_PREFIX

        if file.etag:
            return ETAG_PREFIX + file.etag
        with open_input(file) as handle:
            return _stream_hash(handle)
    return file_hash(file.path)


def unchanged_since_listed(file: InputFile) -> bool:
    """Whether the input still has the size and modification time (and tag) it was listed with."""
    if file.url is not None:
        from ingest.sources.remote import current

        return current(file) == (file.size, file.mtime_ns, file.etag)
    st = file.path.stat()
    return st.st_size == file.size and st.st_mtime_ns == file.mtime_ns


@dataclass(frozen=True, slots=True)
class Plan:
    """The files a run must read, and the unchanged files it skips."""

    new_files: list[InputFile]
    hashes: dict[str, str]  # relpath -> content hash, for the new files whose hash is known
    unchanged: list[InputFile]  # same size and mtime (or same bytes) as an earlier run saw
    touched: list[
        tuple[InputFile, str]
    ]  # same bytes, new mtime: recorded so the next run skips fast


def plan_inputs(
    files: Iterable[InputFile], seen: Mapping[str, InputState]
) -> tuple[Plan, list[Reject]]:
    """Split discovered files into new/changed ones and ones an earlier run already ingested."""
    new_files: list[InputFile] = []
    hashes: dict[str, str] = {}
    unchanged: list[InputFile] = []
    touched: list[tuple[InputFile, str]] = []
    rejects: list[Reject] = []
    for item in files:
        before = seen.get(item.relpath)
        if before and before.size == item.size and before.mtime_ns == item.mtime_ns:
            unchanged.append(item)
            continue
        if before and before.size == item.size:
            try:
                digest = input_hash(item)
            except OSError as exc:
                rejects.append(Reject(item.relpath, RejectReason.UNREADABLE, _os_error(exc)))
                continue
            if digest == before.content_hash:
                unchanged.append(item)
                touched.append((item, digest))
                continue
            hashes[item.relpath] = digest
        new_files.append(item)
    return Plan(new_files, hashes, unchanged, touched), rejects
