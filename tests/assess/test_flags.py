from __future__ import annotations

import pytest

from assess import Grader
from assess.config import GraderConfig
from assess.flags import (
    asks_for_list,
    copied_share,
    gibberish_share,
    is_letter_noise,
    question_share,
)
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


LISTED = "informal dialogue, trust building, ideas for official negotiators, unofficial talks"


def test_a_bare_list_is_flagged_where_the_question_asks_for_an_explanation(
    grader: Grader, complement: Rubric
) -> None:
    result = grader.assess(complement, LISTED)
    assert "keyword_list" in result.flags
    assert all(p.status != "covered" for p in result.points)


def test_a_list_answers_a_question_that_asks_for_a_list(grader: Grader, complement: Rubric) -> None:
    listing = complement.model_copy(
        update={"question": "List three ways Track II diplomacy complements official diplomacy."}
    )
    assert asks_for_list(listing.question) and not asks_for_list(complement.question)
    result = grader.assess(listing, LISTED)
    assert "keyword_list" not in result.flags
    # No longer capped at partial: the terms are what was asked for.
    assert any(p.status == "covered" for p in result.points), result.points


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("List the layers of the OSI model.", True),
        ("Name the 3 service classes the Data Link Layer offers.", True),
        ("Please state at least 4 objectives.", True),
        ("Write-down all addresses in Class A networks that are reserved.", True),
        ("What is the name of this process?", False),
        ("Give two reasons for your answer in 2-4 sentences.", False),
        ("Explain why the bulb is off.", False),
    ],
)
def test_which_questions_ask_for_a_list(question: str, asks: bool) -> None:
    assert asks_for_list(question) is asks


@pytest.mark.parametrize(
    ("text", "noise"),
    [
        ("qwzrt bnmxk plkjh vbnzz xkcd tkrr", True),
        ("kjflkgjg", True),
        ("10.", False),  # a number may be the answer
        ("127.0.0.0 - 127.255.255.255", False),
        ("With Xs.", False),  # two words, one odd: not surely noise
        ("Track II builds trust between the parties.", False),
    ],
)
def test_letter_noise_is_words_of_random_letters_only(text: str, noise: bool) -> None:
    assert is_letter_noise(text, GraderConfig()) is noise
