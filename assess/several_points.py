"""Rubrics of several points with a human label per point, made from SemEval-2013.

A teacher's rubric has several points, and a student writes about all of them in one answer;
SemEval grades one point per answer. Here `POINTS` questions of one corpus and split whose
points are distinct (`DISTINCT_BELOW`) become one rubric, each question's reference answers
the phrasings of one point, and one answer to each question, written one after the other
(each ended as a sentence, the order turned round from one answer to the next), is one answer
to that rubric. Each point is labelled with its own answer's grade, so the engine's call on
every point is checked against a human's, as it would be on a data set with per-point labels.

Read beside the very same answers in their one-point rubrics, it measures what a rubric of
several points costs: evidence read in the wrong sentence, one question's answer taken for
another's point, and what is heard in one-point rubrics only (the pair judge). A question
that no group could take is left out. No model or threshold is fitted here.
Run: `python -m assess.several_points --data ../shared/data/semeval2013-3way`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assess.calibration import calibrated_on
from assess.datasets import GradedAnswer, read_jsonl, semeval_rubric, split_path
from assess.errors import AssessError
from assess.evaluation import TEACHER_GRADE, assess_all, classification_figures
from assess.graded import GradedRow
from assess.grader import Grader
from assess.result import AssessmentResult
from models import Encoder
from rubrics import Rubric, parse_rubric
from rubrics.words import as_sentence

POINTS = 3
# No two points of a made rubric come closer than this (cosine of any two of their phrasings):
# the points of a teacher's rubric are distinct claims. A SAF reference's sentences, as the
# engine splits them into points, come this close to their nearest other point at the median
# (0.37 at the 10th percentile, 0.85 at the 90th, SAF train); the Track II rubrics' at most 0.52
# (`.venv/bin/python scripts/point_closeness.py`).
DISTINCT_BELOW = 0.6
STATUS_LABEL = {"covered": "correct", "contradicted": "contradictory"}  # else incorrect


@dataclass(frozen=True)
class Question:
    """One SemEval question: its one-point rubric and its answers with their labels."""

    rubric: Rubric
    text: str
    references: tuple[str, ...]
    answers: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Composite:
    """One answer to a rubric of several points: which answer of each question it joins, in
    the order written."""

    rubric: Rubric
    questions: tuple[Question, ...]  # in rubric order, point n is questions[n]
    picks: tuple[int, ...]  # the answer of each question (rubric order)
    order: tuple[int, ...]  # the points in the order their answers are written

    @property
    def text(self) -> str:
        return " ".join(
            as_sentence(self.questions[n].answers[self.picks[n]].strip()) for n in self.order
        )

    def labels(self) -> list[str]:
        return [q.labels[pick] for q, pick in zip(self.questions, self.picks, strict=True)]


def read_questions(path: Path) -> list[Question]:
    """The questions of one split in (module, question id) order."""
    rows: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in read_jsonl(path):
        rows.setdefault((str(row.get("module", "")), str(row["question_id"])), []).append(row)
    questions: list[Question] = []
    for key in sorted(rows):
        mine = rows[key]
        rubric = semeval_rubric(mine[0])
        questions.append(
            Question(
                rubric,
                str(mine[0]["question"]),
                tuple(rubric.model_answers),
                tuple(str(r["answer"]) for r in mine),
                tuple(str(r["label"]) for r in mine),
            )
        )
    return questions


def distinct_groups(
    questions: Sequence[Question], encoder: Encoder, size: int
) -> list[tuple[Question, ...]]:
    """Groups of `size` questions whose points are as distinct as a teacher's: each question,
    in order, joins the first open group in which none of its phrasings comes within
    `DISTINCT_BELOW` (cosine) of another question's; a group left with one question makes no
    rubric."""
    vectors = [np.asarray(encoder.embed(list(q.references))) for q in questions]
    groups: list[list[int]] = []
    for n, mine in enumerate(vectors):
        for group in groups:
            if len(group) < size and all(
                float((mine @ vectors[m].T).max()) < DISTINCT_BELOW for m in group
            ):
                group.append(n)
                break
        else:
            groups.append([n])
    return [tuple(questions[n] for n in group) for group in groups if len(group) > 1]


def several_point_rubric(questions: Sequence[Question], name: str) -> Rubric:
    """One point per question, its reference answers the point's phrasings."""
    return parse_rubric(
        {
            "id": name,
            "question": " ".join(q.text for q in questions),
            "model_answers": [" ".join(as_sentence(q.references[0].strip()) for q in questions)],
            "points": [
                {"id": f"q{n + 1}", "label": q.text[:60], "text": q.references[0],
                 "exemplars": list(q.references[1:])}
                for n, q in enumerate(questions)
            ],
        },
        source=name,
    )  # fmt: skip


