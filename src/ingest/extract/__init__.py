"""Page-level work: HTML to article body and metadata.

The page tree (`tree`), trafilatura and its fix (`page`, `trafilatura_fixes`), the names a page
gives its boxes (`names`, `boxes`, `prune`), split stories (`split`), the lead (`lead`), the
title (`title`), ruby annotations (`ruby`) and paragraphs trafilatura runs together (`blob`,
`loose`). Text lines left after extraction are the business of `ingest.boilerplate`. The learned
block scorer (`blocks`, `scorer`, its model file `block_model.json`) cuts chrome paragraphs from
the body when asked to (`page_scorer`, `Options.block_scorer`).
"""

from ingest.extract.page import EXTRACTOR, TRAFILATURA_OPTIONS, Extraction, extract_html

__all__ = ["EXTRACTOR", "TRAFILATURA_OPTIONS", "Extraction", "extract_html"]
