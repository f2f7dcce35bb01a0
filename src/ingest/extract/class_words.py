"""Class and id words: what page templates call their chrome, story and lead blocks.

Every class/id token the page-level steps match lives here, so the vocabulary can be read,
counted and changed in one place (item 3 of #15): reader comments cut before extraction
(`prune`), promotional boxes cut after it (`boxes`), the lead put back (`lead`), caption
blocks kept out of split stories (`split`), the block scorer's name features (`blocks`) and
the role beside a byline's name (`metadata`). Words are lower case; `name_words` splits a
token into them the one way every caller does.
"""

from __future__ import annotations

import re

_CAMEL = re.compile(r"([a-z])([A-Z])")
_NOT_LETTERS = re.compile(r"[^a-z]+")


def name_words(token: str) -> list[str]:
    """A class or id token's lower-case words, split at camelCase and at everything that is
    not a letter: "styles_jobTitle" -> styles, job, title."""
    return [word for word in _NOT_LETTERS.split(_CAMEL.sub(r"\1 \2", token).lower()) if word]


#: Class or id words of reader comments and of walls that ask readers to log in or pay.
COMMENT_WORDS = frozenset(
    {
        "comment",
        "comments",
        "commentlist",
        "kommentar",
        "kommentare",
        "kommentarer",
        "commentaire",
        "commentaires",
        "comentario",
        "comentarios",
        "commento",
        "commenti",
        "reacties",
        "komentarze",
        "yorumlar",
        "disqus",
        "viafoura",
    }
)
#: Class names that describe the article rather than name a box (WordPress tags the story's
#: own wrapper with its category and tags: "tag-newsletter", "category-promo").
DESCRIBING_PREFIXES = ("tag-", "tags-", "category-", "cat-", "has-", "no-", "meta-")
DESCRIBING_SUFFIXES = ("-open", "-closed", "-count", "-number")
#: Class or id words of boxes that are never story: sign-ups, teasers, deals, share bars.
BOX_WORDS = frozenset(
    {
        "newsletter",
        "newsletters",
        "signup",
        "subscribe",
        "related",
        "recommended",
        "recommendations",
        "recirculation",
        "recirc",
        "mostread",
        "mostpopular",
        "trending",
        "promo",
        "affiliate",
        "sponsored",
        "advertisement",
        "outbrain",
        "taboola",
        "authorbio",
        "bio",
        "biography",
        "popular",
        "latest",
        "share",
        "sharing",
        "social",
        "deals",
        "shopping",
        "tariff",
        "ads",
        "advert",
        "anzeige",
        "werbung",
        "reklama",
        "publicidad",
        "publicite",
        "factbox",
        "faktabox",
        "fakta",
        "infobox",
    }
)
#: Stems that name such a box even inside a longer word ("newsletterbox", "sponsoredlinks").
BOX_STEMS = ("newsletter", "recommend", "sponsor", "affiliate", "outbrain", "taboola")
#: First words of box names written as two words ("fact-box", "infoBox").
SPLIT_BOX_HEADS = ("fact", "info")
#: Class/id words of page furniture, beside the box and comment words.
FURNITURE_WORDS = frozenset(
    {
        "nav", "navbar", "navigation", "menu", "footer", "header", "sidebar", "widget",
        "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "banner", "copyright",
        "toolbar", "pagination", "pager", "tags", "tag", "byline", "author", "date", "time",
        "meta", "caption", "credit", "hidden", "modal", "popup", "login", "search", "teaser",
        "card", "more", "top", "bottom", "aside", "rail", "skip", "subscribe", "paywall",
    }
)  # fmt: skip
#: Every chrome word the block scorer counts on a block's ancestors.
CHROME_NAME_WORDS = BOX_WORDS | COMMENT_WORDS | FURNITURE_WORDS
#: Class/id words of the story's own container.
STORY_NAME_WORDS = frozenset(
    {
        "article", "content", "story", "body", "post", "entry", "text", "main", "news",
        "detail", "details", "paragraph", "single", "prose", "richtext", "articlebody",
    }
)  # fmt: skip
#: Class or id words (any language's templates use English ones) that name a lead block.
LEAD_WORDS = frozenset(
    {
        "lead",
        "lede",
        "leadtext",
        "deck",
        "dek",
        "hook",
        "chapo",
        "sapo",
        "entradilla",
        "bajada",
        "copete",
        "standfirst",
        "subline",
        "description",
    }
)
LEAD_PREFIXES = ("intro", "teaser", "excerpt", "summary", "abstract", "preface", "subtitle")
#: Class or id words of blocks near the headline that are not the lead (a picture's caption,
#: the byline, a teaser card of another story).
NOT_LEAD_WORDS = frozenset({"img", "art", "nav", "menu", "card", "list", "item", "date"})
NOT_LEAD_PREFIXES = (
    "image",
    "photo",
    "media",
    "caption",
    "credit",
    "figure",
    "video",
    "gallery",
    "author",
    "byline",
    "share",
    "related",
)
#: Class words of picture captions and slide shows, whose captions read like paragraphs.
CAPTION_PREFIXES = ("caption", "gallery", "slide", "credit", "carousel")
#: Class or id words of the element that gives a byline's person a role ("Senior Reporter"):
#: a word of the value split at punctuation and camelCase, or two neighbours run together
#: ("job_title", "jobTitle").
ROLE_WORDS = frozenset({"jobtitle", "designation", "occupation"})
#: Role words that count only right after a byline word ("byline-role", "author__position");
#: not "title": templates give the author's name itself the class "author-title".
BYLINE_ROLE_WORDS = frozenset({"role", "position"})
BYLINE_WORDS = frozenset({"author", "byline", "writer", "contributor"})
#: What every value naming a role holds, to find the few elements worth splitting into words.
ROLE_STEMS = ("job", "role", "position", "designation", "occupation")
