"""The `assess` command line: build and check rubrics, score one answer, grade a file."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from assess import USER_ERRORS, AssessmentResult, Grader, grade_file
from assess.recalibration import calibrations_near
from rubrics import build_rubric, get_rubric, load_rubric, load_rubrics, save_rubric
from service.cli_calibrate import calibrate
from service.cli_evaluate import evaluate
from service.cli_keys import keys
from service.cli_lti import lti
from service.cli_serve import serve
from service.render import show_batch, show_result
from service.settings import get_settings
from service.wiring import build_encoder, build_grader

F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn the engine's errors into `Error: ...` and exit 1, never a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except USER_ERRORS as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="assess")
def cli() -> None:
    """assess: per-point coverage, scores, flags and feedback for answers against rubrics."""


cli.add_command(evaluate)
cli.add_command(calibrate)


@cli.group()
def rubric() -> None:
    """Build and check rubric files."""


@rubric.command("build")
@click.option("--question", required=True, help="The question the rubric is for.")
@click.option(
    "--model-answer", "model_answers", multiple=True, required=True,
    help="A model answer; repeat for several.",
)  # fmt: skip
@click.option("--id", "rubric_id", default="draft", show_default=True, help="Rubric id.")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Where to write the draft (.yaml, .yml or .json).")  # fmt: skip
@friendly_errors
def rubric_build(
    question: str, model_answers: tuple[str, ...], rubric_id: str, output: Path
) -> None:
    """Draft a rubric from a question and model answers (edit it before use)."""
    draft = build_rubric(question, list(model_answers), build_encoder(get_settings()), rubric_id)
    save_rubric(draft, output)
    click.echo(
        f"wrote {output}: {len(draft.points)} points ({', '.join(p.id for p in draft.points)})"
    )


@rubric.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def rubric_check(files: tuple[Path, ...]) -> None:
    """Validate rubric files (or folders of them); exit 1 if any is invalid."""
    failed = 0
    for path in files:
        try:
            rubrics = load_rubrics(path)
        except USER_ERRORS as exc:
            failed += 1
            click.echo(f"Error: {exc}", err=True)
            continue
        for found in rubrics.values():
            click.echo(f"ok {found.id} (version {found.version}, {len(found.points)} points)")
    if failed:
        raise SystemExit(1)


def _read_answer(answer: str | None, answer_file: Path | None) -> str:
    if (answer is None) == (answer_file is None):
        raise click.UsageError("give exactly one of --answer or --answer-file")
    if answer_file is not None:
        if str(answer_file) == "-":
            return sys.stdin.read()
        try:
            return answer_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"{answer_file}: cannot read: {exc}") from exc
    assert answer is not None
    return answer


@cli.command()
@click.option("--rubric", "rubric_path", required=True, type=click.Path(path_type=Path),
              help="Rubric file, or a folder of them with --rubric-id.")  # fmt: skip
@click.option("--rubric-id", help="Which rubric, when --rubric names a folder.")
@click.option("--answer", help="The answer text.")
@click.option(
    "--answer-file", type=click.Path(path_type=Path), help="File with the answer ('-': stdin)."
)
@click.option("--answer-id", help="An id to record with the result.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@friendly_errors
def score(
    rubric_path: Path,
    rubric_id: str | None,
    answer: str | None,
    answer_file: Path | None,
    answer_id: str | None,
    as_json: bool,
) -> None:
    """Assess one answer and show each point, the score, flags and feedback."""
    text = _read_answer(answer, answer_file)
    if rubric_path.is_dir():
        if not rubric_id:
            raise click.UsageError("--rubric names a folder: add --rubric-id")
        chosen = get_rubric(load_rubrics(rubric_path), rubric_id)
    else:
        chosen = load_rubric(rubric_path)
    grader = _calibrated_grader(rubric_path)
    result = grader.assess(chosen, text, answer_id)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
    else:
        show_result(Console(), result)


def _calibrated_grader(rubric_path: Path) -> Grader:
    """The engine with the calibrations saved beside the rubric, warning on stderr of any
    fitted on another scorer than the one it runs (an upgrade since)."""
    grader = build_grader(get_settings())
    calibrations = calibrations_near(rubric_path)
    for calibration in calibrations.values():
        warning = calibration.stale_warning(grader.scorer_version)
        if warning:
            click.echo(f"warning: {warning}", err=True)
    return grader.calibrated(calibrations)


def _results(path: Path, limit: int) -> Iterator[AssessmentResult]:
    if path.suffix.lower() != ".jsonl":
        return
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n >= limit:
                return
            record = json.loads(line)
            if "error" not in record:
                yield AssessmentResult.model_validate(record)


@cli.command()
@click.option(
    "--rubric", "rubric_path", required=True, type=click.Path(path_type=Path),
    help="Rubric file, or a folder searched recursively (rows then need rubric_id).",
)  # fmt: skip
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="Results file (.csv or .jsonl); rerunning resumes it.")  # fmt: skip
@click.option("--show", is_flag=True, help="Print a table of the results (JSONL output).")
@friendly_errors
def grade(rubric_path: Path, input_path: Path, output: Path, show: bool) -> None:
    """Grade every answer of a CSV, JSONL or XLSX file; resumes where a run stopped."""
    rubrics = load_rubrics(rubric_path)
    grader = _calibrated_grader(rubric_path)
    stderr = Console(stderr=True)
    columns = (*Progress.get_default_columns()[:-1], BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=stderr, transient=False) as bar:
        task = bar.add_task("grading", total=None)
        summary = grade_file(
            grader,
            rubrics,
            input_path,
            output,
            progress=lambda n: bar.advance(task, n),
            on_total=lambda n: bar.update(task, total=n),
        )
    stderr.print(
        f"{summary.total} rows: {summary.graded} graded, {summary.skipped} already in "
        f"{output}, {summary.errors} with errors -> {output}"
    )
    if show:
        show_batch(Console(), _results(output, limit=500))


cli.add_command(serve)
cli.add_command(keys)
cli.add_command(lti)


def main() -> None:
    """Entry point of the `assess` command."""
    cli(prog_name="assess")
