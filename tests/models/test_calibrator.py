from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models import ModelLoadError
from models.calibrator import LogisticCalibrator, load_calibrator, save_calibrator


def test_the_shipped_calibrator_has_a_model_card(calibrator: LogisticCalibrator) -> None:
    card = calibrator.card
    assert card["version"] == calibrator.version
    assert "SemEval-2013" in card["training_data"]
    assert 0.6 < card["cross_validated"]["roc_auc"] <= 1.0
    assert set(card["library_versions"]) >= {"scikit-learn", "torch"}


def test_round_trip_keeps_predictions(calibrator: LogisticCalibrator, tmp_path: Path) -> None:
    path = save_calibrator(calibrator, tmp_path / "c.json")
    again = load_calibrator(path)
    features = np.array([[0.8, 0.9, 0.72, 0.0], [0.1, 0.0, 0.0, 1.0]])
    assert again == calibrator
    assert np.allclose(again.predict_proba(features), calibrator.predict_proba(features))


def test_probability_grows_with_similarity(calibrator: LogisticCalibrator) -> None:
    low, high = calibrator.predict_proba(np.array([[0.2, 0.1, 0.02, 0.0], [0.9, 0.8, 0.72, 0.0]]))
    assert 0 <= low < 0.5 < high <= 1


def test_wrong_number_of_features_is_refused(calibrator: LogisticCalibrator) -> None:
    with pytest.raises(ValueError, match="expects 4 features"):
        calibrator.predict_proba(np.array([[0.5, 0.5]]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "cannot read calibrator artefact"),
        ('{"schema": "other"}', "not a calibrator artefact"),
        ('{"schema": "assess.calibrator/v1", "version": "x"}', "malformed calibrator artefact"),
    ],
)
def test_bad_artefacts_are_clear_errors(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(ModelLoadError, match=message):
        load_calibrator(path)


def test_artefact_is_plain_json(calibrator: LogisticCalibrator, tmp_path: Path) -> None:
    document = json.loads(save_calibrator(calibrator, tmp_path / "c.json").read_text())
    assert document["feature_names"] == list(calibrator.feature_names)


def test_the_contradiction_model_round_trips_with_its_card(tmp_path: Path) -> None:
    from models.contradiction import load_contradiction, save_contradiction

    model = load_contradiction()
    assert "SemEval-2013" in model.card["training_data"]
    assert 0 < model.threshold < 1
    again = load_contradiction(save_contradiction(model, tmp_path / "c.json"))
    rng = np.random.default_rng(0)
    u, v = rng.normal(size=(2, 384)), rng.normal(size=(2, 384))
    cues = np.array([[0.8, 0.9, 1.0], [0.2, 0.1, 0.0]])
    assert np.allclose(again.predict_proba(u, v, cues), model.predict_proba(u, v, cues), atol=1e-4)


def test_a_contradiction_model_for_another_encoder_is_refused() -> None:
    from models.contradiction import load_contradiction

    with pytest.raises(ValueError, match="encoder dimension 10"):
        load_contradiction().predict_proba(np.ones((1, 10)), np.ones((1, 10)), np.ones((1, 3)))
