"""Read batch input files (CSV, JSONL, XLSX) into rows; a bad row is kept with its error."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.errors import InputFileError

INPUT_SUFFIXES = (".csv", ".jsonl", ".xlsx")
REQUIRED_COLUMNS = ("answer_id", "answer")


@dataclass(frozen=True)
class InputRow:
    """One row of a batch file: where it was, and either its fields or what is wrong with it."""

    line: int  # 1-based line (CSV, JSONL) or sheet row (XLSX), the header counted
    answer_id: str
    answer: str
    rubric_id: str | None = None
    error: str | None = None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # spreadsheets store ids like 17 as 17.0
    return str(value)


def _row(line: int, record: dict[str, Any], need_rubric: bool) -> InputRow:
    answer_id = _cell(record.get("answer_id")).strip()
    answer = _cell(record.get("answer"))
    rubric_id = _cell(record.get("rubric_id")).strip() or None
    problem = None
    if not answer_id:
        problem = "answer_id is empty"
    elif need_rubric and rubric_id is None:
        problem = "rubric_id is empty (needed when --rubric names a folder)"
    return InputRow(line, answer_id or f"line-{line}", answer, rubric_id, problem)


def _check_columns(path: Path, columns: list[str], need_rubric: bool) -> None:
    required = [*REQUIRED_COLUMNS, *(["rubric_id"] if need_rubric else [])]
    missing = [c for c in required if c not in columns]
    if missing:
        found = ", ".join(repr(c) for c in columns) or "none"
        raise InputFileError(
            f"{path}: missing column(s) {', '.join(repr(c) for c in missing)} (found: {found})"
        )


def _read_csv(path: Path, need_rubric: bool) -> Iterator[InputRow]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        _check_columns(path, [c.strip() for c in reader.fieldnames or []], need_rubric)
        reader.fieldnames = [c.strip() for c in reader.fieldnames or []]
        for record in reader:
            yield _row(reader.line_num, record, need_rubric)


def _read_jsonl(path: Path, need_rubric: bool) -> Iterator[InputRow]:
    with path.open(encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                yield InputRow(line, f"line-{line}", "", None, f"not valid JSON: {exc.msg}")
                continue
            if not isinstance(record, dict):
                yield InputRow(line, f"line-{line}", "", None, "each line must be a JSON object")
                continue
            row = _row(line, record, need_rubric)
            if not isinstance(record.get("answer", ""), str):
                row = InputRow(line, row.answer_id, "", row.rubric_id, "answer must be a string")
            yield row


def _read_xlsx(path: Path, need_rubric: bool) -> Iterator[InputRow]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/... for a broken file
        raise InputFileError(f"{path}: not a readable XLSX workbook: {exc}") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(c).strip() for c in next(rows, ())]
        _check_columns(path, header, need_rubric)
        for line, values in enumerate(rows, start=2):
            if all(v is None for v in values):
                continue
            yield _row(line, dict(zip(header, values, strict=False)), need_rubric)
    finally:
        workbook.close()


def read_rows(path: str | Path, need_rubric: bool = False) -> list[InputRow]:
    """All rows of a batch file. Duplicate answer ids (per rubric) become row errors."""
    path = Path(path)
    suffix = path.suffix.lower()
    readers = {".csv": _read_csv, ".jsonl": _read_jsonl, ".xlsx": _read_xlsx}
    if suffix not in readers:
        raise InputFileError(f"{path}: input must be .csv, .jsonl or .xlsx")
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        rows = list(readers[suffix](path, need_rubric))
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except csv.Error as exc:
        raise InputFileError(f"{path}: malformed CSV: {exc}") from exc
    seen: dict[tuple[str | None, str], int] = {}
    checked = []
    for row in rows:
        key = (row.rubric_id, row.answer_id)
        if row.error is None and key in seen:
            row = InputRow(
                row.line, row.answer_id, row.answer, row.rubric_id,
                f"duplicate answer_id {row.answer_id!r} (first on line {seen[key]})",
            )  # fmt: skip
        else:
            seen.setdefault(key, row.line)
        checked.append(row)
    return checked
