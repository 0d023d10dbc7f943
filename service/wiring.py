"""Composition: build the engine's objects from settings. Only the faces call this."""

from __future__ import annotations

import logging
from pathlib import Path

from assess import Grader
from models import Encoder, load_encoder
from models.calibrator import load_calibrator
from models.contradiction import load_contradiction
from models.judge import PairJudge, default_judge_dir, load_judge
from service.settings import Settings

logger = logging.getLogger(__name__)


def build_encoder(settings: Settings) -> Encoder:
    """The configured encoder, loaded offline."""
    return load_encoder(
        settings.encoder,
        batch_size=settings.encode_batch_size,
        threads=settings.threads,
        backend=settings.encoder_backend,
    )


def build_judge(settings: Settings) -> PairJudge | None:
    """The pair judge: a folder named in settings must load; the default one is used where
    setup built it (setup skips it when ../shared/data is absent) and left out otherwise."""
    if settings.judge is not None:
        if settings.judge.lower() == "none":
            return None
        return load_judge(Path(settings.judge), threads=settings.threads)
    if not default_judge_dir().is_dir():
        logger.warning("no pair judge at %s: grading without it", default_judge_dir())
        return None
    return load_judge(threads=settings.threads)


def build_grader(settings: Settings, encoder: Encoder | None = None) -> Grader:
    """A Grader with the configured encoder, calibrator and limits."""
    return Grader(
        encoder=encoder or build_encoder(settings),
        calibrator=load_calibrator(settings.calibrator),
        config=settings.grader_config(),
        contradiction=load_contradiction(settings.contradiction),
        judge=build_judge(settings),
    )
