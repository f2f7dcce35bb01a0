"""The class/id vocabulary of `ingest.extract.class_words`: a word added there must be one
the page steps can match, and one their substring prefilters still find."""

from ingest.extract import boxes, class_words, prune

_WORD_SETS = {
    name: value
    for name, value in vars(class_words).items()
    if name.isupper() and isinstance(value, frozenset | tuple)
}


def test_words_are_lower_case_letters_as_callers_split_them():
    for name, words in _WORD_SETS.items():
        if name.startswith("DESCRIBING"):
            continue  # these keep the hyphen that marks them as a prefix or suffix
        assert all(word.isascii() and word.isalpha() and word.islower() for word in words), name


def test_every_comment_word_holds_a_piece_prune_searches_for():
    assert all(any(piece in word for piece in prune._PIECES) for word in class_words.COMMENT_WORDS)


def test_every_box_word_holds_a_piece_boxes_searches_for():
    for word in class_words.BOX_WORDS | set(class_words.BOX_STEMS):
        assert any(piece in word for piece in boxes._PIECES), word


def test_every_role_word_holds_a_stem_the_byline_search_looks_for():
    """The role element beside a byline's name is found by its stems first (metadata)."""
    for word in class_words.ROLE_WORDS | class_words.BYLINE_ROLE_WORDS:
        assert any(stem in word for stem in class_words.ROLE_STEMS), word


def test_a_token_splits_into_words_at_camel_case_and_marks():
    assert class_words.name_words("styles_jobTitle__XWYoT") == [
        "styles",
        "job",
        "title",
        "xwyo",
        "t",
    ]
    assert class_words.name_words("-article--Body-") == ["article", "body"]
    assert class_words.name_words("42") == []
