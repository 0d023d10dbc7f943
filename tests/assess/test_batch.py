"""Grading files: streaming, resuming, bad rows, every input format, folders of rubrics."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from assess import Grader, InputFileError, OutputFileError, grade_file, read_rows
from rubrics import Rubric

ANSWERS = [
    "It builds trust between the parties.",
    "Informal dialogue lets people speak freely without the pressure of formal talks.",
    "Ideas from unofficial talks inform official negotiations.",
    "Plants need sunlight.",
    "",
]


def write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_jsonl(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def two_hundred(tmp_path: Path) -> Path:
    rows = [
        {"answer_id": f"a{i:03d}", "answer": ANSWERS[i % len(ANSWERS)] + f" ({i})"}
        for i in range(200)
    ]
    return write_csv(tmp_path / "in.csv", rows)


def test_200_rows_graded_twice_give_each_answer_once(
    grader: Grader, complement: Rubric, tmp_path: Path
) -> None:
    source = two_hundred(tmp_path)
    output = tmp_path / "out.csv"
    first = grade_file(grader, {complement.id: complement}, source, output)
    assert (first.total, first.graded, first.skipped, first.errors) == (200, 200, 0, 0)
    second = grade_file(grader, {complement.id: complement}, source, output)
    assert (second.graded, second.skipped) == (0, 200)
    with output.open(encoding="utf-8", newline="") as handle:
        ids = [row["answer_id"] for row in csv.DictReader(handle)]
    assert sorted(ids) == [f"a{i:03d}" for i in range(200)]


def test_a_run_cut_short_resumes_where_it_stopped(
    grader: Grader, complement: Rubric, tmp_path: Path
) -> None:
    source = two_hundred(tmp_path)
    output = tmp_path / "out.jsonl"
    grade_file(grader, {complement.id: complement}, source, output)
    lines = output.read_text(encoding="utf-8").splitlines(keepends=True)
    # As if the process died mid-write: 120 whole lines and half of the next one.
    output.write_text("".join(lines[:120]) + lines[120][:40], encoding="utf-8")
    seen: list[int] = []
    summary = grade_file(grader, {complement.id: complement}, source, output, progress=seen.append)
    assert (summary.graded, summary.skipped) == (80, 120)
    assert sum(seen) == 200
    records = read_jsonl(output)
    assert sorted(r["answer_id"] for r in records) == [f"a{i:03d}" for i in range(200)]


def test_csv_output_has_a_column_per_point(
    grader: Grader, complement: Rubric, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "in.csv", [{"answer_id": "1", "answer": ANSWERS[0]}])
    output = tmp_path / "out.csv"
    grade_file(grader, {complement.id: complement}, source, output)
    with output.open(encoding="utf-8", newline="") as handle:
        row = next(csv.DictReader(handle))
    assert [k for k in row if k.startswith("coverage:")] == [
        "coverage:informal-space", "coverage:trust-building", "coverage:informs-official",
    ]  # fmt: skip
    assert row["status"].startswith("covered ")
    assert float(row["score"]) <= float(row["max_score"])
    assert row["needs_review"] in ("true", "false")


def test_bad_rows_are_reported_and_the_batch_goes_on(
    grader: Grader, calibrator: object, complement: Rubric, tmp_path: Path
) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"answer_id": "ok", "answer": "It builds trust."}\n'
        "{not json\n"
        '{"answer_id": "", "answer": "no id"}\n'
        '{"answer_id": "ok", "answer": "duplicate id"}\n'
        '{"answer_id": "num", "answer": 5}\n'
        '["a list"]\n'
        '{"answer_id": "last", "answer": "Informal talks help."}\n',
        encoding="utf-8",
    )
    output = tmp_path / "out.jsonl"
    summary = grade_file(grader, {complement.id: complement}, source, output)
    assert (summary.graded, summary.errors) == (2, 5)
    errors = {r["answer_id"]: r["error"] for r in read_jsonl(output) if "error" in r}
    assert errors["line-2"].startswith("line 2: not valid JSON")
    assert errors["line-3"] == "line 3: answer_id is empty"
    assert errors["num"] == "line 5: answer must be a string"
    assert errors["line-6"] == "line 6: each line must be a JSON object"
    assert "duplicate answer_id 'ok' (first on line 1)" in errors["ok"]


def test_an_overlong_answer_is_a_row_error(
    grader: Grader, calibrator: object, complement: Rubric, tmp_path: Path
) -> None:
    from assess import GraderConfig
    from models.calibrator import LogisticCalibrator

    assert isinstance(calibrator, LogisticCalibrator)
    strict = Grader(grader.encoder, calibrator, GraderConfig(max_answer_chars=20))
    source = write_csv(
        tmp_path / "in.csv",
        [{"answer_id": "long", "answer": "x " * 50}, {"answer_id": "short", "answer": "Trust."}],
    )
    output = tmp_path / "out.jsonl"
    summary = grade_file(strict, {complement.id: complement}, source, output)
    assert (summary.graded, summary.errors) == (1, 1)
    assert "the limit is 20" in read_jsonl(output)[0]["error"]


def test_xlsx_input_and_a_folder_of_rubrics(
    grader: Grader, library: dict[str, Rubric], tmp_path: Path
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["answer_id", "rubric_id", "answer"])
    sheet.append([1, "track-ii/complement", "It builds trust."])
    sheet.append([2, "track-ii/challenges", "Participants have no official authority."])
    sheet.append([3, "track-ii/unknown", "Anything."])
    workbook.save(tmp_path / "in.xlsx")
    output = tmp_path / "out.jsonl"
    summary = grade_file(grader, library, tmp_path / "in.xlsx", output)
    assert (summary.graded, summary.errors) == (2, 1)
    records = {r["answer_id"]: r for r in read_jsonl(output)}
    assert records["1"]["rubric_id"] == "track-ii/complement"
    assert records["2"]["rubric_id"] == "track-ii/challenges"
    assert "no rubric with id 'track-ii/unknown'" in str(records["3"]["error"])


def test_a_folder_of_rubrics_needs_a_rubric_id_column(
    grader: Grader, library: dict[str, Rubric], tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "in.csv", [{"answer_id": "1", "answer": "x"}])
    with pytest.raises(InputFileError, match="missing column\\(s\\) 'rubric_id'"):
        grade_file(grader, library, source, tmp_path / "out.csv")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("in.txt", "x", "input must be .csv, .jsonl or .xlsx"),
        ("in.csv", "id,text\n1,hello\n", "missing column(s) 'answer_id', 'answer'"),
        ("in.xlsx", "not a zip", "not a readable XLSX workbook"),
    ],
)
def test_unreadable_inputs_are_clear_errors(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    (tmp_path / name).write_text(content)
    with pytest.raises(InputFileError) as caught:
        read_rows(tmp_path / name)
    assert message in str(caught.value)


def test_non_utf8_input_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_bytes("answer_id,answer\n1,caf\xe9\n".encode("latin-1"))
    with pytest.raises(InputFileError, match="not UTF-8"):
        read_rows(tmp_path / "in.csv")


def test_resuming_into_an_output_for_other_rubrics_is_refused(
    grader: Grader, library: dict[str, Rubric], complement: Rubric, tmp_path: Path
) -> None:
    source = write_csv(tmp_path / "in.csv", [{"answer_id": "1", "answer": "Trust."}])
    output = tmp_path / "out.csv"
    grade_file(grader, {complement.id: complement}, source, output)
    other = library["track-ii/challenges"]
    with pytest.raises(OutputFileError, match="exists with other columns"):
        grade_file(grader, {other.id: other}, source, output)
