"""`assess evaluate`: agreement with human graders on public splits, with a report."""

from __future__ import annotations

import json
import shlex
from collections.abc import Sequence
from datetime import date
from functools import partial
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress

from assess import USER_ERRORS
from assess.datasets import split_path
from assess.evaluation import SplitEvaluation, evaluate_split
from assess.evaluation_report import write_report
from models import ModelLoadError
from models.artefact import read_artefact, write_artefact
from models.calibrator import ARTEFACT_SCHEMA
from models.example_model import EXAMPLE_MODEL_SCHEMA
from models.point_model import POINT_MODEL_SCHEMA
from models.thresholds import load_thresholds
from service.settings import get_settings
from service.wiring import build_grader


@click.command("evaluate")
@click.option("--data", type=click.Path(path_type=Path), required=True,
              help="Folder laid out as DIR/CORPUS/SPLIT.jsonl.")  # fmt: skip
@click.option("--corpus", "corpora", multiple=True, required=True,
              help="Corpus folder (beetle, sciEntsBank, saf-english); repeatable.")  # fmt: skip
@click.option("--split", "splits", multiple=True, required=True,
              help="Split file name without .jsonl; repeatable.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--report", type=click.Path(path_type=Path),
              help="Write a Markdown report and confusion matrices into this folder.")  # fmt: skip
@click.option("--graded-split", help="Also grade after calibrating each question on this "
              "split's answers to it, as a teacher's grades, or to the questions that share "
              "its point (SemEval; e.g. train).")  # fmt: skip
@click.option("--card", "cards", type=click.Path(path_type=Path), multiple=True,
              help="Record SemEval test figures in this model's card; repeatable.")  # fmt: skip
def evaluate(
    data: Path, corpora: tuple[str, ...], splits: tuple[str, ...], as_json: bool,
    report: Path | None, graded_split: str | None, cards: tuple[Path, ...],
) -> None:  # fmt: skip
    """Measure agreement with human graders on each CORPUS x SPLIT of DIR."""
    try:
        pairs = [(c, s) for c in corpora for s in splits]
        for corpus, split in pairs:
            split_path(data, corpus, split)  # fail before any work
        settings = get_settings()
        grader = build_grader(settings)
        baselines = load_thresholds()
        evaluations = []
        with Progress(*Progress.get_default_columns()[:-1], BarColumn(), MofNCompleteColumn(),
                      console=Console(stderr=True), transient=True) as bar:  # fmt: skip
            for corpus, split in pairs:
                task = bar.add_task(f"{corpus}/{split}", total=None)
                advance = partial(bar.advance, task)
                evaluations.append(
                    evaluate_split(grader, data, corpus, split, baselines, advance, graded_split)
                )
    except USER_ERRORS as exc:
        raise click.ClickException(str(exc)) from exc
    # Rebuilt from the options (not sys.argv), so the record names exactly what was measured.
    words = ["--data", str(data)]
    for name, values in (("--corpus", corpora), ("--split", splits)):
        for value in values:
            words += [name, value]
    if graded_split:
        words += ["--graded-split", graded_split]
    command = "assess evaluate " + " ".join(shlex.quote(w) for w in words)
    for card in cards:
        try:
            record_test_figures(
                card, evaluations, command, grader.encoder.info.name,
                f"{grader.judge.info.name}, {grader.config.judge_weight:g} of P(covered)"
                if grader.judge else None,
            )  # fmt: skip
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"recorded the test figures in {card}", err=True)
    if report is not None:
        judge = (
            f"{grader.judge.info.name} (its denials, and {grader.config.judge_weight:g} of "
            "P(covered))"
            if grader.judge
            else "none"
        )
        examples = grader.example_model.version if grader.example_model else "none"
        scores = grader.score_model.version if grader.score_model else "none"
        engine = (
            f"encoder {grader.encoder.info.name} ({settings.encoder_backend}), scorer "
            f"{grader.scorer_version}, example model "
            f"{examples}, score model {scores}, pair judge {judge}"
        )
        written = write_report(evaluations, report, command, engine)
        click.echo(f"wrote {written}", err=True)
    if as_json:
        summaries = {f"{e.corpus}/{e.split}": e.summary() for e in evaluations}
        only = len(summaries) == 1
        click.echo(json.dumps(next(iter(summaries.values())) if only else summaries, indent=2))
    else:
        for e in evaluations:
            click.echo(f"{e.corpus}/{e.split}: {json.dumps(e.summary())}")


def record_test_figures(
    card: Path, evaluations: Sequence[object], command: str, encoder: str, judge: str | None = None
) -> None:
    """Write the engine's test-split figures into a point model's, example model's or
    calibrator's model card, beside its cross-validated ones (they are measured with it,
    never used to fit it; `engine_graded` is the example model's part)."""
    document = None
    for schema in (POINT_MODEL_SCHEMA, EXAMPLE_MODEL_SCHEMA):
        try:
            document = read_artefact(card, schema, "model")
            break
        except ModelLoadError:
            continue
    if document is None:
        document = read_artefact(card, ARTEFACT_SCHEMA, "point model, example model or calibrator")
    figures = {
        f"{e.corpus}/{e.split}": e.summary() for e in evaluations if isinstance(e, SplitEvaluation)
    }
    document.setdefault("card", {})["test"] = {
        "command": command,
        "encoder": encoder,
        "judge": judge,
        "date": date.today().isoformat(),
        "splits": {**document.get("card", {}).get("test", {}).get("splits", {}), **figures},
    }
    write_artefact(document, card)
