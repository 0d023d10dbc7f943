"""The encoder backend is a setting, and every result names the one that produced it."""

from __future__ import annotations

import pytest

from service.settings import Settings
from service.wiring import build_encoder


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
