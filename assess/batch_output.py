"""Write batch results as CSV (gradebook-ready) or JSONL, streaming, resumable after a crash."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from assess.errors import OutputFileError
from assess.result import AssessmentResult
from rubrics import Rubric

OUTPUT_SUFFIXES = (".csv", ".jsonl")
BASE_COLUMNS = (
    "answer_id", "rubric_id", "score", "max_score", "confidence", "needs_review", "status",
    "flags",
)  # fmt: skip
TAIL_COLUMNS = ("feedback", "error")

Key = tuple[str, str]  # (rubric_id, answer_id)


def point_columns(rubrics: Sequence[Rubric]) -> list[str]:
    """One coverage column per point; the rubric id is named only when there are several."""
    if len(rubrics) == 1:
        return [f"coverage:{p.id}" for p in rubrics[0].points]
    return [f"coverage:{r.id}:{p.id}" for r in rubrics for p in r.points]


def status_summary(result: AssessmentResult) -> str:
    """`covered 2, partial 1, missing 0` (and contradicted when there are any)."""
    counts = {"covered": 0, "partial": 0, "missing": 0, "contradicted": 0}
    for point in result.points:
        counts[point.status] += 1
    if not counts["contradicted"]:
        del counts["contradicted"]
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _truncate_partial_line(path: Path) -> None:
    """Drop a last line cut short by a crash, so resuming appends after whole records only."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        keep = data.rfind(b"\n") + 1
        with path.open("r+b") as handle:
            handle.truncate(keep)


class ResultWriter:
    """Appends results to an output file, one flushed line per result.

    On open it reads what the file already holds: `done` is the set of (rubric_id, answer_id)
    already written, which the batch skips.
    """

    def __init__(self, path: str | Path, rubrics: Sequence[Rubric]) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower()
        if suffix not in OUTPUT_SUFFIXES:
            raise OutputFileError(f"{self.path}: output must be .csv or .jsonl")
        self.is_csv = suffix == ".csv"
        self.rubrics = {r.id: r for r in rubrics}
        self.columns = [*BASE_COLUMNS, *point_columns(list(rubrics)), *TAIL_COLUMNS]
        self.single = len(rubrics) == 1
        self.done: set[Key] = set()
        self._handle: IO[str] | None = None

    def __enter__(self) -> ResultWriter:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fresh = not self.path.exists() or self.path.stat().st_size == 0
            if not fresh:
                _truncate_partial_line(self.path)
                self.done = self._read_done()
            self._handle = self.path.open("a", encoding="utf-8", newline="")
        except OSError as exc:
            raise OutputFileError(f"{self.path}: cannot write: {exc.strerror or exc}") from exc
        if fresh and self.is_csv:
            self._write_line(self._csv_line(self.columns))
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _read_done(self) -> set[Key]:
        done: set[Key] = set()
        with self.path.open(encoding="utf-8", newline="") as handle:
            if self.is_csv:
                reader = csv.reader(handle)
                header = next(reader, [])
                if header != self.columns:
                    raise OutputFileError(
                        f"{self.path}: exists with other columns; it was written for other "
                        "rubrics. Choose a new output file, or delete this one to start over."
                    )
                for record in reader:
                    if len(record) == len(header):
                        done.add((record[1], record[0]))
            else:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                        done.add((str(record.get("rubric_id")), str(record["answer_id"])))
                    except (json.JSONDecodeError, KeyError, AttributeError) as exc:
                        raise OutputFileError(
                            f"{self.path}: line {number} is not a result written by assess; "
                            "choose a new output file"
                        ) from exc
        return done

    @staticmethod
    def _csv_line(values: Sequence[Any]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(values)
        return buffer.getvalue()

    def _write_line(self, line: str) -> None:
        assert self._handle is not None, "use ResultWriter as a context manager"
        self._handle.write(line)

    def _csv_result(self, result: AssessmentResult) -> list[Any]:
        values: dict[str, Any] = {
            "answer_id": result.answer_id,
            "rubric_id": result.rubric_id,
            "score": result.score,
            "max_score": result.max_score,
            "confidence": result.confidence,
            "needs_review": str(result.needs_review).lower(),
            "status": status_summary(result),
            "flags": ";".join(result.flags),
            "feedback": result.feedback,
            "error": "",
        }
        for point in result.points:
            name = (
                f"coverage:{point.id}" if self.single else f"coverage:{result.rubric_id}:{point.id}"
            )
            values[name] = point.coverage
        return [values.get(column, "") for column in self.columns]

    def write_result(self, result: AssessmentResult) -> None:
        """Append one result."""
        if self.is_csv:
            self._write_line(self._csv_line(self._csv_result(result)))
        else:
            self._write_line(result.model_dump_json() + "\n")
        self.done.add((result.rubric_id, result.answer_id or ""))

    def write_error(self, rubric_id: str, answer_id: str, line: int, message: str) -> None:
        """Append a row that could not be graded, with what was wrong; the batch goes on."""
        error = f"line {line}: {message}"
        if self.is_csv:
            values = {"answer_id": answer_id, "rubric_id": rubric_id, "error": error}
            self._write_line(self._csv_line([values.get(c, "") for c in self.columns]))
        else:
            record = {"answer_id": answer_id, "rubric_id": rubric_id, "error": error}
            self._write_line(json.dumps(record, ensure_ascii=False) + "\n")
        self.done.add((rubric_id, answer_id))

    def flush(self) -> None:
        """Make what was written survive a crash of this process or the machine."""
        assert self._handle is not None
        self._handle.flush()
        os.fsync(self._handle.fileno())
