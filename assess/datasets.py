"""Public data sets with human labels, read as rubrics and answers (SemEval-2013, SAF).

A split is one JSON Lines file at `DIR/CORPUS/SPLIT.jsonl`; nothing else is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.errors import InputFileError
from rubrics import Rubric, parse_rubric
from rubrics.segment import split_sentences

SEMEVAL_LABELS = ("correct", "contradictory", "incorrect")
SAF_LABELS = ("Incorrect", "Partially correct", "Correct")


@dataclass(frozen=True)
class GradedAnswer:
    """A student answer with its question's rubric and the human grade."""

    rubric: Rubric
    answer: str
    label: str
    group: str  # the question, for grouped cross-validation
    references: tuple[str, ...]
    score: float | None = None  # normalised to [0, 1] where the data set gives a score
    feedback: str | None = None


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSON Lines file."""
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield json.loads(line)
    except (OSError, json.JSONDecodeError) as exc:
        raise InputFileError(f"{path}: cannot read: {exc}") from exc


def split_path(data: Path, corpus: str, split: str) -> Path:
    """Where a split lives: `DIR/CORPUS/SPLIT.jsonl`."""
    path = data / corpus / f"{split}.jsonl"
    if not path.is_file():
        raise InputFileError(f"{path}: no such split; expected DIR/CORPUS/SPLIT.jsonl")
    return path


def semeval_rubric(row: dict[str, Any]) -> Rubric:
    """A one-point rubric from a SemEval question: its reference answers are one point's
    phrasings (Beetle's several references are alternatives, not separate requirements)."""
    references = [r["text"] for r in row["reference_answers"] if r["text"].strip()]
    return parse_rubric(
        {
            "id": f"semeval/{row['corpus']}/{row['question_id']}".replace(" ", "_"),
            "question": row["question"],
            "model_answers": references,
            "points": [
                {"id": "answer", "label": "the expected answer", "text": references[0],
                 "exemplars": references[1:]}
            ],
        },
        source=row["question_id"],
    )  # fmt: skip


def saf_rubric(row: dict[str, Any]) -> Rubric:
    """A rubric from a SAF question: each sentence of the reference answer is a point."""
    reference = row["reference_answer"]
    sentences = [s.text for s in split_sentences(reference)]
    sentences = [s for s in sentences if len(s.split()) >= 3] or [reference]
    return parse_rubric(
        {
            "id": f"saf/{row['question_id']}",
            "question": row["question"],
            "model_answers": [reference],
            "points": [
                {"id": f"p{n + 1}", "label": text[:60], "text": text}
                for n, text in enumerate(sentences)
            ],
        },
        source=str(row["question_id"]),
    )


def is_saf(row: dict[str, Any]) -> bool:
    """SAF rows carry a tutor's score and feedback; SemEval rows carry reference lists."""
    return "reference_answer" in row and "score_normalized" in row


def by_question(answers: Iterable[GradedAnswer]) -> dict[str, list[GradedAnswer]]:
    """Answers grouped by their question, in the order first met."""
    grouped: dict[str, list[GradedAnswer]] = {}
    for answer in answers:
        grouped.setdefault(answer.group, []).append(answer)
    return grouped


def read_split(path: Path) -> list[GradedAnswer]:
    """Every answer of one split, each with its question's rubric built once."""
    rubrics: dict[str, Rubric] = {}
    answers: list[GradedAnswer] = []
    for row in read_jsonl(path):
        saf = is_saf(row)
        group = str(row["question_id"]) if saf else f"{row['corpus']}/{row['question_id']}"
        if group not in rubrics:
            rubrics[group] = saf_rubric(row) if saf else semeval_rubric(row)
        rubric = rubrics[group]
        answers.append(
            GradedAnswer(
                rubric=rubric,
                answer=row["answer"],
                label=row["label"],
                group=group,
                references=tuple(rubric.model_answers),
                score=float(row["score_normalized"]) if saf else None,
                feedback=row.get("feedback") if saf else None,
            )
        )
    return answers
