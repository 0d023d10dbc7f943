"""A rubric's own calibration, fitted on a teacher's grades (see `assess.calibration`).

It rescales the engine's P(covered) for that rubric version (Platt scaling) and sets the
confidence below which its results ask for a human look. It is plain JSON beside the rubric
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

SCHEMA = "assess.rubric-calibration/v1"


@dataclass(frozen=True)
class RubricCalibration:
    """P'(covered) = sigmoid(slope * logit(P(covered)) + intercept), for one rubric version."""

    rubric_id: str
    rubric_version: str
    slope: float
    intercept: float
    n_answers: int
    review_below: float | None = None  # None: the engine's default threshold

    @property
    def key(self) -> tuple[str, str]:
        return (self.rubric_id, self.rubric_version)

    def apply(self, probability: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Recalibrated probabilities."""
        p = np.clip(probability, 1e-6, 1 - 1e-6)
        z = self.slope * np.log(p / (1 - p)) + self.intercept
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
