"""How a teacher's graded answers of one point vote by their words: a small logistic
regression over the stems, stem pairs and letter runs of each graded answer's context (each
kind weighed alike), fitted per point on that rubric's grades alone, read for a new answer.

The example model's neighbour features ask which graded answers a new one is closest to;
this asks which words and word pairs tell the teacher's kinds apart in this class ("closed
path", "not connected"), as the best 2013 systems did per question. It is never fitted on
other rubrics' answers, so it says how this class writes, not how a subject must be worded.
On SemEval train (5 folds within each question as the teacher's grades, question-grouped CV
of the example model) it lifted 3-way / 2-way macro-F1 0.703 / 0.835 -> 0.707 / 0.841 on
Beetle and 0.671 / 0.796 -> 0.678 / 0.807 on SciEntsBank (`python -m
assess.example_training`, before and after).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from rubrics.words import stem, tokens

# Inverse L2 strength. On the same rows 3 and 10 moved 3-way macro-F1 by at most +0.003 and
# 2-way by at most 0.004 either way; 1 is kept, the firmer prior for a few dozen answers.
# With the letter runs below, 0.3 and 3 each gained on one corpus what they lost on the other.
VOTE_C = 1.0
# Each kind weighs as much as the others, however few answers the teacher graded of it: the
# vote then says what the words tell, and the example model, which reads it, keeps the kinds'
# shares in its own intercepts. On the same CV 3-way / 2-way 0.715 / 0.846 -> 0.717 / 0.850
# on Beetle and 0.688 / 0.815 -> 0.691 / 0.817 on SciEntsBank; weighing the example model's
# own classes so instead lowered Beetle's 3-way to 0.704.
VOTE_CLASS_WEIGHT = "balanced"
KINDS = 3  # covering the point, contradicting it, neither


# Letters read three at a time, across the spaces between words: a class misspells and
# inflects its words ("conected", "connection", "disconnected"), which stems keep apart and
# three-letter runs join. Chosen on SemEval train (the example model's question-grouped CV,
# `python -m assess.example_training`): 3-way / 2-way macro-F1 0.707 / 0.839 -> 0.715 / 0.846
# on Beetle and 0.680 / 0.809 -> 0.688 / 0.815 on SciEntsBank; runs of 4 or 5 letters lifted
# both by less, runs of mixed lengths were no better on both at once.
LETTER_RUN = 3
RUN_MARK = "#"  # begins every run of letters, so that none meets a stem of the same spelling


def letter_runs(words: Sequence[str]) -> frozenset[str]:
    """Every run of `LETTER_RUN` characters of the words, joined by spaces and padded by one."""
    text = f" {' '.join(words)} "
    return frozenset(RUN_MARK + text[i : i + LETTER_RUN] for i in range(len(text) - LETTER_RUN + 1))


def word_bag(context: str, stems: frozenset[str]) -> frozenset[str]:
    """A context's content stems (as given), the stem pairs of its words and its runs of
    letters (`letter_runs`), side by side."""
    words = tokens(context)
    said = [stem(t) for t in words]
    pairs = frozenset(f"{a} {b}" for a, b in zip(said, said[1:], strict=False))
    return stems | pairs | letter_runs(words)


def fit_vote(bags: Sequence[frozenset[str]], kinds: npt.NDArray[np.int64]) -> Any:
    """The fitted vote of graded answers' bags and kinds; None when they are all one kind."""
    if len(set(kinds.tolist())) < 2:
        return None
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import MultiLabelBinarizer

    words = MultiLabelBinarizer(sparse_output=True)
    matrix = words.fit_transform(bags)
    return words, LogisticRegression(C=VOTE_C, class_weight=VOTE_CLASS_WEIGHT, max_iter=2000).fit(
        matrix, kinds
    )


def vote(fitted: Any, bag: frozenset[str], kinds: npt.NDArray[np.int64]) -> list[float]:
    """P(covering), P(contradicting), P(neither) of one bag (a kind no graded answer had: 0;
    graded answers all of one kind: 1 for it)."""
    shares = [0.0] * KINDS
    if fitted is None:
        if len(kinds):
            shares[int(kinds[0])] = 1.0
        return shares
    words, regression = fitted
    known = frozenset(words.classes_)
    probabilities = regression.predict_proba(words.transform([bag & known]))[0]
    for kind, probability in zip(regression.classes_, probabilities, strict=True):
        shares[int(kind)] = float(probability)
    return shares
