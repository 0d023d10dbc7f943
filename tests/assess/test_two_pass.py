"""Two-pass encoding: clauses and windows only of sentences near the rubric."""

from __future__ import annotations

from assess import Analyser, AnswerRequest, GraderConfig
from models import Encoder
from rubrics import Rubric, segment_answer
from tests.helpers import CountingEncoder

ON_TOPIC = (
    "Track II talks give people from both sides an informal place to speak freely, without "
    "the pressure of formal negotiations, and over time this builds trust between them."
)
CONFIG = GraderConfig()
OFF_TOPIC = (
    "Yesterday afternoon my cousin baked a large chocolate cake with strawberries, cream and "
    "almonds for the birthday party of her neighbour's youngest daughter in the garden."
)


def kinds_encoded(encoder: Encoder, rubric: Rubric, answer: str, gate: float | None) -> dict:
    counting = CountingEncoder(encoder)
    analyser = Analyser(counting, GraderConfig(finer_segments_from=gate))
    analyser.index(rubric)
    counting.encoded.clear()
    (analysis,) = analyser.analyse_many([AnswerRequest(rubric, answer)])
    assert not isinstance(analysis, Exception)
    return {
        "segments": {(s.start, s.end) for s in analysis.segments},
        "off_topic_windows": [
            s for s in analysis.segments if s.kind != "sentence" and s.start >= len(ON_TOPIC)
        ],
    }


def test_finer_cuts_of_an_unrelated_sentence_are_not_encoded(
    encoder: Encoder, complement: Rubric
) -> None:
    answer = f"{ON_TOPIC} {OFF_TOPIC}"
    gated = kinds_encoded(encoder, complement, answer, 0.3)
    assert gated["off_topic_windows"] == []
    assert any(s[1] <= len(ON_TOPIC) for s in gated["segments"] if s != (0, len(ON_TOPIC)))


def test_without_the_gate_every_segment_is_encoded(encoder: Encoder, complement: Rubric) -> None:
    answer = f"{ON_TOPIC} {OFF_TOPIC}"
    every = {
        (s.start, s.end) for s in segment_answer(answer, CONFIG.window_words, CONFIG.window_stride)
    }
    assert kinds_encoded(encoder, complement, answer, None)["segments"] == every


def test_an_answer_with_no_sentence_near_the_rubric_keeps_every_cut(
    encoder: Encoder, complement: Rubric
) -> None:
    every = {
        (s.start, s.end)
        for s in segment_answer(OFF_TOPIC, CONFIG.window_words, CONFIG.window_stride)
    }
    assert kinds_encoded(encoder, complement, OFF_TOPIC, 0.3)["segments"] == every
