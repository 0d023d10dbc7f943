"""What the pair judge reads of an answer: the (phrasing, text) pairs of each item, and, where
a teacher has graded answers, the answer against the closest ones graded covering an item."""

from __future__ import annotations

import numpy as np

from assess.align import ItemAlignment
from assess.analyse import Analysis
from assess.config import GraderConfig
from assess.neighbours import ExampleBank, peer_references
from models.judge import PairJudge
from rubrics.copies import nearness


def judged_text(answer: str, alignment: ItemAlignment, config: GraderConfig) -> str:
    """What the pair judge reads of an answer for one item: the whole answer when it is
    short, else the evidence's sentence."""
    if len(answer.split()) <= config.judge_whole_answer_words:
        return answer
    return alignment.sentence or alignment.context


def judge_pairs(
    answer: str, alignment: ItemAlignment, config: GraderConfig
) -> list[tuple[str, str]]:
    """The (phrasing, text) pairs the pair judge reads for one item: its phrasings closest to
    the evidence, against the whole answer when it is short (else the evidence's sentence),
    where the two are near enough in words for the judge to be heard (`config.judge_near`)."""
    if alignment.evidence is None:
        return []
    text = judged_text(answer, alignment, config)
    return [
        (phrasing, text)
        for phrasing in alignment.phrasings[: config.judge_phrasings]
        if config.judge_near <= 0 or nearness(text, [phrasing]) >= config.judge_near
    ]


def peer_reads(
    judge: PairJudge, config: GraderConfig, bank: ExampleBank, analysis: Analysis, own: str | None
) -> np.ndarray:
    """Per item, the pair judge's mean P(correct) of the answer read against the
    `config.peer_neighbours` closest graded answers covering it (leaving out graded answers
    of the text `own` where given); NaN where it read none."""
    ids = [p.id for p in analysis.index.rubric.points]
    chosen = peer_references(bank, ids, analysis.alignments, own, config.peer_neighbours)
    size = len(analysis.alignments)
    if not chosen:
        return np.full(size, np.nan)
    items = np.array([n for n, _ in chosen])
    correct = judge.predict(
        [(graded, judged_text(analysis.answer, analysis.alignments[n], config))
         for n, graded in chosen]
    )[:, 0]  # fmt: skip
    counts = np.bincount(items, minlength=size)
    sums = np.bincount(items, weights=correct, minlength=size)
    return np.divide(sums, counts, out=np.full(size, np.nan), where=counts > 0)
