"""Engine settings: the encoder backend (every result names the one that produced it), the
pair judge (on unless turned off) and its weight."""

from __future__ import annotations

import csv

import pytest

from assess.analyse import AnswerRequest
from models import ModelLoadError
from rubrics import Rubric
from service.settings import Settings
from service.wiring import build_encoder, build_grader, build_judge
from tests.conftest import EXAMPLES

EXAMPLE_ANSWERS = EXAMPLES / "track-ii-answers.csv"


def test_the_default_backend_is_fp32_onnx_and_results_say_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ASSESS_ENCODER_BACKEND", raising=False)
    settings = Settings()
    assert settings.encoder_backend == "onnx"
    assert build_encoder(settings).info.name == "all-MiniLM-L6-v2+onnx"


def test_a_grade_does_not_depend_on_the_answers_graded_beside_it(
    monkeypatch: pytest.MonkeyPatch, complement: Rubric
) -> None:
    """A student's own submission and a teacher's batch of the class give the same grade: the
    served encoder and judge scale nothing over the batch (int8 did; docs/accuracy.md)."""
    monkeypatch.delenv("ASSESS_ENCODER_BACKEND", raising=False)
    monkeypatch.delenv("ASSESS_JUDGE", raising=False)
    with EXAMPLE_ANSWERS.open(encoding="utf-8") as rows:
        answers = [row["answer"] for row in csv.DictReader(rows)]
    student = "Track II meetings let both sides talk informally, so they come to trust each other."
    alone = build_grader(Settings())
    batched = build_grader(Settings())  # its own caches: nothing read alone is reused
    one = alone.assess(complement, student)
    many = batched.assess_many([AnswerRequest(complement, a) for a in [*answers, student]])[-1]
    assert not isinstance(many, Exception)
    assert [p.coverage for p in one.points] == pytest.approx(
        [p.coverage for p in many.points], abs=1e-6
    )
    assert [p.status for p in one.points] == [p.status for p in many.points]
    assert one.score == many.score


def test_the_backend_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_ENCODER_BACKEND", "torch")
    assert build_encoder(Settings()).info.name == "all-MiniLM-L6-v2"


def test_an_unknown_backend_setting_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_ENCODER_BACKEND", "tensorrt")
    with pytest.raises(ValueError, match="encoder_backend"):
        Settings()


def test_the_judge_weight_is_a_setting_between_0_and_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESS_JUDGE_WEIGHT", raising=False)
    assert Settings().grader_config().judge_weight == 0.25
    monkeypatch.setenv("ASSESS_JUDGE_WEIGHT", "0")
    assert Settings().grader_config().judge_weight == 0.0
    monkeypatch.setenv("ASSESS_JUDGE_WEIGHT", "2")
    with pytest.raises(ValueError, match="judge_weight"):
        Settings()


def test_the_judge_is_heard_in_one_point_rubrics_unless_set_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ASSESS_JUDGE_MAX_POINTS", raising=False)
    assert Settings().grader_config().judge_max_points == 1
    monkeypatch.setenv("ASSESS_JUDGE_MAX_POINTS", "3")
    assert Settings().grader_config().judge_max_points == 3
    monkeypatch.setenv("ASSESS_JUDGE_MAX_POINTS", "0")
    assert Settings().grader_config().judge_max_points is None  # any rubric
    monkeypatch.setenv("ASSESS_JUDGE_MAX_POINTS", "-1")
    with pytest.raises(ValueError, match="judge_max_points"):
        Settings()


def test_the_judge_is_on_by_default_and_none_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ASSESS_JUDGE", raising=False)
    assert Settings().judge == "default"
    judge = build_grader(Settings()).judge  # as `assess serve` and `assess grade` build it
    assert judge is not None and judge.info.name == "assess-judge-minilm-l6"
    monkeypatch.setenv("ASSESS_JUDGE", "none")
    assert build_judge(Settings()) is None
    monkeypatch.setenv("ASSESS_JUDGE", "/nowhere/a-judge")
    with pytest.raises(ModelLoadError, match="make setup"):
        build_judge(Settings())
