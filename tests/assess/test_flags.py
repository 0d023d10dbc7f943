from __future__ import annotations

import pytest

from assess import Grader
from assess.flags import copied_share, gibberish_share, question_share
from rubrics import Rubric

GOOD = (
    "Unofficial meetings let both sides speak frankly and build trust, and the ideas they "
    "produce later help the official negotiators."
)


@pytest.mark.parametrize(
    "text", ["asdkjh qwpoeiru zxmcnv lkjhgf poiuyt", "xxxxxx bbbbbb qqqq", "sdfgh jklqw rtyp"]
)
def test_keyboard_mash_is_gibberish(grader: Grader, complement: Rubric, text: str) -> None:
    result = grader.assess(complement, text)
    assert "gibberish" in result.flags
    assert result.score == 0


@pytest.mark.parametrize(
    "text",
    [GOOD, "Strengths: CSMA/CD and TCP handshakes. Photosynthesis in chloroplasts.", "Ja."],
)
def test_real_words_are_not_gibberish(text: str) -> None:
    assert gibberish_share(text) < 0.5


def test_copying_the_question_is_flagged(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, complement.question)
    assert "copies_question" in result.flags
    assert result.needs_review


def test_copying_the_model_answer_is_flagged(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, complement.model_answers[0])
    assert "copies_model_answer" in result.flags
    assert result.needs_review


def test_own_words_are_not_flagged_as_copies(grader: Grader, complement: Rubric) -> None:
    result = grader.assess(complement, GOOD)
    assert not {"copies_question", "copies_model_answer", "gibberish", "off_topic"} & set(
        result.flags
    )


def test_a_very_short_answer_is_flagged(grader: Grader, complement: Rubric) -> None:
    assert "too_short" in grader.assess(complement, "Trust.").flags


def test_overlap_measures() -> None:
    assert copied_share("a b c d e", ["x a b c d e y"]) == 1.0
    assert copied_share("a b c", ["a b c"]) == 0.0  # too short to call a copy
    assert question_share("How does trust grow?", "How does trust grow?") == 1.0
