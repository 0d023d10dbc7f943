"""The point model: P(covered), P(contradicted), P(missing) of one rubric point in one answer.

Three logistic stages, fitted on public data with human labels (`assess.point_training`):
`cover` reads named alignment features (similarity, margin, negation cues, lengths) and says
whether the point is covered; among answers that do not cover it, `pair` reads the interaction
of the evidence's embedding and the closest point text's, `[|u - v|, u * v]` (symmetric, and
free of either text's topic, so it learns how a statement relates to a point rather than which
subjects tend to be right), and `deny` combines it with the named features to say whether the
answer denies the point or just does not make it.

The artefact is plain JSON (coefficients, scaling and a model card); nothing is unpickled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.artefact import artefacts_path, read_artefact, write_artefact
from models.errors import ModelLoadError

DEFAULT_POINT_MODEL = "point-v6.json"
POINT_MODEL_SCHEMA = "assess.point-model/v1"
# Column order of every probability row this model returns.
CLASSES = ("covered", "contradicted", "missing")
COVERED, CONTRADICTED, MISSING = (CLASSES.index(c) for c in CLASSES)

FloatArray = npt.NDArray[np.float64]


def pair_interaction(evidence: npt.ArrayLike, point: npt.ArrayLike) -> FloatArray:
    """Rows of `[|u - v|, u * v]` for (n, d) evidence and point vectors."""
    u = np.atleast_2d(np.asarray(evidence, dtype=np.float64))
    v = np.atleast_2d(np.asarray(point, dtype=np.float64))
    return np.hstack([np.abs(u - v), u * v])


def logit(probability: npt.ArrayLike) -> FloatArray:
    """log(p / (1 - p)), with p kept within [1e-6, 1 - 1e-6] so certainties stay finite."""
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(p / (1 - p)), dtype=np.float64)


def sigmoid(z: FloatArray) -> FloatArray:
    """The logistic function, without overflow for large scores."""
    return np.asarray(0.5 * (1.0 + np.tanh(z / 2.0)), dtype=np.float64)


@dataclass(frozen=True)
class LogisticStage:
    """Standardised inputs -> a linear score -> a probability."""

    coef: FloatArray  # (k,)
    intercept: float
    mean: FloatArray  # (k,)
    scale: FloatArray  # (k,)

    @property
    def width(self) -> int:
        return len(self.coef)

    def predict_proba(self, inputs: FloatArray) -> FloatArray:
        if inputs.shape[1] != self.width:
            raise ValueError(f"expected {self.width} inputs, got {inputs.shape[1]}")
        return sigmoid(((inputs - self.mean) / self.scale) @ self.coef + self.intercept)

    def to_document(self, describes: str) -> dict[str, Any]:
        return {
            "input": describes,
            "coef": _floats(self.coef),
            "intercept": float(f"{self.intercept:.7g}"),
            "mean": _floats(self.mean),
            "scale": _floats(self.scale),
        }


def _floats(values: npt.ArrayLike) -> list[float]:
    """Seven significant digits: the artefact stays small and every value nonzero."""
    return [float(f"{x:.7g}") for x in np.asarray(values, dtype=np.float64).ravel()]


@dataclass(frozen=True)
class PointModel:
    """The three stages, the named features they read, and the model card.

    P(covered) = cover(features); P(denied | not covered) = deny(features, pair(u, v));
    P(contradicted) = (1 - P(covered)) * P(denied | not covered); P(missing) is the rest.
    Whether a point is covered is thus read from features that hold for any wording, and a
    denial is only weighed for an answer that does not cover the point: the pair stage, which
    knows how near-copies with a twist look, never takes credit from a paraphrase.
    """

    feature_names: tuple[str, ...]
    cover: LogisticStage
    pair: LogisticStage
    deny: LogisticStage
    version: str
    card: dict[str, Any] = field(default_factory=dict, compare=False)

    def predict_proba(
        self, features: npt.ArrayLike, evidence: npt.ArrayLike, point: npt.ArrayLike
    ) -> FloatArray:
        """(n, 3) probabilities in `CLASSES` order for named features (columns in the order
        of `feature_names`) and each row's evidence and closest point text vectors."""
        named = np.atleast_2d(np.asarray(features, dtype=np.float64))
        if named.shape[1] != len(self.feature_names):
            raise ValueError(
                f"point model {self.version} expects {len(self.feature_names)} features "
                f"({', '.join(self.feature_names)}), got {named.shape[1]}"
            )
        if named.shape[0] == 0:
            return np.zeros((0, len(CLASSES)))
        pairs = pair_interaction(evidence, point)
        if pairs.shape[1] != self.pair.width:
            raise ValueError(
                f"point model {self.version} expects vectors of {self.pair.width // 2} "
                f"dimensions, got {pairs.shape[1] // 2}"
            )
        covered = self.cover.predict_proba(named)
        denied = self.deny.predict_proba(np.column_stack([named, self.pair.predict_proba(pairs)]))
        return np.column_stack([covered, (1 - covered) * denied, (1 - covered) * (1 - denied)])

    def to_document(self) -> dict[str, Any]:
        """The artefact as JSON-ready data."""
        return {
            "schema": POINT_MODEL_SCHEMA,
            "version": self.version,
            "classes": list(CLASSES),
            "feature_names": list(self.feature_names),
            "cover": self.cover.to_document("feature_names -> P(covered)"),
            "pair": self.pair.to_document(
                "[|u - v|, u * v] of the evidence and closest point text embeddings "
                "-> P(denied | not covered)"
            ),
            "deny": self.deny.to_document(
                "feature_names, then the pair stage's probability -> P(denied | not covered)"
            ),
            "card": self.card,
        }


def _stage(document: dict[str, Any]) -> LogisticStage:
    return LogisticStage(
        coef=np.asarray(document["coef"], dtype=np.float64).ravel(),
        intercept=float(document["intercept"]),
        mean=np.asarray(document["mean"], dtype=np.float64).ravel(),
        scale=np.asarray(document["scale"], dtype=np.float64).ravel(),
    )


def from_document(document: dict[str, Any], source: str = "point model") -> PointModel:
    """Build a PointModel from its JSON document, checking every stage's shape."""
    try:
        model = PointModel(
            feature_names=tuple(str(n) for n in document["feature_names"]),
            cover=_stage(document["cover"]),
            pair=_stage(document["pair"]),
            deny=_stage(document["deny"]),
            version=str(document["version"]),
            card=dict(document.get("card", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelLoadError(f"{source}: malformed point model: {exc}") from exc
    problems = [
        f"{name}: coef, mean and scale differ in length"
        for name, stage in (("cover", model.cover), ("pair", model.pair), ("deny", model.deny))
        if not (stage.width == len(stage.mean) == len(stage.scale))
    ]
    n = len(model.feature_names)
    if model.cover.width != n or model.deny.width != n + 1:
        problems.append(f"cover must read the {n} named features and deny those and the pair's")
    if model.pair.width % 2:
        problems.append("pair must read [|u - v|, u * v]: an even number of inputs")
    if problems:
        raise ModelLoadError(f"{source}: malformed point model: {'; '.join(problems)}")
    return model


def load_point_model(path: str | Path | None = None) -> PointModel:
    """Load a point model artefact; the default is the one shipped in `models/artefacts/`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_POINT_MODEL
    return from_document(read_artefact(path, POINT_MODEL_SCHEMA, "point model"), str(path))


def save_point_model(model: PointModel, path: str | Path) -> Path:
    """Write a point model artefact as compact JSON (the pair stage has 768 coefficients)."""
    return write_artefact(model.to_document(), path, indent=None)
