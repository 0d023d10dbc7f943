"""Engine settings: the encoder backend (every result names the one that produced it), the
pair judge (on unless turned off) and its weight."""

from __future__ import annotations

import pytest

from models import ModelLoadError
from service.settings import Settings
from service.wiring import build_encoder, build_grader, build_judge


def test_the_default_backend_is_int8_onnx_and_results_say_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ASSESS_ENCODER_BACKEND", raising=False)
    settings = Settings()
    assert settings.encoder_backend == "onnx-int8"
    assert build_encoder(settings).info.name == "all-MiniLM-L6-v2+onnx-int8"


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