def composites_of(rubric: Rubric, questions: Sequence[Question]) -> list[Composite]:
    """Answers to `rubric` (made of `questions` by `several_point_rubric`, or of the same
    questions' answers in another split), as many as the question with most answers has: the
    i-th answer of each question (from its first again once it runs out), written in rubric
    order turned round by i, so that every answer is read and no point is always written
    first."""
    k = len(questions)
    return [
        Composite(
            rubric,
            tuple(questions),
            tuple(i % len(q.answers) for q in questions),
            tuple((i + n) % k for n in range(k)),
        )
        for i in range(max(len(q.answers) for q in questions))
    ]


def graded_composites(rubric: Rubric, graded: Sequence[Question]) -> list[GradedRow]:
    """A teacher's per-point grades of a made rubric: its questions' answers in the graded
    split, joined as `composites_of` joins them, each point graded covered (1), contradicted
    (-1) or not (0) by its own answer's label, the score the points covered."""
    rows = []
    for n, composite in enumerate(composites_of(rubric, graded)):
        grades = [TEACHER_GRADE[label] for label in composite.labels()]
        points = {p.id: float(g) for p, g in zip(rubric.points, grades, strict=True)}
        share = sum(g == 1 for g in grades) / len(grades)
        rows.append(GradedRow(str(n), composite.text, share * rubric.scoring.max_score, points))
    return rows


@dataclass(frozen=True)
class SeveralPointFigures:
    """Per-point figures of one split: the same (question, answer) cells read in a rubric of
    several points and alone."""

    rubrics: int
    questions: int
    composites: int
    cells: int
    together: dict[str, float]  # `classification_figures` in rubrics of several points
    alone: dict[str, float]  # the same answers, each in its one-point rubric
    failed: int  # composites the engine refused (each of their points read as incorrect)
    # After a teacher graded each point of the same rubrics' answers in the graded split (None
    # without one); and how many rubrics had every question there.
    graded: dict[str, float] | None = None
    graded_rubrics: int = 0


def evaluate_several(
    grader: Grader,
    data: Path,
    corpus: str,
    split: str,
    size: int = POINTS,
    graded_split: str | None = None,
) -> SeveralPointFigures:
    """Per-point 3-way and 2-way figures of one split read in rubrics of `size` points,
    beside the same answers read alone; with `graded_split`, also after a teacher graded each
    point of the same rubrics' answers there (`graded_composites`), where every question of
    a rubric has answers in it."""
    questions = read_questions(split_path(data, corpus, split))
    composites: list[Composite] = []
    rubrics: list[tuple[Rubric, tuple[Question, ...]]] = []
    for n, group in enumerate(distinct_groups(questions, grader.encoder, size)):
        rubric = several_point_rubric(group, f"several/{corpus}/{split}/{n}")
        composites += composites_of(rubric, group)
        rubrics.append((rubric, group))
    graders = [grader]
    calibrated = 0
    if graded_split is not None:
        known = {q.rubric.id: q for q in read_questions(split_path(data, corpus, graded_split))}
        sets = [
            (rubric, graded_composites(rubric, [known[q.rubric.id] for q in group]))
            for rubric, group in rubrics
            if all(q.rubric.id in known for q in group)
        ]
        if sets:
            graders.append(calibrated_on(grader, sets))
        calibrated = len(sets)
    requests = [GradedAnswer(c.rubric, c.text, "", c.rubric.id, ()) for c in composites]
    together_results, *graded_results = assess_all(graders, requests)
    cells = {
        (q.rubric.id, pick): (q, pick)
        for c in composites
        for q, pick in zip(c.questions, c.picks, strict=True)
    }
    singles = [GradedAnswer(q.rubric, q.answers[p], "", q.rubric.id, ()) for q, p in cells.values()]
    alone_results = assess_all([grader], singles)[0]
    alone_of = dict(zip(cells, alone_results, strict=True))
    gold: list[str] = []
    together: list[str] = []
    alone: list[str] = []
    graded: list[str] = []
    for c, composite in enumerate(composites):
        for n, (question, pick) in enumerate(
            zip(composite.questions, composite.picks, strict=True)
        ):
            gold.append(question.labels[pick])
            together.append(point_label(together_results[c], n))
            alone.append(point_label(alone_of[(question.rubric.id, pick)], 0))
            if graded_results:
                graded.append(point_label(graded_results[0][c], n))
    return SeveralPointFigures(
        rubrics=len({c.rubric.id for c in composites}),
        questions=len({q.rubric.id for c in composites for q in c.questions}),
        composites=len(composites),
        cells=len(gold),
        together=classification_figures(gold, together),
        alone=classification_figures(gold, alone),
        failed=sum(isinstance(r, AssessError) for r in together_results),
        graded=classification_figures(gold, graded) if graded_results else None,
        graded_rubrics=calibrated,
    )


