"""The judge's training pairs: SemEval-2013 and SAF train answers, each with the reference it
is read against, and the held-out split by question.

Kept apart from `assess.judge_training` (the fine-tuning and export) so that scripts reading
the same pairs or the same held-out questions need not import the trainer.
"""

from __future__ import annotations

import argparse
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


# Denials written for training in forms the robustness suite's `negate` never writes (it
# writes "is not", "does not" and "It is not true that"), so that `scripts/judge_paraphrases.py`
# still measures whether the judge knows a denial it was not shown.
CONTRACTIONS = {
    "is": "isn't", "are": "aren't", "was": "wasn't", "were": "weren't", "can": "can't",
    "will": "won't", "would": "wouldn't", "could": "couldn't", "should": "shouldn't",
    "does": "doesn't", "do": "don't", "did": "didn't", "has": "hasn't", "have": "haven't",
    "had": "hadn't",
}  # fmt: skip
_CLAUSE_BREAKS = ("because", "if", "when", "since", "so", "then", "that", "which", "as", "but")
_DENIED_ALREADY = ("not", "no", "never", "nothing", "none", "nobody", "neither", "nor")


def denied(answer: str) -> str | None:
    """The answer's claim denied in a training form: its first auxiliary contracted with n't
    ("The bulb is in a closed path" -> "The bulb isn't in a closed path"), else "It is false
    that ..." for an answer of one plain clause. None where the denial would be unclear: an
    answer that already denies something (a double negative), one whose first auxiliary
    comes after "because", "if" or a comma (that would deny the reason, not the claim), or
    one too short to be a claim."""
    words = answer.split()
    lowered = [w.lower().strip(".,;:!?") for w in words]
    if len(words) < 3 or any(w in _DENIED_ALREADY or w.endswith("n't") for w in lowered):
        return None
    for n, word in enumerate(lowered):
        if word in CONTRACTIONS and words[n].isalpha():
            contracted = CONTRACTIONS[word]
            if words[n][0].isupper():
                contracted = contracted.capitalize()
            return " ".join([*words[:n], contracted, *words[n + 1 :]])
        if word in _CLAUSE_BREAKS or words[n].endswith((",", ";", ":")):
            return None
    if any(ch.isdigit() for ch in answer[:3]):
        return None  # a numbered list, not a claim
    return "It is false that " + answer[0].lower() + answer[1:]


def denial_examples(examples: Sequence[Example]) -> list[Example]:
    """One more pair for each correct SemEval answer: the answer denied (`denied`), labelled
    contradictory. The graders' own contradictions rarely deny the reference word for word;
    without these the judge reads a denied point as close to the point, because it is."""
    extra = []
    for example in examples:
        if example.label != "correct" or example.group.startswith("saf/"):
            continue
        denial = denied(example.answer)
        if denial is not None:
            extra.append(replace(example, answer=denial, label="contradictory"))
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


def add_clears_options(parser: argparse.ArgumentParser) -> None:
    """`--clears` and `--unranked`: the judge's clearing of turn-word denials, as the
    held-out scripts (`scripts/judge_holdout.py`, `scripts/saf_judge_holdout.py`) try it."""
    parser.add_argument(
        "--clears", default=None,
        help="comma-separated judge_clears_below values: rows with the point model's "
        "turn-word denials overruled below each (and a row without)",
    )  # fmt: skip
    parser.add_argument(
        "--unranked", action="store_true",
        help="with --clears, also each row with judge_clears_unranked on",
    )  # fmt: skip


def clears_settings(clears: str, unranked: bool) -> list[dict[str, float | bool | None]]:
    """The `judge_clears_below` and `judge_clears_unranked` of each row `--clears` and
    `--unranked` ask for: no bar first, then each bar given."""
    return [
        {"judge_clears_below": bar, "judge_clears_unranked": ranked}
        for bar in [None, *(float(v) for v in clears.split(","))]
        for ranked in ((False, True) if unranked else (False,))
    ]
