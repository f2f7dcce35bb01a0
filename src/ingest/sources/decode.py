"""Bytes to text: BOM, declared charset (HTTP header or HTML meta), then detection.

Bad bytes never raise out of here except as DecodeFailure with a reject reason, so a
broken file becomes a reject and the run goes on.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from ingest.documents import RejectReason

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Leading bytes of common non-text formats that are sometimes saved under a text name.
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive"),
    (b"\x1f\x8b", "gzip data"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"RIFF", "RIFF media"),
    (b"\x7fELF", "ELF executable"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"wOFF", "web font"),
)

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]+)""", re.I)

# Share of control characters (other than tab/newline/CR/form feed) above which decoded
# "text" is really binary data that happened to decode.
_MAX_CONTROL_SHARE = 0.02
# Control characters other than tab, newline, form feed and carriage return, and U+FFFD: counted
# by one regex pass (a Python loop over 20,000 characters cost ~2 ms per page).
_BINARY_SIGNS = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd]")


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str


class DecodeFailure(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return _known_codec(match.group(1)) if match else None


def _known_codec(name: str | bytes | None) -> str | None:
    if not name:
        return None
    if isinstance(name, bytes):
        name = name.decode("ascii", "ignore")
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def declared_html_charset(data: bytes) -> str | None:
    """Charset declared by <meta charset>, <meta http-equiv> or the XML prolog in the first 4 KB."""
    head = data[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        match = pattern.search(head)
        if match:
            return _known_codec(match.group(1))
    return None


def binary_kind(data: bytes) -> str | None:
    """Name of the binary format `data` starts with, or None when it may be text."""
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            return kind
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without BOM has NUL in every other byte for Latin text; detect that."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sample[0::2].count(0) / len(sample[0::2])
    odd_nuls = sample[1::2].count(0) / len(sample[1::2])
    if odd_nuls > 0.3 and even_nuls < 0.05:
        return "utf-16-le"
    if even_nuls > 0.3 and odd_nuls < 0.05:
        return "utf-16-be"
    return None


def _looks_binary(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    return len(_BINARY_SIGNS.findall(sample)) / len(sample) > _MAX_CONTROL_SHARE


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(data: bytes, *, declared: str | None = None, is_html: bool = False) -> Decoded:
    """Decode `data` trying, in order: BOM, strict UTF-8, declared charset, HTML meta, detection.

    A declared charset that does not fit the bytes is ignored rather than trusted: pages
    often lie about their encoding. Raises DecodeFailure for empty, binary or hopeless input.
    """
    if not data.strip():
        raise DecodeFailure(RejectReason.EMPTY, "no content" if not data else "only whitespace")
    kind = binary_kind(data)
    if kind:
        raise DecodeFailure(RejectReason.BINARY, f"binary content ({kind})")

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = data[len(bom) :].decode(encoding, errors="replace")
            return _checked(text, encoding)

    # Valid UTF-8 with multi-byte characters is practically never legacy-encoded text, while
    # declared charsets are often wrong; so strict UTF-8 goes before the declaration.
    candidates = ["utf-8", _known_codec(declared)]
    if is_html:
        candidates.append(declared_html_charset(data))
    for encoding in candidates:
        if encoding:
            text = _strict(data, encoding)
            if text is not None:
                return _checked(text, encoding)

    utf16 = _utf16_without_bom(data)
    if utf16:
        return _checked(data.decode(utf16, errors="replace"), utf16)
    if data.count(0) > len(data) // 100:
        raise DecodeFailure(RejectReason.BINARY, "binary content (NUL bytes)")
    sample = data[:20000]
    if sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f") / len(sample) > _MAX_CONTROL_SHARE:
        raise DecodeFailure(RejectReason.BINARY, "binary content (control bytes)")

    mixed = _mostly_utf8(data)
    if mixed is not None:
        return _checked(mixed, "utf-8")

    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        encoding = codecs.lookup(best.encoding).name
        return _checked(data.decode(encoding, errors="replace"), encoding)
    raise DecodeFailure(RejectReason.UNDECODABLE, "encoding could not be determined")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few stray legacy bytes (mixed encodings in one file), or None.

    Valid multi-byte sequences must outnumber the broken ones; a file with no valid
    multi-byte sequence at all is a legacy single-byte encoding and goes to detection.
    """
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    valid_multibyte = sum(1 for ch in text if ord(ch) > 127) - broken
    if valid_multibyte > broken:
        return text
    return None


def _checked(text: str, encoding: str) -> Decoded:
    text = text.replace("\x00", "")
    if not text.strip():
        raise DecodeFailure(RejectReason.EMPTY, "only whitespace after decoding")
    if _looks_binary(text):
        raise DecodeFailure(
            RejectReason.BINARY, f"binary content (control characters as {encoding})"
        )
    return Decoded(text=text, encoding=encoding)
