"""Map the fields of a JSON/JSONL news record onto a RawDocument.

News APIs disagree on field names; we accept the common ones and ignore the rest. Record
fields are data, never paths or URLs to fetch.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as date_parser

from ingest.documents import Reject, RejectReason

URL_FIELDS = ("url", "link", "uri", "canonical_url", "web_url", "href")
TITLE_FIELDS = ("title", "headline", "name")
HTML_FIELDS = ("html", "raw_html", "content_html", "body_html", "page")
TEXT_FIELDS = ("text", "content", "body", "article", "article_text", "full_text", "maintext")
DATE_FIELDS = (
    "published",
    "published_at",
    "publishedAt",
    "date_published",
    "datePublished",
    "pubDate",
    "date",
    "datetime",
    "created_at",
    "time",
)
LANGUAGE_FIELDS = ("language", "lang", "language_code", "locale", "inLanguage")
AUTHOR_FIELDS = ("author", "authors", "byline", "creator")
SITE_FIELDS = ("site", "site_name", "source", "source_name", "publisher", "domain", "outlet")

_LOOKS_LIKE_HTML = re.compile(r"<(html|body|p|div|article|br)\b", re.I)
# JSON may escape half of a surrogate pair ("\ud83d" from a cut emoji); Python keeps it as a
# lone surrogate, which no UTF-8 writer accepts, so it would fail the whole run's commit.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class BadRecord(Exception):
    def __init__(self, reason: RejectReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _text(value: str) -> str:
    return _LONE_SURROGATE.sub("\ufffd", value.strip())


def _first_string(record: Mapping[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return _text(value)
    return None


def _author(record: Mapping[str, Any]) -> str | None:
    for name in AUTHOR_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return _text(value)
        if isinstance(value, list):
            names = [_name_of(item) for item in value]
            joined = ", ".join(n for n in names if n)
            if joined:
                return joined
        if isinstance(value, Mapping) and _name_of(value):
            return _name_of(value)
    return None


def _name_of(value: Any) -> str | None:
    if isinstance(value, str):
        return _text(value) or None
    if isinstance(value, Mapping):
        name = value.get("name")
        return _text(name) if isinstance(name, str) and name.strip() else None
    return None


def _site(record: Mapping[str, Any]) -> str | None:
    for name in SITE_FIELDS:
        site = _name_of(record.get(name))
        if site:
            return site
    return None


def parse_date(value: Any) -> datetime | None:
    """A UTC datetime from an ISO string, a free-form date or a Unix timestamp; None if unsure."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, int | float):
            seconds = value / 1000 if value > 1e11 else value
            return datetime.fromtimestamp(seconds, tz=UTC)
        if not isinstance(value, str) or not value.strip():
            return None
        text = value.strip()
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            parsed = date_parser.parse(text)
    except (ValueError, OverflowError, OSError, date_parser.ParserError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    if not 1900 <= parsed.year <= 2200:
        return None
    return parsed


def host_of(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def record_fields(record: Any) -> dict[str, Any]:
    """Normalised fields of one record; raises BadRecord when it has no usable body."""
    if not isinstance(record, Mapping):
        raise BadRecord(
            RejectReason.BAD_RECORD, f"record is a JSON {type(record).__name__}, not an object"
        )
    html = _first_string(record, HTML_FIELDS)
    text = _first_string(record, TEXT_FIELDS)
    if html is None and text is None:
        present = [n for n in HTML_FIELDS + TEXT_FIELDS if n in record]
        if present:
            kinds = ", ".join(f"{n}: {type(record[n]).__name__}" for n in present)
            raise BadRecord(RejectReason.BAD_RECORD, f"body field is not text ({kinds})")
        raise BadRecord(RejectReason.NO_TEXT, "record has no html or text field")
    is_html = html is not None or bool(text and _LOOKS_LIKE_HTML.search(text[:2000]))
    url = _first_string(record, URL_FIELDS)
    return {
        "content": html if html is not None else text,
        "is_html": is_html,
        "url": url,
        "title": _first_string(record, TITLE_FIELDS),
        "author": _author(record),
        "published": next(
            (d for d in (parse_date(record.get(n)) for n in DATE_FIELDS if n in record) if d), None
        ),
        "language_hint": _first_string(record, LANGUAGE_FIELDS),
        "site": host_of(url) or _site(record),
    }


def bad_record_reject(source: str, fmt: str, exc: BadRecord) -> Reject:
    return Reject(source, exc.reason, exc.detail, input_format=fmt)