def point_label(result: AssessmentResult | AssessError, point: int) -> str:
    """The SemEval label of one point of a result; a refused answer reads as incorrect, as
    `assess.evaluation` counts it."""
    if isinstance(result, AssessError):
        return "incorrect"
    return STATUS_LABEL.get(result.points[point].status, "incorrect")


def figures_table(rows: dict[str, SeveralPointFigures]) -> list[str]:
    """Markdown rows: per split, its made rubrics and the per-point figures both ways."""
    lines = [
        "| corpus, split | rubrics (questions) | points graded | in a rubric of several points: "
        "3-way / 2-way macro-F1, contradictory F1 | the same answers alone | the rubric after "
        "a teacher's per-point grades (rubrics graded) | refused |",
        "|---|---|---|---|---|---|---|",
    ]

    def cell(x: dict[str, float]) -> str:
        return f"{x['macro_f1']:.3f} / {x['macro_f1_2way']:.3f}, {x['f1_contradictory']:.3f}"

    for name, f in rows.items():
        graded = f"{cell(f.graded)} ({f.graded_rubrics})" if f.graded is not None else "-"
        lines.append(
            f"| {name} | {f.rubrics} ({f.questions}) | {f.cells} | {cell(f.together)} "
            f"| {cell(f.alone)} | {graded} | {f.failed} |"
        )
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Measure each split both ways and write the table as Markdown."""
    import argparse
    from dataclasses import replace

    from assess.config import GraderConfig
    from assess.packaged import add_judge_option, packaged_grader

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/semeval2013-3way"))
    parser.add_argument("--corpus", action="append", help="beetle, sciEntsBank (default both)")
    parser.add_argument("--split", action="append", help="default: both test splits")
    parser.add_argument("--points", type=int, default=POINTS, help="points per made rubric")
    parser.add_argument(
        "--graded-split",
        help="a split whose answers to the same questions a teacher graded point by point",
    )
    parser.add_argument("--out", type=Path, help="write the table here as Markdown")
    add_judge_option(parser)
    parser.add_argument(
        "--context-whole-max-points",
        default=str(GraderConfig.context_whole_max_points or "any"),
        help="read a short answer whole only in rubrics of at most this many points (`any`)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.points < 2:
        parser.error("--points: a rubric of several points has at least 2")
    most = args.context_whole_max_points
    config = replace(GraderConfig(), context_whole_max_points=None if most == "any" else int(most))
    grader = packaged_grader(args.judge, config)
    rows: dict[str, SeveralPointFigures] = {}
    for corpus in args.corpus or ["beetle", "sciEntsBank"]:
        for split in args.split or ["test_unseen_answers", "test_unseen_questions"]:
            rows[f"{corpus}, {split}"] = evaluate_several(
                grader, args.data, corpus, split, args.points, args.graded_split
            )
            print("\n".join(figures_table({f"{corpus}, {split}": rows[f"{corpus}, {split}"]})[2:]))
    if args.out is not None:
        lines = [
            "# Rubrics of several points, graded point by point",
            "",
            f"Produced by `python -m assess.several_points --data {args.data}` "
            f"(`--points {args.points}`"
            + (f", `--graded-split {args.graded_split}`" if args.graded_split else "")
            + f"). SemEval-2013's questions, {args.points} at a time "
            f"whose points are distinct (no two phrasings within cosine {DISTINCT_BELOW}), "
            "become one rubric, and one answer to each, written one after the other, one answer "
            "to it; each point is labelled with its own answer's grade (`assess/several_points.py`"
            "). Beside it, the very same answers in their one-point rubrics, as `make eval` reads "
            "them. The last column grades the same rubrics after a teacher graded each point "
            "of their answers in the graded split, joined the same way (each point by its own "
            "answer's label): what `assess calibrate` with `point:` columns does.",
            "",
            *figures_table(rows),
            "",
        ]
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
