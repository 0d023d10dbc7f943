"""Evaluation against human labels: the figures, the label mapping and the split reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assess import Grader
from assess.baselines import word_overlap
from assess.datasets import read_jsonl, read_split, split_path
from assess.errors import InputFileError
from assess.evaluation import (
    classification_figures,
    evaluate_split,
    expected_calibration_error,
    label_of,
    labels_read_as,
    reliability_bins,
)
from assess.evaluation_report import write_report
from models.thresholds import load_thresholds
from tests.helpers import SEMEVAL

QUESTION = "What happens to the bulb when the switch is open?"
REFERENCES = [
    {"id": "r1", "category": "BEST", "text": "The bulb goes out because the circuit is open."},
    {"id": "r2", "category": "BEST", "text": "There is no closed path, so the bulb is off."},
]
ANSWERS = [
    ("a1", "The bulb goes off since the circuit is not closed.", "correct"),
    ("a2", "The bulb stays lit.", "contradictory"),
    ("a3", "I like turtles and warm weather.", "incorrect"),
]


def write_semeval_split(folder: Path) -> Path:
    """A tiny split laid out like SemEval-2013: DIR/CORPUS/SPLIT.jsonl."""
    path = folder / "beetle" / "test_unseen_answers.jsonl"
    path.parent.mkdir(parents=True)
    rows = [
        {"corpus": "beetle", "split": "test_unseen_answers", "question_id": "Q1",
         "question": QUESTION, "reference_answers": REFERENCES, "answer_id": answer_id,
         "answer": answer, "label": label}
        for answer_id, answer, label in ANSWERS
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return folder


def test_figures_are_scikit_learns_for_3_way_and_2_way() -> None:
    gold = ["correct", "incorrect", "contradictory", "correct"]
    predicted = ["correct", "incorrect", "incorrect", "incorrect"]
    figures = classification_figures(gold, predicted)
    assert figures["accuracy"] == 0.5
    assert figures["accuracy_2way"] == 0.75
    assert figures["f1_contradictory"] == 0.0
    assert figures["macro_f1_2way"] == pytest.approx(0.7333, abs=1e-4)


def test_calibration_error_is_zero_when_confidence_matches_accuracy() -> None:
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == 0.0
    assert expected_calibration_error([1.0, 1.0], [False, False]) == 1.0


def test_reliability_bins_are_what_the_calibration_error_averages() -> None:
    confidence = [0.55, 0.58, 0.92, 0.97, 0.99]
    right = [True, False, True, True, False]
    bins = reliability_bins(confidence, right)
    assert [(b["low"], b["n"]) for b in bins] == [(0.5, 2), (0.9, 3)]
    assert bins[0]["accuracy"] == 0.5 and bins[1]["confidence"] == pytest.approx(0.96)
    error = sum(b["n"] / 5 * abs(b["confidence"] - b["accuracy"]) for b in bins)
    assert expected_calibration_error(confidence, right) == pytest.approx(error, abs=1e-4)


def test_word_overlap_takes_the_best_reference() -> None:
    references = ["the bulb goes out", "no closed path"]
    assert word_overlap("there is no closed path", references) == 1.0
    assert word_overlap("cats sleep", references) == 0.0


def test_a_question_becomes_one_point_with_every_reference_as_a_phrasing(tmp_path: Path) -> None:
    data = write_semeval_split(tmp_path)
    answers = read_split(split_path(data, "beetle", "test_unseen_answers"))
    rubric = answers[0].rubric
    assert len(rubric.points) == 1
    assert list(rubric.points[0].texts) == [r["text"] for r in REFERENCES]
    assert all(a.rubric is rubric for a in answers)


def test_a_missing_split_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="DIR/CORPUS/SPLIT.jsonl"):
        split_path(tmp_path, "beetle", "train")


def test_a_split_is_evaluated_from_its_own_file_alone(grader: Grader, tmp_path: Path) -> None:
    data = write_semeval_split(tmp_path / "data")
    evaluation = evaluate_split(grader, data, "beetle", "test_unseen_answers", load_thresholds())
    assert evaluation.n == 3
    assert set(evaluation.figures) == {"engine", "word_overlap", "cosine"}
    assert set(evaluation.summary()) == {
        "accuracy", "macro_f1", "weighted_f1", "accuracy_2way", "macro_f1_2way", "n"
    }  # fmt: skip
    assert sum(map(sum, evaluation.confusion["engine"])) == 3
    report = write_report([evaluation], tmp_path / "report", "assess evaluate ...")
    assert "| beetle | test_unseen_answers | assess engine | 3 |" in report.read_text()
    assert (tmp_path / "report" / "confusion-beetle-test_unseen_answers.png").stat().st_size > 0
    assert sum(b["n"] for b in evaluation.extra["reliability"]) == 3
    assert (tmp_path / "report" / "reliability-beetle-test_unseen_answers.png").stat().st_size > 0
    assert "reliability-beetle-test_unseen_answers.png" in report.read_text()


def test_the_label_follows_the_point_status(grader: Grader, tmp_path: Path) -> None:
    answers = read_split(split_path(write_semeval_split(tmp_path), "beetle", "test_unseen_answers"))
    result = grader.assess(answers[0].rubric, REFERENCES[0]["text"])
    assert label_of(result) == "correct"
    result = grader.assess(answers[0].rubric, "I like turtles and warm weather.")
    assert label_of(result) == "incorrect"


def test_other_texts_are_labelled_as_answers_to_the_same_questions(
    grader: Grader, tmp_path: Path
) -> None:
    answers = read_split(split_path(write_semeval_split(tmp_path), "beetle", "test_unseen_answers"))
    too_long = "word " * grader.config.max_answer_chars
    texts = [REFERENCES[0]["text"], "I like turtles and warm weather.", too_long]
    assert labels_read_as(grader, answers, texts) == [
        label_of(grader.assess(answers[0].rubric, texts[0])),
        label_of(grader.assess(answers[1].rubric, texts[1])),
        "incorrect",  # refused as too long: a refusal reads as incorrect
    ]


@pytest.mark.skipif(
    not (SEMEVAL.parent / "saf-english" / "train.jsonl").is_file(),
    reason="../shared/data is not beside this checkout: no SAF answers to calibrate on",
)
def test_saf_is_also_scored_after_calibrating_on_the_tutors_scores_of_another_split(
    grader: Grader, tmp_path: Path
) -> None:
    rows = list(read_jsonl(SEMEVAL.parent / "saf-english" / "train.jsonl"))
    question = rows[0]["question_id"]
    mine = [r for r in rows if r["question_id"] == question][:36]
    folder = tmp_path / "saf-english"
    folder.mkdir()
    for name, part in (("train", mine[:24]), ("test_unseen_answers", mine[24:])):
        (folder / f"{name}.jsonl").write_text("\n".join(json.dumps(r) for r in part) + "\n")
    alone = evaluate_split(grader, tmp_path, "saf-english", "test_unseen_answers", {})
    evaluation = evaluate_split(
        grader, tmp_path, "saf-english", "test_unseen_answers", {}, graded_split="train"
    )
    assert "graded" not in alone.extra
    assert evaluation.figures == alone.figures
    graded = evaluation.extra["graded"]
    assert -1 <= graded["pearson_r"] <= 1 and 0 <= graded["rmse"] <= 1
    assert evaluation.summary()["engine_graded"] == graded  # type: ignore[union-attr]
    report = write_report([evaluation], tmp_path / "report", "assess evaluate ...")
    assert "calibrated on the tutor's scores" in report.read_text()
