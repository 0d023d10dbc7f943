"""Which (phrasing, text) pairs the pair judge reads: the nearness gate and the context."""

from __future__ import annotations

from dataclasses import replace

from assess.align import ItemAlignment
from assess.config import GraderConfig
from assess.judge_reads import judge_pairs
from rubrics import Segment

BULB = "The bulb goes out because the circuit is open"


def aligned(sentence: str, *phrasings: str) -> ItemAlignment:
    evidence = Segment(sentence, 0, len(sentence), "sentence")
    return ItemAlignment(
        0.8, 0.1, 0.5, False, evidence, phrasings=phrasings, context=sentence
    )  # fmt: skip


def test_the_judge_reads_near_copies_and_not_paraphrases_behind_the_gate() -> None:
    copy = "The bulb goes out because the circuit is closed."
    paraphrase = "There is no closed path, so the bulb is off."
    gated = GraderConfig(judge_near=0.5)
    assert judge_pairs(copy, aligned(copy, BULB), gated) == [(BULB, copy)]
    assert judge_pairs(paraphrase, aligned(paraphrase, BULB), gated) == []
    # Ungated (the default), every item with evidence is read.
    assert judge_pairs(paraphrase, aligned(paraphrase, BULB), GraderConfig()) == [
        (BULB, paraphrase)
    ]


def test_the_judge_reads_a_long_answer_by_the_evidence_sentence_and_the_closest_phrasings() -> None:
    sentence = "The bulb goes out because the circuit is open."
    answer = " ".join(["Circuits were studied in class on many days."] * 10) + " " + sentence
    item = aligned(sentence, BULB, "A gap stops the current", "No current flows")
    pairs = judge_pairs(answer, item, GraderConfig(judge_phrasings=2))
    assert pairs == [(BULB, sentence), ("A gap stops the current", sentence)]
    missing = ItemAlignment(0.0, 0.0, 0.0, False, None)
    assert judge_pairs(answer, missing, GraderConfig()) == []


def test_the_judge_reads_a_short_answer_whole_only_in_a_rubric_of_one_point() -> None:
    """In a rubric of several points a short answer's other sentences are about the other
    points, and read whole beside this one they read as its denial."""
    sentence = "The bulb goes out because the circuit is open."
    answer = f"{sentence} The battery is still full."
    item = replace(aligned(sentence, BULB), sentence=sentence)
    assert judge_pairs(answer, item, GraderConfig()) == [(BULB, answer)]
    assert judge_pairs(answer, item, GraderConfig(), n_points=3) == [(BULB, sentence)]
    anywhere = GraderConfig(context_whole_max_points=None)
    assert judge_pairs(answer, item, anywhere, n_points=3) == [(BULB, answer)]
