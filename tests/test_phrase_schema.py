"""The phrase data files are checked against their schema when loaded: a misspelt key or a
wrong value type stops the load with the file and key named, instead of losing phrases."""

import json
from importlib import resources

import pytest

from ingest.boilerplate.lines import patterns
from ingest.boilerplate.phrases import (
    PHRASE_KINDS,
    PhraseBook,
    PhraseFileError,
    phrase_book,
    validate_phrase_file,
)


def _shipped() -> list[tuple[str, dict]]:
    folder = resources.files("ingest.boilerplate") / "phrases"
    return [
        (entry.name, json.loads(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    ]


@pytest.mark.parametrize(
    ("name", "data"), _shipped(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_shipped_phrase_file_follows_the_schema(name, data):
    assert validate_phrase_file(name, data) is data


def test_schema_names_every_phrase_kind():
    schema = json.loads(
        (resources.files("ingest.boilerplate") / "phrases.schema.json").read_text("utf-8")
    )
    assert {kind.value for kind in PHRASE_KINDS} <= schema["properties"].keys()


def test_a_misspelt_kind_is_an_error_naming_file_and_key():
    data = {"language": "en", "cookie_baner": {"line": ["Accept all cookies"]}}
    with pytest.raises(PhraseFileError, match=r"en\.json: .*'cookie_baner'"):
        validate_phrase_file("en.json", data)


def test_a_misspelt_match_mode_is_an_error_naming_the_kind():
    data = {"language": "en", "byline": {"prefixes": ["Written by"]}}
    with pytest.raises(PhraseFileError, match=r"en\.json: \$\.byline: .*'prefixes'"):
        validate_phrase_file("en.json", data)


def test_a_string_where_a_list_belongs_is_an_error():
    data = {"language": "en", "newsletter": {"contains": "Sign up for our newsletter"}}
    with pytest.raises(PhraseFileError, match=r"\$\.newsletter\.contains: .* not of type 'array'"):
        validate_phrase_file("en.json", data)


def test_heading_modes_belong_to_related_blocks_only():
    validate_phrase_file("en.json", {"language": "en", "related_block": {"heading": ["More"]}})
    with pytest.raises(PhraseFileError, match=r"\$\.promo: .*'heading'"):
        validate_phrase_file("en.json", {"language": "en", "promo": {"heading": ["More"]}})


def test_a_misspelt_vocabulary_is_an_error_and_every_vocabulary_is_read():
    data = {"language": "en", "vocabulary": {"agency": ["Reuters"]}}
    with pytest.raises(PhraseFileError, match=r"\$\.vocabulary: .*'agency'"):
        validate_phrase_file("en.json", data)
    schema = json.loads(
        (resources.files("ingest.boilerplate") / "phrases.schema.json").read_text("utf-8")
    )
    keys = schema["properties"]["vocabulary"]["properties"].keys()
    book = PhraseBook({"en": {"language": "en", "vocabulary": {key: [key] for key in keys}}})
    assert book.vocabulary == {key: frozenset({key}) for key in keys}


def test_the_shape_patterns_are_built_from_the_vocabulary():
    vocabulary = {key: ["Zz"] for key in phrase_book().vocabulary}
    vocabulary |= {"agencies": ["Wirebird"], "follow_verbs": ["trail"], "platforms": ["Kite"]}
    built = patterns(PhraseBook({"xx": {"language": "xx", "vocabulary": vocabulary}}))
    assert built.agency_tail.search("Photo: Jo Roe/Wirebird")
    assert not built.agency_tail.search("Photo: Jo Roe/Reuters")
    assert built.follow_prompt.match("Trail the desk Zz Kite")
