"""Grade a whole file of answers: chunked, streamed to the output, resumable."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from assess.analyse import AnswerRequest
from assess.batch_input import InputRow, read_rows
from assess.batch_output import ResultWriter
from assess.errors import AssessError
from assess.grader import Grader
from rubrics import Rubric

DEFAULT_CHUNK_ROWS = 64

Progress = Callable[[int], None]


@dataclass(frozen=True)
class BatchSummary:
    """What one run of a batch did."""

    total: int
    graded: int
    skipped: int  # already in the output from an earlier run
    errors: int


def grade_file(
    grader: Grader,
    rubrics: Mapping[str, Rubric],
    input_path: str | Path,
    output_path: str | Path,
    progress: Progress | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_total: Progress | None = None,
) -> BatchSummary:
    """Grade every row not already in the output.

    `on_total(n)` is called once with the number of rows, `progress(n)` as rows finish.

    With one rubric every row is graded against it; with several, each row's `rubric_id`
    picks its rubric. Rows are encoded a chunk at a time in one batch and each chunk is
    flushed before the next, so a crash loses at most the chunk in hand, and a rerun of the
    same command picks up where the last one stopped.
    """
    only = next(iter(rubrics.values())) if len(rubrics) == 1 else None
    rows = read_rows(input_path, need_rubric=only is None)
    if on_total:
        on_total(len(rows))
    graded = errors = skipped = 0
    with ResultWriter(output_path, list(rubrics.values())) as writer:
        pending: list[tuple[InputRow, Rubric]] = []

        def rubric_key(row: InputRow) -> str:
            return only.id if only is not None else (row.rubric_id or "")

        def run_pending() -> None:
            nonlocal graded, errors
            if not pending:
                return
            outcomes = grader.assess_many(
                [AnswerRequest(rubric, row.answer, row.answer_id) for row, rubric in pending]
            )
            for (row, rubric), outcome in zip(pending, outcomes, strict=True):
                if isinstance(outcome, AssessError):
                    writer.write_error(rubric.id, row.answer_id, row.line, str(outcome))
                    errors += 1
                else:
                    writer.write_result(outcome)
                    graded += 1
            writer.flush()
            if progress:
                progress(len(pending))
            pending.clear()

        for row in rows:
            key = (rubric_key(row), row.answer_id)
            if key in writer.done:
                skipped += 1
                if progress:
                    progress(1)
                continue
            rubric = only or rubrics.get(row.rubric_id or "")
            message = row.error or (
                None if rubric else f"no rubric with id {row.rubric_id!r} under --rubric"
            )
            if message is not None:
                writer.write_error(key[0], row.answer_id, row.line, message)
                errors += 1
                if progress:
                    progress(1)
                continue
            assert rubric is not None
            pending.append((row, rubric))
            if len(pending) >= chunk_rows:
                run_pending()
        run_pending()
        writer.flush()
    return BatchSummary(total=len(rows), graded=graded, skipped=skipped, errors=errors)
