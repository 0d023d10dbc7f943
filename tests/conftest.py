"""Real objects for every suite: the packaged model (loaded once), the shipped calibrator,
the library rubrics."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess import Grader
from models import Encoder, load_encoder
from models.calibrator import LogisticCalibrator, load_calibrator
from models.contradiction import ContradictionModel, load_contradiction
from models.example_model import ExampleModel, load_example_model
from models.judge import PairJudge, load_judge
from models.point_model import PointModel, load_point_model
from models.score_model import ScoreModel, load_score_model
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
def point_model() -> PointModel:
    return load_point_model()


@pytest.fixture(scope="session")
def example_model() -> ExampleModel:
    return load_example_model()


@pytest.fixture(scope="session")
def score_model() -> ScoreModel:
    return load_score_model()


@pytest.fixture(scope="session")
def pair_judge() -> PairJudge:
    """The pair judge `make setup` assembled from the committed difference."""
    return load_judge()


@pytest.fixture(scope="session")
def grader(
    encoder: Encoder,
    calibrator: LogisticCalibrator,
    contradiction: ContradictionModel,
    point_model: PointModel,
    example_model: ExampleModel,
    pair_judge: PairJudge,
    score_model: ScoreModel,
) -> Grader:
    """The default engine: the point model decides, the pair judge reads each point's
    evidence, the example model reads a calibrated rubric's graded answers and the score
    model its whole-answer scores, as in the service and the CLI."""
    return Grader(
        encoder, calibrator, contradiction=contradiction, point_model=point_model,
        example_model=example_model, judge=pair_judge, score_model=score_model,
    )  # fmt: skip


@pytest.fixture(scope="session")
def library() -> dict[str, Rubric]:
    return load_rubrics(library_path())


@pytest.fixture(scope="session")
def complement(library: dict[str, Rubric]) -> Rubric:
    return library["track-ii/complement"]
