"""The shipped example model: a plain-JSON artefact with a card, read back exactly."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assess.examples import EXAMPLE_INPUTS
from models import ModelLoadError
from models.example_model import ExampleModel, load_example_model, save_example_model
from models.point_model import CLASSES


def rows(n: int = 5) -> np.ndarray:
    return np.random.default_rng(0).uniform(-2, 2, size=(n, len(EXAMPLE_INPUTS)))


def test_the_card_shows_graded_answers_lift_cross_validated_agreement(
    example_model: ExampleModel,
) -> None:
    card = example_model.card
    assert card["version"] == example_model.version == "examples-v7"
    assert card["features"] == list(EXAMPLE_INPUTS) == list(example_model.feature_names)
    assert "SemEval-2013" in card["training_data"]
    for corpus in ("beetle", "sciEntsBank"):
        figures = card["cross_validated"][corpus]
        alone, examples = figures["point_model_alone"], figures["with_examples"]
        assert examples["macro_f1_3way"] > alone["macro_f1_3way"] + 0.05
        assert examples["macro_f1_2way"] > alone["macro_f1_2way"]
    assert card["command"].startswith("python -m assess.example_training")


def test_probabilities_are_a_distribution_over_the_three_statuses(
    example_model: ExampleModel,
) -> None:
    probabilities = example_model.predict_proba(rows())
    assert probabilities.shape == (5, len(CLASSES))
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert np.allclose(probabilities.sum(axis=1), 1.0)


def test_a_closer_covered_example_means_likelier_covered(example_model: ExampleModel) -> None:
    row = np.zeros((2, len(EXAMPLE_INPUTS)))
    near = EXAMPLE_INPUTS.index("closest_covered")
    vote = EXAMPLE_INPUTS.index("vote_covered")
    row[:, near], row[:, vote] = [0.3, 0.9], [0.2, 0.9]
    covered = example_model.predict_proba(row)[:, CLASSES.index("covered")]
    assert covered[1] > covered[0]


def test_round_trip_keeps_predictions(example_model: ExampleModel, tmp_path: Path) -> None:
    path = save_example_model(example_model, tmp_path / "e.json")
    again = load_example_model(path)
    assert np.allclose(again.predict_proba(rows()), example_model.predict_proba(rows()))
    assert json.loads(path.read_text())["schema"] == "assess.example-model/v1"


def test_wrong_inputs_are_refused(example_model: ExampleModel) -> None:
    with pytest.raises(ValueError, match=f"expects {len(EXAMPLE_INPUTS)} features"):
        example_model.predict_proba(rows()[:, :3])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("coef"), "malformed example model: 'coef'"),
        (lambda d: d["coef"].pop(), "coef must be 3 x"),
        (lambda d: d["scale"].__setitem__(0, 0.0), "mean and scale per feature"),
        (lambda d: d.update(classes=["a", "b", "c"]), "classes must be"),
        (lambda d: d.update(schema="other"), "not an example model artefact"),
    ],
)
def test_a_damaged_artefact_is_a_clear_error(
    example_model: ExampleModel, tmp_path: Path, change: object, message: str
) -> None:
    document = example_model.to_document()
    change(document)  # type: ignore[operator]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    with pytest.raises(ModelLoadError, match=message):
        load_example_model(path)
