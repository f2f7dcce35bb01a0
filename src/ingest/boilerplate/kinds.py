"""The closed vocabulary of removal kinds, so audits and run summaries can count them."""

from __future__ import annotations

from enum import StrEnum


class RemovalKind(StrEnum):
    TITLE = "title"  # the headline, moved from the body to the title
    COOKIE_BANNER = "cookie_banner"  # cookie / consent / privacy notices
    RELATED_BLOCK = "related_block"  # "related articles" headings, teasers, inline "read also"
    SHARE_PROMPT = "share_prompt"  # share / follow / comment prompts, comment-policy notices
    NEWSLETTER = "newsletter"  # newsletter and subscription boxes, paywall lines
    PROMO = "promo"  # app, podcast and video promos
    ADVERTISEMENT = "advertisement"  # "Advertisement", "Anzeige", sponsored labels
    AI_LABEL = "ai_label"  # "AI-generated image" labels
    WIRE_TRAILER = "wire_trailer"  # "END [Copyright ...]", "© 2026 ...", "All rights reserved"
    CREDIT = "credit"  # photo / agency credits and captions ("Photo: AFP", "Reuters")
    BYLINE = "byline"  # "By Jane Doe", "Von ...", author lines and reading-time stamps
    DATE_STAMP = "date_stamp"  # leading metadata stamps and standalone date lines
    TAG_LIST = "tag_list"  # "Tags: a, b, c" and topic lists
    SITE_NAME = "site_name"  # site-name and contact trailers ("Example.com", "desk@example.com")
    FOREIGN_SCRIPT = "foreign_script"  # short lines in another script than the body, at the edges
    DUPLICATE_LINE = "duplicate_line"  # a short line repeated inside one document
    MARKUP = "markup"  # HTML or script text left in the body (ad tags, tracking pixels)
    PAGE_CHROME = "page_chrome"  # menus and lists around the story in a full-page text dump
    LINK_LIST = "link_list"  # lists and trailing blocks made of links in the extracted page
    PAGE_BOX = "page_box"  # blocks of boxes the page's markup names as promotion or sidebar
    SITE_REPEAT = "site_repeat"  # a line that repeats on other documents of the same site
