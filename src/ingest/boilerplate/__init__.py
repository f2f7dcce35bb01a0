"""Residual boilerplate removal: rules over paragraphs plus per-site repeated-line learning.

Runs on every document after extraction (HTML) or decoding (plain text). Phrase lists are
data files under phrases/, one per language; every cut is returned with its kind.
"""

from ingest.boilerplate.cleaner import CleanResult, clean_document
from ingest.boilerplate.kinds import RemovalKind
from ingest.boilerplate.normalize import normalize_whitespace
from ingest.boilerplate.site_lines import SiteLineModel, count_site_lines, line_keys

__all__ = [
    "CleanResult",
    "RemovalKind",
    "SiteLineModel",
    "clean_document",
    "count_site_lines",
    "line_keys",
    "normalize_whitespace",
]
