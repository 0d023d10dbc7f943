from __future__ import annotations

import pysbd
import pytest

from rubrics import segment_answer
from rubrics.segment import _pysbd_sentences, make_windows, split_clauses, split_sentences

TEXT = (
    "Track II diplomacy gives people a space to talk, without the pressure of formal "
    "negotiations. Dr. Smith said it builds trust... and understanding?\n\n"
    "- It informs   official diplomacy, which makes negotiations more effective because "
    "ideas are tested first.\nÉtude naïve."
)


def test_offsets_slice_the_text_exactly() -> None:
    segments = segment_answer(TEXT)
    assert segments
    for segment in segments:
        assert TEXT[segment.start : segment.end] == segment.text


def test_sentences_respect_abbreviations_and_paragraphs() -> None:
    sentences = [s.text for s in split_sentences(TEXT)]
    assert sentences[1] == "Dr. Smith said it builds trust... and understanding?"
    assert sentences[2].startswith("It informs")  # the list bullet is not part of the sentence
    assert sentences[-1] == "Étude naïve."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pysbd cuts a lower-case option letter, or a step's number, off the words it labels.
        ("a. because soil heats up faster.", ["a. because soil heats up faster."]),
        (
            "2. Make a model then copy it. 4. Trace it then make it smaller.",
            ["2. Make a model then copy it.", "4. Trace it then make it smaller."],
        ),
        ("(b) it is red. c) It is hot.", ["(b) it is red.", "c) It is hot."]),
        # A sentence of its own: a word, or a label with nothing after it.
        ("No. It is open.", ["No.", "It is open."]),
        ("10.", ["10."]),
    ],
)
def test_a_lone_list_label_joins_the_sentence_it_labels(text: str, expected: list[str]) -> None:
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_long_sentences_get_clauses_and_windows() -> None:
    sentence = split_sentences(TEXT)[2]
    clauses = split_clauses(TEXT, sentence)
    assert [c.text for c in clauses] == [
        "It informs   official diplomacy",
        "which makes negotiations more effective",
        "because ideas are tested first.",
    ]
    windows = make_windows(TEXT, sentence, size=4, stride=2)
    assert windows[0].text == "It informs   official diplomacy,"
    assert windows[-1].end == sentence.end


def test_clean_text_is_normalised_for_the_encoder() -> None:
    clause = split_clauses(TEXT, split_sentences(TEXT)[2])[0]
    assert clause.clean == "It informs official diplomacy"


def test_a_word_budget_keeps_every_sentence_first() -> None:
    essay = " ".join(
        f"Sentence number {i} has quite a few words in it, and a clause." for i in range(50)
    )
    segments = segment_answer(essay, max_encoded_words=800)
    assert len(segments) == 50
    assert all(s.kind == "sentence" for s in segments)


@pytest.mark.parametrize("text", ["", "   ", "...", "\n\n"])
def test_text_without_words_has_no_segments(text: str) -> None:
    assert segment_answer(text) == []


@pytest.mark.parametrize(
    "text",
    [
        TEXT,
        "It builds trust. It builds trust. It builds trust.",  # the same sentence, found in turn
        "The U.S. and the E.U. met at 5 p.m. on Jan. 3. Talks cost $2.5 million. Why? No.",
        'He said "stop." Then (quietly) left... 1. First item 2. Second item',
        "No full stop at the end   ",
        "Mr. Lee, Ph.D., spoke.  Fig. 2 shows it.\tAnd i.e. this one.",
    ],
)
def test_sentences_are_those_pysbd_finds(text: str) -> None:
    own = pysbd.Segmenter(language="en", clean=False)
    assert _pysbd_sentences(text) == own.segment(text)
