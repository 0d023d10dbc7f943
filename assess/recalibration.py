"""A rubric's own calibration, fitted on a teacher's grades (see `assess.calibration`).

It rescales the engine's P(covered) for that rubric version (Platt scaling, plus how near the
answer comes to the teacher's graded answers of each point) and sets the confidence below
which its results ask for a human look. It is plain JSON beside the rubric
or in the service's database; it never applies to another rubric or another version.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from assess.errors import CalibrationError
from models.point_model import logit

SCHEMA = "assess.rubric-calibration/v1"


@dataclass(frozen=True)
class GradedExemplar:
    """A teacher-graded answer kept as an example of one point covered or not."""

    point_id: str
    answer: str
    covered: bool
    denied: bool | None = None  # None: the grade does not say whether it contradicts


@dataclass(frozen=True)
class GradedScore:
    """A teacher's whole-answer score (score / max_score) of an answer to a rubric of several
    points, given without grades per point: what the score model reads
    (`assess.graded_scores`)."""

    answer: str
    share: float


@dataclass(frozen=True)
class RubricCalibration:
    """P'(covered) = sigmoid(slope * logit(P(covered)) + neighbour * nearness + intercept),
    for one rubric version.

    `nearness` is how much closer the answer comes to the teacher's answers graded as covering
    the point than to those graded as not covering it (`assess.neighbours`); 0 where the
    teacher graded no answer of one kind, so the calibration is then plain Platt scaling.
    """

    rubric_id: str
    rubric_version: str
    slope: float
    intercept: float
    n_answers: int
    review_below: float | None = None  # None: the engine's default threshold
    neighbour: float = 0.0
    exemplars: tuple[GradedExemplar, ...] = ()
    # P'(denied | not covered) = sigmoid(logit(P(denied | not covered)) + deny_intercept
    # + deny_neighbour * denial nearness), where the teacher marked contradictions.
    deny_intercept: float = 0.0
    deny_neighbour: float = 0.0
    scores: tuple[GradedScore, ...] = ()
    # The scorer whose probabilities the Platt scaling was fitted on (`Grader.scorer_version`);
    # empty in calibrations saved before it was kept.
    scorer: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.rubric_id, self.rubric_version)

    def fitted_for(self, scorer: str) -> bool | None:
        """Whether the scaling was fitted on this scorer's probabilities (None: not known).
        Another scorer's P(covered) reads differently, so its slope and intercept no longer
        fit; the graded answers themselves are read afresh by whichever scorer runs."""
        return self.scorer == scorer if self.scorer else None

    def stale_warning(self, scorer: str) -> str | None:
        """What to tell a teacher whose calibration was fitted on another scorer, else None."""
        if self.fitted_for(scorer) is not False:
            return None
        return (
            f"the calibration of rubric {self.rubric_id} (version {self.rubric_version}) was "
            f"fitted on scorer {self.scorer}; this engine runs {scorer}: calibrate again with "
            "the same grades"
        )

    def apply(
        self,
        probability: npt.NDArray[np.float64],
        nearness: npt.NDArray[np.float64] | None = None,
    ) -> npt.NDArray[np.float64]:
        """Recalibrated probabilities; `nearness` per item, 0 where there is none."""
        z = self.slope * logit(probability) + self.intercept
        if nearness is not None and self.neighbour:
            z = z + self.neighbour * np.asarray(nearness, dtype=np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def apply_denial(
        self, denied: npt.NDArray[np.float64], nearness: npt.NDArray[np.float64] | None = None
    ) -> npt.NDArray[np.float64]:
        """Recalibrated P(denied | not covered); unchanged where no contradiction was graded."""
        if not (self.deny_intercept or self.deny_neighbour):
            return np.asarray(denied, dtype=np.float64)
        z = logit(denied) + self.deny_intercept
        if nearness is not None:
            z = z + self.deny_neighbour * np.asarray(nearness, dtype=np.float64)
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_document(self) -> dict[str, Any]:
        return {"schema": SCHEMA, **asdict(self)}

    @classmethod
    def from_document(cls, data: dict[str, Any], source: str = "calibration") -> RubricCalibration:
        if data.get("schema") != SCHEMA:
            raise CalibrationError(f"{source}: schema {data.get('schema')!r} is not {SCHEMA}")
        try:
            return cls(
                rubric_id=str(data["rubric_id"]),
                rubric_version=str(data["rubric_version"]),
                slope=float(data["slope"]),
                intercept=float(data["intercept"]),
                n_answers=int(data["n_answers"]),
                review_below=None if data.get("review_below") is None
                else float(data["review_below"]),
                neighbour=float(data.get("neighbour", 0.0)),
                exemplars=tuple(
                    GradedExemplar(str(e["point_id"]), str(e["answer"]), bool(e["covered"]),
                                   None if e.get("denied") is None else bool(e["denied"]))
                    for e in data.get("exemplars", ())
                ),
                deny_intercept=float(data.get("deny_intercept", 0.0)),
                deny_neighbour=float(data.get("deny_neighbour", 0.0)),
                scores=tuple(
                    GradedScore(str(s["answer"]), float(s["share"]))
                    for s in data.get("scores", ())
                ),
                scorer=str(data.get("scorer", "")),
            )  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise CalibrationError(f"{source}: not a rubric calibration: {exc}") from exc


def calibration_path(rubric_path: Path, version: str) -> Path:
    """Beside the rubric file, named for the rubric version it was fitted on."""
    return rubric_path.with_name(f"{rubric_path.stem}.{version}.calibration.json")


def save_calibration(calibration: RubricCalibration, path: Path) -> Path:
    path.write_text(json.dumps(calibration.to_document(), indent=2) + "\n", encoding="utf-8")
    return path


def load_calibration(path: Path) -> RubricCalibration:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CalibrationError(f"{path}: cannot read: {exc}") from exc
    return RubricCalibration.from_document(data, str(path))


def calibrations_near(rubric_path: Path) -> dict[tuple[str, str], RubricCalibration]:
    """Every calibration saved beside a rubric file (or anywhere under a rubric folder), by
    (rubric id, version): each applies only to the exact rubric version it was fitted on."""
    if rubric_path.is_dir():
        paths = sorted(rubric_path.rglob("*.calibration.json"))
    else:
        paths = sorted(rubric_path.parent.glob(f"{rubric_path.stem}.*.calibration.json"))
    found = [load_calibration(p) for p in paths]
    return {c.key: c for c in found}
