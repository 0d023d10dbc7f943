"""`assess calibrate`: fit a rubric's calibration on teacher grades and report agreement."""

from __future__ import annotations

import json
from pathlib import Path

import click

from assess import USER_ERRORS
from assess.calibration import calibrate_rubric, read_graded
from assess.recalibration import calibration_path, save_calibration
from rubrics import load_rubric
from service.settings import get_settings
from service.wiring import build_grader


@click.command("calibrate")
@click.option("--rubric", "rubric_path", required=True, type=click.Path(path_type=Path),
              help="The rubric file the answers were graded against.")  # fmt: skip
@click.argument("graded", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Where to write the calibration (default: beside the rubric).")  # fmt: skip
def calibrate(rubric_path: Path, graded: Path, output: Path | None) -> None:
    """Fit Platt scaling and a review threshold on GRADED (CSV: answer, score[, answer_id,
    point:<id>]) and print the agreement report as JSON. Saved beside the rubric, the
    calibration is used by `assess score` and `assess grade` for that rubric version."""
    try:
        rubric = load_rubric(rubric_path)
        rows = read_graded(graded, rubric)
        fitted, report = calibrate_rubric(build_grader(get_settings()), rubric, rows)
        written = save_calibration(fitted, output or calibration_path(rubric_path, rubric.version))
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from exc
    for note in report.warnings:
        click.echo(f"Warning: {note}", err=True)
    if fitted.scores:
        click.echo(
            f"{len(fitted.scores)} scores were given to whole answers: a new answer's score "
            "follows how you scored the answers closest to it (the score model)",
            err=True,
        )
    click.echo(f"wrote {written}", err=True)
    click.echo(json.dumps(report.to_document(), indent=2))
