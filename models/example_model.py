"""The example model: a rubric point's three probabilities once a teacher has graded answers.

A teacher's graded answers to a question say more about a new answer than any general model
can: the same class writes the same right and wrong answers. This model reads the point
model's two probabilities (as logits) beside how close the answer comes to the graded answers
of each kind (covered, contradicting, neither) and how its nearest graded answers vote, and
says P(covered), P(contradicted), P(missing). Its weights are shared by every rubric, fitted
on public data across many questions (`assess.example_training`), so a rubric needs only its
graded answers, not a fit of its own, and a handful of them already helps.

The artefact is plain JSON (one multinomial logistic regression and a model card).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.artefact import artefacts_path, read_artefact, write_artefact
from models.errors import ModelLoadError
from models.point_model import CLASSES

DEFAULT_EXAMPLE_MODEL = "examples-v7.json"
EXAMPLE_MODEL_SCHEMA = "assess.example-model/v1"

FloatArray = npt.NDArray[np.float64]


def _floats(values: npt.ArrayLike) -> list[float]:
    return [float(f"{x:.7g}") for x in np.asarray(values, dtype=np.float64).ravel()]


@dataclass(frozen=True)
class ExampleModel:
    """Standardised inputs -> one linear score per class in `CLASSES` order -> softmax."""

    feature_names: tuple[str, ...]
    coef: FloatArray  # (3, k)
    intercept: FloatArray  # (3,)
    mean: FloatArray  # (k,)
    scale: FloatArray  # (k,)
    version: str
    card: dict[str, Any] = field(default_factory=dict, compare=False)

    def predict_proba(self, features: npt.ArrayLike) -> FloatArray:
        """(n, 3) probabilities for rows of features in the order of `feature_names`."""
        inputs = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if inputs.shape[1] != len(self.feature_names):
            raise ValueError(
                f"example model {self.version} expects {len(self.feature_names)} features "
                f"({', '.join(self.feature_names)}), got {inputs.shape[1]}"
            )
        scores = ((inputs - self.mean) / self.scale) @ self.coef.T + self.intercept
        scores -= scores.max(axis=1, keepdims=True)
        odds = np.exp(scores)
        return np.asarray(odds / odds.sum(axis=1, keepdims=True), dtype=np.float64)

    def to_document(self) -> dict[str, Any]:
        return {
            "schema": EXAMPLE_MODEL_SCHEMA,
            "version": self.version,
            "classes": list(CLASSES),
            "feature_names": list(self.feature_names),
            "coef": [_floats(row) for row in self.coef],
            "intercept": _floats(self.intercept),
            "mean": _floats(self.mean),
            "scale": _floats(self.scale),
            "card": self.card,
        }


def from_document(document: dict[str, Any], source: str = "example model") -> ExampleModel:
    """Build an ExampleModel from its JSON document, checking every shape."""
    try:
        if list(document["classes"]) != list(CLASSES):
            raise ValueError(f"classes must be {list(CLASSES)}")
        model = ExampleModel(
            feature_names=tuple(str(n) for n in document["feature_names"]),
            coef=np.asarray(document["coef"], dtype=np.float64),
            intercept=np.asarray(document["intercept"], dtype=np.float64).ravel(),
            mean=np.asarray(document["mean"], dtype=np.float64).ravel(),
            scale=np.asarray(document["scale"], dtype=np.float64).ravel(),
            version=str(document["version"]),
            card=dict(document.get("card", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{source}: malformed example model: {exc}") from exc
    k = len(model.feature_names)
    if model.coef.shape != (len(CLASSES), k) or model.intercept.shape != (len(CLASSES),):
        raise ModelLoadError(f"{source}: malformed example model: coef must be 3 x {k}")
    if model.mean.shape != (k,) or model.scale.shape != (k,) or np.any(model.scale <= 0):
        raise ModelLoadError(f"{source}: malformed example model: mean and scale per feature")
    return model


def load_example_model(path: str | Path | None = None) -> ExampleModel:
    """Load an example model artefact; the default is the one shipped in `models/artefacts/`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_EXAMPLE_MODEL
    return from_document(read_artefact(path, EXAMPLE_MODEL_SCHEMA, "example model"), str(path))


def save_example_model(model: ExampleModel, path: str | Path) -> Path:
    return write_artefact(model.to_document(), path)
