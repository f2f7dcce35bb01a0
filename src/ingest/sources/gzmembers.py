"""A gzip stream read member by member that skips a broken member instead of ending.

WARCs are gzipped one member per record so that a reader can start at any record; the same
property lets us go on after a broken member: the bytes up to the next gzip header are
skipped and recorded, and the stream reports its end once, so the WARC reader sees the
record cut short, then continues with the next record. gzip.GzipFile raises on the first
broken member, which cost the rest of a night's crawl.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import IO

_MAGIC = b"\x1f\x8b\x08"
_CHUNK = 1 << 16
_STEP = 1 << 12


@dataclass(frozen=True)
class Break:
    """A broken member: where it started in the compressed file, how many bytes were
    skipped to the next member (0: the file ends inside it), zlib's complaint, and whether
    a member was found after it."""

    offset: int
    skipped: int
    error: str
    resumed: bool = False


class GzipMembers(io.RawIOBase):
    """Decompressed bytes of every readable member of a (multi-member) gzip file."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self._input = b""  # compressed bytes read but not yet fed to the decompressor
        self._position = 0  # offset in the compressed file of the start of _input
        self._member_start = 0
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._started = False  # whether the current member has produced any byte
        self.breaks: list[Break] = []
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        while True:
            if not self._input and not self._more():
                return self._finish_member()
            try:
                # Small steps: zlib drops the output of a call that fails, so a break costs
                # at most one step's worth of the bytes before it.
                data = self._decoder.decompress(self._input, min(len(buffer), _STEP))
            except zlib.error as exc:
                self._resync(str(exc))
                return 0  # the end, once: the reader sees what came before the break as cut
            consumed = len(self._input) - len(self._decoder.unconsumed_tail)
            if self._decoder.eof:
                consumed = len(self._input) - len(self._decoder.unused_data)
            self._input = self._input[consumed:]
            self._position += consumed
            self._started = self._started or bool(data)
            if self._decoder.eof:
                self._next_member()
            if data:
                buffer[: len(data)] = data
                return len(data)

    def _more(self) -> bool:
        if self._eof:
            return False
        chunk = self._raw.read(_CHUNK)
        if not chunk:
            self._eof = True
            return False
        self._input += chunk
        return True

    def _next_member(self) -> None:
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member_start = self._position
        self._started = False
        while len(self._input) < 3 and self._more():
            pass
        if self._input and not self._input.startswith(_MAGIC[: len(self._input)]):
            self._resync("bytes that are no gzip member")

    def _finish_member(self) -> int:
        """End of the compressed file: a member left open is cut short."""
        if self._started or self._position > self._member_start:
            self.breaks.append(Break(self._member_start, 0, "member cut short"))
            self._member_start = self._position
            self._started = False
        return 0

    def _resync(self, error: str) -> None:
        """Skip to the next gzip header after the start of the broken member."""
        start = self._member_start
        skip = 1 if self._position == start else 0  # never find the broken member's own header
        resumed = False
        while True:
            found = self._input.find(_MAGIC, skip)
            if found >= 0:
                self._position += found
                self._input = self._input[found:]
                resumed = True
                break
            drop = min(len(self._input), max(skip, len(self._input) - (len(_MAGIC) - 1)))
            self._position += drop
            self._input = self._input[drop:]  # keep a tail: a header may span two reads
            skip = 0
            if not self._more():
                self._position += len(self._input)
                self._input = b""
                break
        self.breaks.append(Break(start, self._position - start, error, resumed))
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
        self._member_start = self._position
        self._started = False

    def finished(self) -> bool:
        """Whether every byte of the file was read (a break returns an end that is not)."""
        return self._eof and not self._input

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()
