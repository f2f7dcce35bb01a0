"""Page-level work: HTML to article body and metadata.

The page tree (`tree`), trafilatura and its fix (`page`, `trafilatura_fixes`), the names a page
gives its boxes (`names`, `boxes`, `prune`), split stories (`split`) and the lead (`lead`). Text
lines left after extraction are the business of `ingest.boilerplate`.
"""

from ingest.extract.page import EXTRACTOR, TRAFILATURA_OPTIONS, Extraction, extract_html

__all__ = ["EXTRACTOR", "TRAFILATURA_OPTIONS", "Extraction", "extract_html"]
