"""Rubrics of several points made from one-point questions, read point by point against each
answer's own label, with the real packaged model."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from assess import Grader
from assess.analyse import Analysis, AnswerRequest
from assess.several_points import (
    DISTINCT_BELOW,
    composites_of,
    distinct_groups,
    evaluate_several,
    graded_composites,
    main,
    read_questions,
    several_point_rubric,
)
from models import Encoder
from rubrics import Rubric
from rubrics.words import as_sentence

QUESTIONS = {
    "Q1": ("What happens to the bulb when the switch is open?",
           ["The bulb goes out because the circuit is open."],
           [("The bulb goes off since the circuit is not closed", "correct"),
            ("The bulb stays lit.", "contradictory"),
            ("I am not sure about that one.", "incorrect")]),
    "Q2": ("Why do plants need sunlight?",
           ["Plants use the energy of sunlight to make their food by photosynthesis."],
           [("They make food from light energy.", "correct"),
            ("Plants do not need light to make food.", "contradictory")]),
    "Q3": ("What does a thermometer measure?",
           ["A thermometer measures temperature."],
           [("It measures how hot or cold something is.", "correct")]),
    # As near Q1's point as a second phrasing of it: no rubric may hold both.
    "Q4": ("What happens to the lamp when the switch is open?",
           ["The bulb goes out because the circuit is open."],
           [("The lamp goes out.", "correct")]),
}  # fmt: skip


def write_split(folder: Path, split: str = "test_unseen_answers") -> Path:
    path = folder / "beetle" / f"{split}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        {"corpus": "beetle", "split": split, "question_id": qid, "module": "m",
         "question": question, "answer_id": f"{qid}-{n}", "answer": answer, "label": label,
         "reference_answers": [{"id": "r", "category": "BEST", "text": t} for t in references]}
        for qid, (question, references, answers) in QUESTIONS.items()
        for n, (answer, label) in enumerate(answers)
    ]  # fmt: skip
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return folder


def test_a_made_rubric_holds_only_points_as_distinct_as_a_teachers(
    tmp_path: Path, encoder: Encoder
) -> None:
    questions = read_questions(write_split(tmp_path) / "beetle" / "test_unseen_answers.jsonl")
    groups = distinct_groups(questions, encoder, 3)
    ids = [[q.rubric.id.rsplit("/", 1)[-1] for q in group] for group in groups]
    assert ids[0] == ["Q1", "Q2", "Q3"]
    assert all(not {"Q1", "Q4"} <= set(group) for group in ids)
    for group in groups:
        vectors = [np.asarray(encoder.embed(list(q.references))) for q in group]
        for a in range(len(vectors)):
            for b in range(a + 1, len(vectors)):
                assert float((vectors[a] @ vectors[b].T).max()) < DISTINCT_BELOW
    # Q4 was left alone: it makes no rubric of one point.
    assert sum(len(group) for group in groups) == 3


def test_every_answer_is_written_once_each_point_labelled_by_its_own_answer(
    tmp_path: Path, encoder: Encoder
) -> None:
    questions = read_questions(write_split(tmp_path) / "beetle" / "test_unseen_answers.jsonl")
    (group,) = distinct_groups(questions, encoder, 3)
    composites = composites_of(several_point_rubric(group, "made"), group)
    assert len(composites) == 3  # Q1's three answers; the others start over
    rubric = composites[0].rubric
    assert [p.text for p in rubric.points] == [q.references[0] for q in group]
    assert [c.labels() for c in composites] == [
        ["correct", "correct", "correct"],
        ["contradictory", "contradictory", "correct"],
        ["incorrect", "correct", "correct"],
    ]
    # Each answer ends as a sentence, and the point written first moves round.
    assert composites[0].text.startswith(as_sentence(group[0].answers[0]))
    assert composites[1].text.startswith(group[1].answers[1])
    assert composites[2].text.startswith(group[2].answers[0])
    assert as_sentence("no full stop") == "no full stop."


def test_each_point_is_read_in_the_made_rubric_and_alone(grader: Grader, tmp_path: Path) -> None:
    figures = evaluate_several(grader, write_split(tmp_path), "beetle", "test_unseen_answers")
    assert (figures.rubrics, figures.questions, figures.composites) == (1, 3, 3)
    assert figures.cells == 9 and figures.failed == 0
    for side in (figures.together, figures.alone):
        assert 0.0 <= side["macro_f1"] <= 1.0 and 0.0 <= side["macro_f1_2way"] <= 1.0
    # The Q3 answer is plainly right alone, and it is one of the 9 cells three times.
    assert figures.alone["f1_correct"] > 0


def test_a_teachers_per_point_grades_come_from_each_answers_own_label(
    tmp_path: Path, encoder: Encoder
) -> None:
    questions = read_questions(write_split(tmp_path) / "beetle" / "test_unseen_answers.jsonl")
    (group,) = distinct_groups(questions, encoder, 3)
    rubric = several_point_rubric(group, "made")
    rows = graded_composites(rubric, group)
    assert [row.points for row in rows] == [
        {"q1": 1.0, "q2": 1.0, "q3": 1.0},
        {"q1": -1.0, "q2": -1.0, "q3": 1.0},
        {"q1": 0.0, "q2": 1.0, "q3": 1.0},
    ]
    top = rubric.scoring.max_score
    assert [row.score for row in rows] == pytest.approx([top, top / 3, 2 * top / 3])
    assert rows[1].answer == composites_of(rubric, group)[1].text


def test_the_made_rubrics_are_graded_again_after_the_teachers_grades(
    grader: Grader, tmp_path: Path
) -> None:
    data = write_split(tmp_path)
    write_split(tmp_path, "train")
    figures = evaluate_several(grader, data, "beetle", "test_unseen_answers", graded_split="train")
    assert figures.graded is not None and figures.graded_rubrics == 1
    assert 0.0 <= figures.graded["macro_f1"] <= 1.0
    without = evaluate_several(grader, data, "beetle", "test_unseen_answers")
    assert without.graded is None and without.graded_rubrics == 0


def test_the_command_writes_its_table(tmp_path: Path) -> None:
    out = tmp_path / "several.md"
    main(["--data", str(write_split(tmp_path / "data")), "--corpus", "beetle",
          "--split", "test_unseen_answers", "--judge", "none", "--out", str(out)])  # fmt: skip
    table = out.read_text(encoding="utf-8")
    assert "| beetle, test_unseen_answers | 1 (3) | 9 |" in table
    assert table.rstrip().endswith("| - | 0 |")  # no graded split, no graded column
    with pytest.raises(SystemExit):
        main(["--points", "1"])


def test_a_short_answer_is_read_whole_only_in_a_rubric_of_one_point(
    grader: Grader, complement: Rubric
) -> None:
    """In a rubric of several points a short answer's other sentences are about the other
    points: each point's evidence is read in its own sentence."""
    from rubrics import parse_rubric

    answer = "Track II builds trust between the sides. It does not replace official talks."
    (several,) = grader.analyse_many([AnswerRequest(complement, answer)])
    assert isinstance(several, Analysis) and several.index.n_points > 1
    for alignment in several.alignments[: several.index.n_points]:
        assert alignment.evidence is not None
        assert alignment.context == alignment.sentence != answer
    one = parse_rubric(
        {"id": "one", "question": complement.question, "model_answers": ["Trust grows."],
         "points": [{"id": "trust", "label": "trust", "text": complement.points[1].text}]},
        source="one",
    )  # fmt: skip
    (alone,) = grader.analyse_many([AnswerRequest(one, answer)])
    assert isinstance(alone, Analysis)
    assert alone.alignments[0].context == answer


