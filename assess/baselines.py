"""Two reference systems measured beside the engine: word overlap and whole-answer cosine.

Each turns an answer into one number and calls it correct above a threshold fitted on `train`
(`assess.baseline_training`); neither ever predicts `contradictory`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from models import Encoder
from rubrics.words import content_stems

BASELINES = ("word_overlap", "cosine")


def word_overlap(answer: str, references: Sequence[str]) -> float:
    """Best F1 of content-word stems between the answer and any one reference."""
    said = set(content_stems(answer))
    best = 0.0
    for reference in references:
        wanted = set(content_stems(reference))
        shared = len(said & wanted)
        if shared:
            best = max(best, 2 * shared / (len(said) + len(wanted)))
    return best


def cosine_scores(
    encoder: Encoder, answers: Sequence[str], references: Sequence[Sequence[str]]
) -> npt.NDArray[np.float64]:
    """Best cosine between each whole answer and any of its references."""
    answer_vectors = encoder.embed(list(answers))
    flat = [r for refs in references for r in refs]
    reference_vectors = encoder.embed(flat)
    scores = np.zeros(len(answers))
    offset = 0
    for n, refs in enumerate(references):
        block = reference_vectors[offset : offset + len(refs)]
        offset += len(refs)
        scores[n] = float((block @ answer_vectors[n]).max()) if len(refs) else 0.0
    return scores


def baseline_scores(
    encoder: Encoder, answers: Sequence[str], references: Sequence[Sequence[str]]
) -> dict[str, npt.NDArray[np.float64]]:
    """Every baseline's number for each answer."""
    pairs = zip(answers, references, strict=True)
    return {
        "word_overlap": np.array([word_overlap(a, r) for a, r in pairs]),
        "cosine": cosine_scores(encoder, answers, references),
    }


def threshold_for(document: dict[str, Any], baseline: str, corpus: str) -> float:
    """The corpus's own threshold when one was fitted, else the one fitted on all of train."""
    table = document["thresholds"][baseline]
    return float(table.get(corpus, table["all"]))
