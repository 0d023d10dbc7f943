"""Composition: build the engine's objects from settings. Only the faces call this."""

from __future__ import annotations

from pathlib import Path

from assess import Grader
from models import Encoder, load_encoder
from models.calibrator import load_calibrator
from models.contradiction import load_contradiction
from models.example_model import ExampleModel, load_example_model
from models.judge import PairJudge, judge_from_setting
from models.point_model import PointModel, load_point_model
from models.score_model import ScoreModel, load_score_model
from service.settings import Settings


def build_encoder(settings: Settings) -> Encoder:
    """The configured encoder, loaded offline."""
    return load_encoder(
        settings.encoder,
        batch_size=settings.encode_batch_size,
        threads=settings.threads,
        backend=settings.encoder_backend,
    )


def build_judge(settings: Settings) -> PairJudge | None:
    """The pair judge the settings name (`models.judge.judge_from_setting`)."""
    return judge_from_setting(settings.judge, threads=settings.threads)


def build_point_model(settings: Settings) -> PointModel | None:
    """The shipped point model (`default`), one from a file, or none (`none`: the
    coverage-v1 calibrator and contradiction rules decide instead)."""
    if settings.point_model.lower() == "none":
        return None
    if settings.point_model.lower() == "default":
        return load_point_model()
    return load_point_model(Path(settings.point_model))


def build_example_model(settings: Settings) -> ExampleModel | None:
    """The shipped example model (`default`), one from a file, or none (`none`: calibrated
    rubrics use their own Platt scaling)."""
    if settings.example_model.lower() == "none":
        return None
    if settings.example_model.lower() == "default":
        return load_example_model()
    return load_example_model(Path(settings.example_model))


def build_score_model(settings: Settings) -> ScoreModel | None:
    """The shipped score model (`default`), one from a file, or none (`none`: a calibrated
    rubric's score is its points' alone)."""
    if settings.score_model.lower() == "none":
        return None
    if settings.score_model.lower() == "default":
        return load_score_model()
    return load_score_model(Path(settings.score_model))


def build_grader(settings: Settings, encoder: Encoder | None = None) -> Grader:
    """A Grader with the configured encoder, calibrator and limits."""
    return Grader(
        encoder=encoder or build_encoder(settings),
        calibrator=load_calibrator(settings.calibrator),
        config=settings.grader_config(),
        contradiction=load_contradiction(settings.contradiction),
        judge=build_judge(settings),
        point_model=build_point_model(settings),
        example_model=build_example_model(settings),
        score_model=build_score_model(settings),
    )