def test_the_judge_reads_each_point_in_its_own_sentence_in_a_rubric_of_several_points(
    grader: Grader,
) -> None:
    """Read whole beside the sentences about the other points, a point's own sentence read as
    hardly right to the judge (P(correct) 0.54, 0.38 and 0.71 for the three points of the
    first answer here); in its own sentence each reads as the statement it is."""
    from rubrics import parse_rubric

    rubric = parse_rubric(
        {"id": "three", "question": "Why do bulbs B and C stay on? What does a thermometer "
         "measure? Why do plants need sunlight?",
         "model_answers": ["Bulbs B and C are still in closed paths with the battery. A "
                           "thermometer measures temperature. Plants use the energy of "
                           "sunlight to make their food."],
         "points": [
             {"id": "paths", "label": "paths",
              "text": "bulbs B and C are still in closed paths with the battery"},
             {"id": "heat", "label": "heat", "text": "A thermometer measures temperature."},
             {"id": "food", "label": "food",
              "text": "Plants use the energy of sunlight to make their food by photosynthesis."},
         ]},
        source="three",
    )  # fmt: skip
    answers = [
        "bulb b and c are still in a closed path with the battery. It measures how hot or "
        "cold something is. They make food from light energy.",
        "They make food from light energy. bulb b and c are still in a closed path with the "
        "battery. It measures how hot or cold something is.",
    ]
    for analysis in grader.analyse_many([AnswerRequest(rubric, a) for a in answers]):
        assert isinstance(analysis, Analysis)
        for alignment in analysis.alignments:
            assert alignment.judged is not None and alignment.judged[0] > 0.8, alignment
        result = grader.result(analysis, None)
        assert [p.status for p in result.points] == ["covered"] * 3
    whole = Grader(
        grader.encoder, grader.calibrator, replace(grader.config, context_whole_max_points=None),
        judge=grader.judge, point_model=grader.point_model,
    )  # fmt: skip
    (read_whole,) = whole.analyse_many([AnswerRequest(rubric, answers[0])])
    assert isinstance(read_whole, Analysis)
    reads = [a.judged[0] for a in read_whole.alignments if a.judged is not None]
    assert len(reads) == 3 and max(reads) < 0.8 and min(reads) < 0.5
