"""The judge's training pairs: SemEval-2013 and SAF train answers, each with the reference it
is read against, and the held-out split by question.

Kept apart from `assess.judge_training` (the fine-tuning and export) so that scripts reading
the same pairs or the same held-out questions need not import the trainer.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from assess.datasets import read_jsonl

CORPORA = ("beetle", "sciEntsBank")
SEED = 13


@dataclass(frozen=True)
class Example:
    """One graded answer with the references of its question."""

    group: str
    references: tuple[str, ...]
    matched: str | None
    answer: str
    label: str


def read_examples(data: Path) -> list[Example]:
    """Every train answer of both SemEval corpora."""
    examples = []
    for corpus in CORPORA:
        for row in read_jsonl(data / corpus / "train.jsonl"):
            references = tuple(r["text"] for r in row["reference_answers"] if r["text"].strip())
            matched = [
                r["text"] for r in row["reference_answers"] if r["id"] == row.get("answer_match")
            ]
            examples.append(
                Example(
                    f"{corpus}/{row['question_id']}", references,
                    matched[0] if matched else None, row["answer"], row["label"],
                )
            )  # fmt: skip
    return examples


def read_saf_examples(saf: Path) -> list[Example]:
    """SAF train answers the tutor gave full or no marks, each paired with one sentence of its
    reference (drawn by a fixed seed): answers in other words, on another subject, that state
    the point or do not."""
    from rubrics.segment import split_sentences

    rng = random.Random(SEED)
    examples = []
    for row in read_jsonl(saf / "train.jsonl"):
        score = row.get("score_normalized")
        if score not in (0.0, 1.0):
            continue
        sentences = [s.text for s in split_sentences(row["reference_answer"])] or [
            row["reference_answer"]
        ]
        sentence = rng.choice(sentences)
        examples.append(
            Example(f"saf/{row['question_id']}", (sentence,), sentence, row["answer"],
                    "correct" if score == 1.0 else "incorrect")
        )  # fmt: skip
    return examples


def peer_examples(examples: Sequence[Example], per_answer: int) -> list[Example]:
    """Up to `per_answer` more pairs of each SemEval answer, its reference another answer to
    the same question that the graders called correct (drawn by a fixed seed), its label
    unchanged: an answer that states the point agrees with one that does, and one that denies
    or misses it does not. The judge so sees the point said in many students' words, not
    only the reference's, which is what it meets in a rubric written by someone else."""
    rng = random.Random(SEED)
    correct: dict[str, list[str]] = {}
    for example in examples:
        if example.label == "correct" and not example.group.startswith("saf/"):
            correct.setdefault(example.group, []).append(example.answer)
    extra = []
    for example in examples:
        others = [a for a in correct.get(example.group, []) if a != example.answer]
        for peer in rng.sample(others, min(per_answer, len(others))):
            extra.append(replace(example, references=(peer,), matched=peer))
    return extra


def training_pair(example: Example) -> tuple[str, str]:
    """The reference the graders matched the answer to, else the question's first one."""
    return (example.matched or example.references[0], example.answer)


def held_out_groups(groups: set[str], holdout: float) -> set[str]:
    """A share of whole questions (unseen-question figures), chosen by a fixed seed."""
    ordered = sorted(groups)
    random.Random(SEED).shuffle(ordered)
    return set(ordered[: int(round(len(ordered) * holdout))])


def split_groups(
    examples: Sequence[Example], holdout: float
) -> tuple[list[Example], list[Example]]:
    """(training examples, held-out examples) by question."""
    held = held_out_groups({e.group for e in examples}, holdout)
    return [e for e in examples if e.group not in held], [e for e in examples if e.group in held]
