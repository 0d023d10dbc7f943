"""The engine on the packaged models, for the measuring commands that run without the service
(`assess.robustness`, `assess.several_points`); the service builds its own from settings."""

from __future__ import annotations

import argparse

from assess.config import GraderConfig
from assess.grader import Grader


def add_judge_option(parser: argparse.ArgumentParser) -> None:
    """`--judge`: which pair judge the command's engine hears."""
    parser.add_argument(
        "--judge", default="default",
        help="the pair judge: `default` (the one `make setup` assembles), a folder, or `none`",
    )  # fmt: skip


def packaged_grader(judge: str, config: GraderConfig) -> Grader:
    """The default engine (point model, calibrator, contradiction model) with the judge named
    by `judge` (as `--judge` takes it) and these settings."""
    from models import load_encoder
    from models.calibrator import load_calibrator
    from models.contradiction import load_contradiction
    from models.judge import judge_from_setting
    from models.point_model import load_point_model

    return Grader(
        load_encoder(), load_calibrator(), contradiction=load_contradiction(),
        point_model=load_point_model(), judge=judge_from_setting(judge), config=config,
    )  # fmt: skip
