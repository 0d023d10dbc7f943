from __future__ import annotations

import pytest

from assess import Grader
from assess.config import GraderConfig
from assess.flags import (
    asks_for_list,
    copied_share,
    gibberish_share,
    is_keyword_list,
    is_letter_noise,
    question_share,
    unsupported_language,
)
from rubrics import Rubric, parse_rubric
from tests.helpers import with_config

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


GERMAN = (
    "Track-II-Diplomatie schafft einen informellen Raum, in dem beide Seiten offen sprechen "
    "und Vertrauen aufbauen können. Die Ideen aus diesen Gesprächen helfen später den "
    "offiziellen Verhandlungen."
)
SPANISH = (
    "La diplomacia de la vía dos crea un espacio informal donde las partes hablan con "
    "franqueza y construyen confianza, y sus ideas ayudan después a los negociadores."
)


@pytest.mark.parametrize(("answer", "language"), [(GERMAN, "de"), (SPANISH, "es")])
def test_an_answer_in_another_language_goes_to_a_person(
    grader: Grader, complement: Rubric, answer: str, language: str
) -> None:
    assert unsupported_language(answer, GraderConfig()) == language
    result = grader.assess(complement, answer)
    assert "language_unsupported" in result.flags
    assert result.needs_review
    assert result.confidence <= 0.5
    # The feedback says a teacher will grade it, and gives no advice on points it cannot read.
    assert "English" in result.feedback
    assert "Missing:" not in result.feedback and "Covered:" not in result.feedback
    # Its words are not English words, which says nothing of noise, lists or the topic.
    assert not {"gibberish", "keyword_list", "off_topic", "padded"} & set(result.flags)


@pytest.mark.parametrize(
    "answer",
    [
        GOOD,
        "CSMA/CD senses the medium and detects collisions.",
        "Terminal 1 and the positive terminal are separated by the gap.",
        "The voltage is 0 because bulb A is in a closed path with the battery.",
        "Vinegar, gas, mineral, rock.",
        "informal dialogue, trust building, ideas for official negotiators",
        "0.0.0.0/8 10.0.0.0/8 127.0.0.0/8",
        "asdkjh qwpoeiru zxmcnv lkjhgf poiuyt",  # random letters stay gibberish
        "Die Diplomatie hilft.",  # too short to tell
        "We hear it harder.",  # Frisian to py3langid, but every word is English
    ],
)
def test_english_numbers_and_noise_are_not_called_another_language(answer: str) -> None:
    assert unsupported_language(answer, GraderConfig()) is None


@pytest.mark.parametrize(
    ("answer", "listed"),
    [
        ("trust informal dialogue negotiations official channels", True),
        # A calculation: numbers are no terms, and they do not dilute the function words.
        ("Event A: 0.6^3 + 0.6^4 + 0.6^5 = 47.0016%\nEvent B: 0.6^3 * 0.4^3 = 1.38%", False),
        # ... but numbering a list of terms does not make it a calculation.
        ("1. trust 2. informal dialogue 3. official negotiations", True),
        # A short denial is a claim: "does" is grammar, not a term.
        ("Track II does not inform official negotiations.", False),
    ],
)
def test_a_calculation_or_a_short_claim_is_no_list_of_terms(answer: str, listed: bool) -> None:
    assert is_keyword_list(answer, GraderConfig(), "Arrange the events by likelihood.") is listed


DIAMETER = {
    "id": "networks/diameter",
    "question": 'What happens to the "collision domain diameter" if you use CSMA/CD and increase '
    "the speed of a network by a factor of 10?",
    "model_answers": ["The diameter decreases by a factor of 10, e.g. 300m to 30m."],
    "points": [
        {"id": "shrinks", "label": "diameter shrinks tenfold",
         "text": "The diameter decreases by a factor of 10, e.g. 300m to 30m."}
    ],
}  # fmt: skip


def test_an_answer_restating_the_question_to_claim_something_is_on_topic(
    grader: Grader,
) -> None:
    """Without the question's words, "The collision domain diameter is divided by 10" is a
    skeleton ("The is divided by") far from every point; as worded it is about the point
    (`GraderConfig.off_topic_worded_similarity`), so it is neither told it does not address
    the question nor called padding, and the point model reads it."""
    rubric = parse_rubric(DIAMETER, source="test")
    answer = "The collision domain diameter is divided by 10."
    result = grader.assess(rubric, answer)
    assert not {"off_topic", "padded"} & set(result.flags)
    assert result.points[0].evidence is not None
    blind = with_config(grader, off_topic_worded_similarity=None).assess(rubric, answer)
    assert "off_topic" in blind.flags
    assert blind.points[0].evidence is None


def test_an_answer_about_something_else_is_still_off_topic(grader: Grader) -> None:
    rubric = parse_rubric(DIAMETER, source="test")
    result = grader.assess(rubric, "My grandmother bakes bread every Sunday morning.")
    assert "off_topic" in result.flags
    assert result.score == 0
