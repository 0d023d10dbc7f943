"""Calibrators: turn alignment features into P(point covered). Inference only, no training code.

An artefact is plain JSON (feature names, coefficients, intercept, and a model card), so it can
be read, diffed and uploaded safely; nothing is unpickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.artefact import artefacts_path, read_artefact, write_artefact
from models.errors import ModelLoadError

DEFAULT_CALIBRATOR = "coverage-v1.json"
ARTEFACT_SCHEMA = "assess.calibrator/v1"


@dataclass(frozen=True)
class LogisticCalibrator:
    """P(covered) = sigmoid(features . coef + intercept), after standardising the features."""

    feature_names: tuple[str, ...]
    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    version: str
    card: dict[str, Any] = field(default_factory=dict, compare=False)

    def predict_proba(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Probabilities for an (n, n_features) matrix, in the order of `feature_names`."""
        matrix = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if matrix.shape[1] != len(self.feature_names):
            raise ValueError(
                f"calibrator {self.version} expects {len(self.feature_names)} features "
                f"({', '.join(self.feature_names)}), got {matrix.shape[1]}"
            )
        z = ((matrix - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)
        return 1.0 / (1.0 + np.exp(-(z + self.intercept)))

    def to_document(self) -> dict[str, Any]:
        """The artefact as JSON-ready data."""
        return {
            "schema": ARTEFACT_SCHEMA,
            "kind": "logistic",
            "version": self.version,
            "feature_names": list(self.feature_names),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "mean": list(self.mean),
            "scale": list(self.scale),
            "card": self.card,
        }


def load_calibrator(path: str | Path | None = None) -> LogisticCalibrator:
    """Load a calibrator artefact; the default is the one shipped in `models/artefacts/`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_CALIBRATOR
    document = read_artefact(path, ARTEFACT_SCHEMA, "calibrator")
    try:
        names = tuple(str(n) for n in document["feature_names"])
        calibrator = LogisticCalibrator(
            feature_names=names,
            coef=tuple(float(c) for c in document["coef"]),
            intercept=float(document["intercept"]),
            mean=tuple(float(m) for m in document["mean"]),
            scale=tuple(float(s) for s in document["scale"]),
            version=str(document["version"]),
            card=dict(document.get("card", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{path}: malformed calibrator artefact: {exc}") from exc
    if not (len(names) == len(calibrator.coef) == len(calibrator.mean) == len(calibrator.scale)):
        raise ModelLoadError(f"{path}: feature_names, coef, mean and scale differ in length")
    return calibrator


def save_calibrator(calibrator: LogisticCalibrator, path: str | Path) -> Path:
    """Write a calibrator artefact as indented JSON."""
    return write_artefact(calibrator.to_document(), path)
