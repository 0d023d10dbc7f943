"""Real objects for every suite: the packaged model (loaded once), the shipped calibrator,
the library rubrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess import Grader
from models import Encoder, load_encoder
from models.calibrator import LogisticCalibrator, load_calibrator
from models.contradiction import ContradictionModel, load_contradiction
from rubrics import Rubric, library_path, load_rubrics

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    return load_encoder()


@pytest.fixture(scope="session")
def calibrator() -> LogisticCalibrator:
    return load_calibrator()


@pytest.fixture(scope="session")
def contradiction() -> ContradictionModel:
    return load_contradiction()


@pytest.fixture(scope="session")
def grader(
    encoder: Encoder, calibrator: LogisticCalibrator, contradiction: ContradictionModel
) -> Grader:
    return Grader(encoder, calibrator, contradiction=contradiction)


@pytest.fixture(scope="session")
def library() -> dict[str, Rubric]:
    return load_rubrics(library_path())


@pytest.fixture(scope="session")
def complement(library: dict[str, Rubric]) -> Rubric:
    return library["track-ii/complement"]
