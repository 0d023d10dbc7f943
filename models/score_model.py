"""The score model: a whole answer's score share once a teacher has scored answers whole.

Where a teacher scores answers as a whole (no grade per point), the points say too little of
what the teacher counts: full marks are given without every sentence of a model answer, half
marks for half an explanation, and some classes are marked harder than others. This model reads
two estimates of the teacher's score share of a new answer: the engine's own share mapped onto
the teacher's scale by a straight line fitted on the graded answers, and the closeness-weighted
mean share of the teacher's closest graded answers (`assess.graded_scores`); one line of
weights shared by every rubric, fitted across questions (`assess.score_training`).

The artefact is plain JSON (the weights and a model card).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.artefact import artefacts_path, read_artefact, write_artefact
from models.errors import ModelLoadError

DEFAULT_SCORE_MODEL = "scores-v3.json"
SCORE_MODEL_SCHEMA = "assess.score-model/v1"
SCORE_INPUTS = ("mapped_share", "closest_share")


@dataclass(frozen=True)
class ScoreModel:
    """share = clip(coef . inputs + intercept, 0, 1), inputs in the order of `SCORE_INPUTS`."""

    coef: npt.NDArray[np.float64]  # (len(SCORE_INPUTS),)
    intercept: float
    version: str
    card: dict[str, Any] = field(default_factory=dict, compare=False)

    def predict(self, inputs: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """Score shares (n,) of rows of `SCORE_INPUTS`."""
        rows = np.atleast_2d(np.asarray(inputs, dtype=np.float64))
        if rows.shape[1] != len(SCORE_INPUTS):
            raise ValueError(
                f"score model {self.version} reads {len(SCORE_INPUTS)} inputs "
                f"({', '.join(SCORE_INPUTS)}), got {rows.shape[1]}"
            )
        return np.asarray(np.clip(rows @ self.coef + self.intercept, 0.0, 1.0), dtype=np.float64)

    def to_document(self) -> dict[str, Any]:
        return {
            "schema": SCORE_MODEL_SCHEMA,
            "version": self.version,
            "inputs": list(SCORE_INPUTS),
            "coef": [float(f"{c:.7g}") for c in self.coef],
            "intercept": float(f"{self.intercept:.7g}"),
            "card": self.card,
        }


def score_model_from(document: dict[str, Any], source: str = "score model") -> ScoreModel:
    """Build a ScoreModel from its JSON document, checking its inputs and shapes."""
    try:
        if list(document["inputs"]) != list(SCORE_INPUTS):
            raise ValueError(f"inputs must be {list(SCORE_INPUTS)}, not {document['inputs']}")
        model = ScoreModel(
            coef=np.asarray(document["coef"], dtype=np.float64).ravel(),
            intercept=float(document["intercept"]),
            version=str(document["version"]),
            card=dict(document.get("card", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{source}: malformed score model: {exc}") from exc
    if model.coef.shape != (len(SCORE_INPUTS),) or not np.all(np.isfinite(model.coef)):
        raise ModelLoadError(f"{source}: malformed score model: one finite weight per input")
    return model


def load_score_model(path: str | Path | None = None) -> ScoreModel:
    """Load a score model artefact; the default is the one shipped in `models/artefacts/`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_SCORE_MODEL
    return score_model_from(read_artefact(path, SCORE_MODEL_SCHEMA, "score model"), str(path))


def save_score_model(model: ScoreModel, path: str | Path) -> Path:
    return write_artefact(model.to_document(), path)
