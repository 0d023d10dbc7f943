"""Graded answers lent between questions that ask for the same point: which questions share,
and the evaluation that grades an unseen question with them (real encoder, real engine)."""

from __future__ import annotations

import json
from pathlib import Path

from assess import Grader
from assess.datasets import read_split, semeval_rubric
from assess.evaluation import evaluate_split, label_of, teacher_calibrations
from assess.shared_points import lent_answers
from models.thresholds import load_thresholds
from tests.assess.test_evaluation import ANSWERS, QUESTION, REFERENCES

BULB = "The bulb goes out because the circuit is open."
# The teacher's grades of question Q1; the first is a correct answer in words the point
# never uses, so only the teacher's grade can make it `covered`.
TAUGHT = "No current can flow round any more, so the lamp in the loop goes dark."
GRADED = [
    (TAUGHT, "correct"),
    ("Without a complete loop no current flows and the lamp goes dark.", "correct"),
    ("Current stops and the lamp is dark as the loop is broken.", "correct"),
    ("The bulb stays lit.", "contradictory"),
    ("The bulb gets brighter.", "contradictory"),
    ("The bulb keeps shining the same.", "contradictory"),
    ("The battery is used up.", "incorrect"),
    ("Because of the switch.", "incorrect"),
    ("It depends on the wires.", "incorrect"),
]


def row(question_id: str, question: str, references: list[dict[str, str]], answer: str,
        label: str, split: str) -> dict[str, object]:  # fmt: skip
    return {"corpus": "beetle", "split": split, "question_id": question_id,
            "question": question, "reference_answers": references,
            "answer_id": answer, "answer": answer, "label": label}  # fmt: skip


def write(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")


def test_only_questions_with_the_same_model_answer_borrow_and_never_from_themselves(
    grader: Grader, tmp_path: Path
) -> None:
    same = [{"id": "r", "category": "BEST", "text": BULB}]
    other = [{"id": "r", "category": "BEST", "text": "Plants make sugar from light."}]
    path = tmp_path / "beetle" / "train.jsonl"
    write(path, [row("Q1", QUESTION, same, a, label, "train") for a, label in GRADED])
    graded = {"beetle/Q1": read_split(path)}
    asked = {
        "beetle/Q1": graded["beetle/Q1"][0].rubric,  # its own answers are never lent to it
        "beetle/Q2": semeval_rubric(row("Q2", "Why is bulb B off?", same, "", "", "x")),
        "beetle/Q3": semeval_rubric(row("Q3", "What do leaves do?", other, "", "", "x")),
    }
    lent = lent_answers(grader.encoder, graded, asked)
    assert set(lent) == {"beetle/Q2"}
    assert len(lent["beetle/Q2"]) == len(GRADED)
    assert {a.group for a in lent["beetle/Q2"]} == {"beetle/Q2"}
    assert {a.rubric.id for a in lent["beetle/Q2"]} == {asked["beetle/Q2"].id}


def test_an_unseen_question_is_graded_with_the_grades_of_a_question_sharing_its_point(
    grader: Grader, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    unseen = "beetle/test_unseen_questions.jsonl"
    write(data / unseen, [row("Q9", "Why did the lamp go dark when the switch opened?",
                              REFERENCES, TAUGHT, "correct", "test_unseen_questions")]
          + [row("Q9", "Why did the lamp go dark when the switch opened?", REFERENCES, a,
                 label, "test_unseen_questions") for _, a, label in ANSWERS])  # fmt: skip
    write(data / "beetle/train.jsonl",
          [row("Q1", QUESTION, REFERENCES, a, label, "train") for a, label in GRADED])  # fmt: skip
    evaluation = evaluate_split(
        grader, data, "beetle", "test_unseen_questions", load_thresholds(), graded_split="train"
    )
    assert evaluation.extra["graded_questions"] == "0 of 1"  # type: ignore[union-attr]
    assert evaluation.extra["questions_sharing_a_graded_point"] == "1 of 1"  # type: ignore[union-attr]
    assert "engine_graded" in evaluation.summary()  # type: ignore[union-attr]
    # The answer the teacher graded for Q1 gets the teacher's grade for Q9 too.
    rubric = read_split(data / unseen)[0].rubric
    assert label_of(grader.assess(rubric, TAUGHT)) != "correct"
    graded = read_split(data / "beetle/train.jsonl")
    twin, own, lent = teacher_calibrations(grader, graded, {"beetle/Q9": rubric})
    assert (own, lent) == (0, 1)
    assert label_of(twin.assess(rubric, TAUGHT)) == "correct"
