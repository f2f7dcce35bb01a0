"""Russian chrome found leaking on unseen sites, pinned both ways; and the lead shown twice.

All texts are fictional and written for these tests.
"""

from __future__ import annotations

import pytest

from ingest.boilerplate import RemovalKind, clean_document

STORY = [
    "Городской совет Северогорска в среду одобрил строительство нового моста через реку Вилю.",
    "Работы начнутся весной и продлятся около двух лет, сообщили в администрации города.",
    "Жители давно жаловались на пробки на единственной переправе в центре Северогорска.",
]


def clean(*paragraphs: str):
    return clean_document("\n\n".join(paragraphs), from_html=True, language_hint="ru")


@pytest.mark.parametrize(
    "line",
    [
        "Версия для печати",
        "Постоянный адрес статьи: severogorsk-vesti.example/most",
        "Нашли опечатку? Выделите её и нажмите Ctrl+Enter",
        "Зарегистрируйтесь или войдите, чтобы оставить комментарий",
        "Вход для подписчиков",
        "Оформить подписку",
    ],
)
def test_page_tool_lines_under_the_story_go(line: str) -> None:
    result = clean(*STORY, line)
    assert result.text == "\n\n".join(STORY)
    assert [r.text for r in result.removed] == [line]


@pytest.mark.parametrize("heading", ["Ссылки по теме:", "Другие новости раздела"])
def test_related_links_under_their_heading_go(heading: str) -> None:
    teasers = ["В Северогорске открылся новый каток", "Мэр Северогорска ответил на вопросы"]
    result = clean(*STORY, heading, *teasers)
    assert result.text == "\n\n".join(STORY)
    assert {r.kind for r in result.removed} == {RemovalKind.RELATED_BLOCK}


@pytest.mark.parametrize(
    "line",
    [
        "Версия для печати нового устава города появится в библиотеке к концу месяца.",
        "Нашли опечатку в решении суда адвокаты истца, и заседание перенесли на пятницу.",
        "Постоянный адрес статьи расходов бюджета на мост депутаты так и не определили.",
        "Ссылки по теме, которые приводит отчет комиссии, ведут на закрытые документы.",
        "Зарегистрируйтесь или войдите в приложение, советуют в мэрии жителям города.",
    ],
)
def test_story_sentences_that_open_like_page_tools_stay(line: str) -> None:
    result = clean(*STORY, line)
    assert result.text == "\n\n".join([*STORY, line])


def test_lead_shown_twice_in_a_row_keeps_one_copy() -> None:
    result = clean(STORY[0], *STORY)
    assert result.text == "\n\n".join(STORY)
    assert [(r.kind, r.rule) for r in result.removed] == [
        (RemovalKind.DUPLICATE_LINE, "echoed_paragraph")
    ]


def test_paragraph_repeated_further_down_stays() -> None:
    """A pull quote set apart from its first use is the page's own choice, not an echo."""
    paragraphs = [*STORY, STORY[1]]
    result = clean(*paragraphs)
    assert result.text == "\n\n".join(paragraphs)
