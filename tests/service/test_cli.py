"""The `assess` command line, run in-process with click's CliRunner on the real model."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from rubrics import library_path
from service.cli import cli
from service.settings import get_settings

LIBRARY = library_path() / "track-ii"
COMPLEMENT = LIBRARY / "complement.yaml"


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_score_json_prints_the_engine_result() -> None:
    code, out, _ = run(
        "score", "--rubric", str(COMPLEMENT), "--answer", "It builds trust.", "--json"
    )
    assert code == 0
    document = json.loads(out)
    assert document["rubric_id"] == "track-ii/complement"
    assert [p["id"] for p in document["points"]] == [
        "informal-space", "trust-building", "informs-official",
    ]  # fmt: skip


def test_score_table_shows_every_point_and_the_feedback(tmp_path: Path) -> None:
    answer = tmp_path / "answer.txt"
    answer.write_text("It builds trust between enemies.", encoding="utf-8")
    code, out, _ = run("score", "--rubric", str(COMPLEMENT), "--answer-file", str(answer))
    assert code == 0
    for label in ("informal space for dialogue", "trust-building", "complementing official"):
        assert label in out
    assert "You covered" in out


def test_score_reads_stdin_and_a_folder_with_an_id() -> None:
    code, out, _ = run(
        "score", "--rubric", str(LIBRARY), "--rubric-id", "track-ii/challenges",
        "--answer-file", "-", "--json", input="Officials ignore their ideas.",
    )  # fmt: skip
    assert code == 0
    assert json.loads(out)["rubric_id"] == "track-ii/challenges"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "--rubric", "nope.yaml", "--answer", "x"], "Error: nope.yaml: cannot read"),
        (["score", "--rubric", str(LIBRARY), "--answer", "x"], "add --rubric-id"),
        (["score", "--rubric", str(COMPLEMENT)], "give exactly one of --answer or --answer-file"),
        (
            ["score", "--rubric", str(LIBRARY), "--rubric-id", "x/y", "--answer", "x"],
            "Error: no rubric with id 'x/y'",
        ),
        (
            ["grade", "--rubric", str(COMPLEMENT), "missing.csv", "-o", "o.csv"],
            "missing.csv: no such file",
        ),
    ],
)
def test_mistakes_are_errors_not_tracebacks(args: list[str], message: str) -> None:
    code, _, err = run(*args)
    assert code != 0
    assert message in err
    assert "Traceback" not in err


def test_an_overlong_answer_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSESS_MAX_ANSWER_CHARS", "10")
    code, _, err = run("score", "--rubric", str(COMPLEMENT), "--answer", "far too long an answer")
    assert code == 1
    assert "Error: answer is 22 characters; the limit is 10 (set ASSESS_MAX_ANSWER_CHARS" in err


def test_rubric_check_passes_the_library_and_fails_a_bad_file(tmp_path: Path) -> None:
    code, out, _ = run("rubric", "check", str(LIBRARY))
    assert code == 0
    assert out.count("ok track-ii/") == 3
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: x\nquestion: q\npoints: []\n")
    code, _, err = run("rubric", "check", str(COMPLEMENT), str(bad))
    assert code == 1
    assert f"Error: {bad}: points: needs at least one point" in err


def test_rubric_build_writes_a_draft_that_checks(tmp_path: Path) -> None:
    output = tmp_path / "draft.yaml"
    code, out, _ = run(
        "rubric", "build", "--question", "Why do we sweat?", "--id", "bio/sweat",
        "--model-answer", "Sweat evaporates from the skin, which cools the body. "
        "It also removes some salts.", "-o", str(output),
    )  # fmt: skip
    assert code == 0, out
    assert "wrote" in out
    code, out, _ = run("rubric", "check", str(output))
    assert code == 0 and "ok bio/sweat" in out


def test_grade_streams_resumes_and_shows_a_table(tmp_path: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text(
        "answer_id,rubric_id,answer\n"
        "1,track-ii/complement,It builds trust.\n"
        "2,track-ii/challenges,They lack legitimacy.\n",
        encoding="utf-8",
    )
    output = tmp_path / "out.jsonl"
    code, out, err = run(
        "grade", "--rubric", str(LIBRARY), str(source), "-o", str(output), "--show"
    )
    assert code == 0
    assert "2 rows: 2 graded, 0 already in" in err
    assert out.count("track-ii/") == 2 and "You covered" not in out
    code, _, err = run("grade", "--rubric", str(LIBRARY), str(source), "-o", str(output))
    assert code == 0
    assert "0 graded, 2 already in" in err
    assert len(output.read_text().splitlines()) == 2


def test_evaluate_prints_the_figures_as_json(tmp_path: Path) -> None:
    from tests.assess.test_evaluation import write_semeval_split

    data = write_semeval_split(tmp_path / "data")
    code, out, _ = run(
        "evaluate", "--data", str(data), "--corpus", "beetle", "--split", "test_unseen_answers",
        "--json",
    )  # fmt: skip
    assert code == 0
    assert set(json.loads(out)) == {
        "accuracy", "macro_f1", "weighted_f1", "accuracy_2way", "macro_f1_2way", "n"
    }  # fmt: skip


@pytest.mark.parametrize("artefact", ["point-v6.json", "coverage-v1.json"])
def test_evaluate_records_the_test_figures_in_the_model_card(tmp_path: Path, artefact: str) -> None:
    import shutil

    from models.artefact import artefacts_path
    from tests.assess.test_evaluation import write_semeval_split

    card = tmp_path / artefact
    shutil.copy(artefacts_path() / artefact, card)
    data = write_semeval_split(tmp_path / "data")
    code, out, err = run(
        "evaluate", "--data", str(data), "--corpus", "beetle", "--split", "test_unseen_answers",
        "--json", "--card", str(card),
    )  # fmt: skip
    assert code == 0, err
    before = json.loads((artefacts_path() / artefact).read_text())
    after = json.loads(card.read_text())
    recorded = after["card"]["test"]
    assert recorded["splits"]["beetle/test_unseen_answers"] == json.loads(out)
    assert recorded["command"].startswith("assess evaluate --data")
    # The model is untouched: only its card gained the figures.
    assert {k: v for k, v in after.items() if k != "card"} == {
        k: v for k, v in before.items() if k != "card"
    }


def test_evaluate_names_a_missing_split(tmp_path: Path) -> None:
    code, _, err = run("evaluate", "--data", str(tmp_path), "--corpus", "x", "--split", "y")
    assert code == 1
    assert "DIR/CORPUS/SPLIT.jsonl" in err
