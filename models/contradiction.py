"""P(an answer's evidence contradicts a rubric point): a logistic model over frozen sentence
embeddings of the pair, `[u, v, |u - v|, u * v]`, and three alignment cues. Inference only.

The artefact is plain JSON (coefficients, scaling, threshold and a model card); nothing is
unpickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.artefact import artefacts_path, read_artefact, write_artefact
from models.errors import ModelLoadError

DEFAULT_CONTRADICTION = "contradiction-v1.json"
CONTRADICTION_SCHEMA = "assess.contradiction/v1"
CUES = ("similarity", "lexical", "negation_mismatch")


def pair_features(
    evidence: npt.NDArray[np.floating[Any]],
    point: npt.NDArray[np.floating[Any]],
    cues: npt.NDArray[np.floating[Any]],
) -> npt.NDArray[np.float64]:
    """Rows of `[u, v, |u - v|, u * v, cues]` for (n, d) evidence and point vectors."""
    u, v = np.atleast_2d(evidence), np.atleast_2d(point)
    return np.hstack([u, v, np.abs(u - v), u * v, np.atleast_2d(cues)])


@dataclass(frozen=True)
class ContradictionModel:
    """sigmoid(standardised pair features . coef + intercept); contradicted at `threshold`."""

    coef: tuple[float, ...]
    intercept: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    threshold: float
    version: str
    card: dict[str, Any] = field(default_factory=dict, compare=False)

    def predict_proba(
        self,
        evidence: npt.NDArray[np.floating[Any]],
        point: npt.NDArray[np.floating[Any]],
        cues: npt.NDArray[np.floating[Any]],
    ) -> npt.NDArray[np.float64]:
        """P(contradicted) per row; cues in the order of `CUES`."""
        matrix = pair_features(evidence, point, cues)
        if matrix.shape[1] != len(self.coef):
            raise ValueError(
                f"contradiction model {self.version} expects {len(self.coef)} features, "
                f"got {matrix.shape[1]} (encoder dimension {np.atleast_2d(evidence).shape[1]})"
            )
        z = ((matrix - np.asarray(self.mean)) / np.asarray(self.scale)) @ np.asarray(self.coef)
        return 0.5 * (1.0 + np.tanh((z + self.intercept) / 2))  # sigmoid without overflow

    def to_document(self) -> dict[str, Any]:
        """The artefact as JSON-ready data."""
        return {
            "schema": CONTRADICTION_SCHEMA,
            "version": self.version,
            "cues": list(CUES),
            "threshold": self.threshold,
            "intercept": self.intercept,
            # Seven significant digits keep the file small and every value nonzero.
            "coef": [float(f"{c:.7g}") for c in self.coef],
            "mean": [float(f"{m:.7g}") for m in self.mean],
            "scale": [float(f"{s:.7g}") for s in self.scale],
            "card": self.card,
        }


def load_contradiction(path: str | Path | None = None) -> ContradictionModel:
    """Load a contradiction artefact; the default is the one shipped in `models/artefacts/`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_CONTRADICTION
    document = read_artefact(path, CONTRADICTION_SCHEMA, "contradiction")
    try:
        model = ContradictionModel(
            coef=tuple(float(c) for c in document["coef"]),
            intercept=float(document["intercept"]),
            mean=tuple(float(m) for m in document["mean"]),
            scale=tuple(float(s) for s in document["scale"]),
            threshold=float(document["threshold"]),
            version=str(document["version"]),
            card=dict(document.get("card", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{path}: malformed contradiction artefact: {exc}") from exc
    if not len(model.coef) == len(model.mean) == len(model.scale):
        raise ModelLoadError(f"{path}: coef, mean and scale differ in length")
    return model


def save_contradiction(model: ContradictionModel, path: str | Path) -> Path:
    """Write a contradiction artefact as JSON."""
    return write_artefact(model.to_document(), path, indent=None)
