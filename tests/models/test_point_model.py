"""The shipped point model: a plain-JSON artefact with a card, read back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assess.coverage import POINT_FEATURES
from models import ModelLoadError
from models.point_model import CLASSES, PointModel, load_point_model, save_point_model


def rows(n: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    features = rng.uniform(0, 1, size=(n, len(POINT_FEATURES)))
    u, v = rng.normal(size=(2, n, 384))
    return features, u / np.linalg.norm(u, axis=1, keepdims=True), v


def test_the_shipped_model_has_a_card_with_its_cross_validated_figures(
    point_model: PointModel,
) -> None:
    card = point_model.card
    assert card["version"] == point_model.version == "point-v6"
    assert card["features"] == list(POINT_FEATURES) == list(point_model.feature_names)
    assert "SemEval-2013" in card["training_data"]
    for corpus in ("beetle", "sciEntsBank"):
        figures = card["cross_validated"][corpus]
        assert 0.4 < figures["macro_f1_3way"] < figures["macro_f1_2way"] < 1
    assert card["command"].startswith("python -m assess.point_training")


def test_probabilities_are_a_distribution_over_the_three_statuses(
    point_model: PointModel,
) -> None:
    probabilities = point_model.predict_proba(*rows())
    assert probabilities.shape == (4, len(CLASSES))
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_round_trip_keeps_predictions(point_model: PointModel, tmp_path: Path) -> None:
    path = save_point_model(point_model, tmp_path / "p.json")
    again = load_point_model(path)
    assert np.allclose(again.predict_proba(*rows()), point_model.predict_proba(*rows()))
    assert json.loads(path.read_text())["schema"] == "assess.point-model/v1"


def test_wrong_inputs_are_refused(point_model: PointModel) -> None:
    features, u, v = rows()
    with pytest.raises(ValueError, match=f"expects {len(POINT_FEATURES)} features"):
        point_model.predict_proba(features[:, :3], u, v)
    with pytest.raises(ValueError, match="vectors of 384 dimensions, got 10"):
        point_model.predict_proba(features, u[:, :10], v[:, :10])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("deny"), "malformed point model: 'deny'"),
        (lambda d: d["cover"]["coef"].pop(), "cover: coef, mean and scale differ"),
        (lambda d: d["pair"].update(coef=[1.0], mean=[0.0], scale=[1.0]), "an even number"),
        (lambda d: d.update(schema="other"), "not a point model artefact"),
    ],
)
def test_a_damaged_artefact_is_a_clear_error(
    point_model: PointModel, tmp_path: Path, change: object, message: str
) -> None:
    document = point_model.to_document()
    change(document)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ModelLoadError, match=message):
        load_point_model(path)
