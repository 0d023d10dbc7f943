"""What the pair judge reads of an answer: the (phrasing, text) pairs of each item (read for a
whole batch at once by `judge_evidence`), and, where a teacher has graded answers, the answer
against the closest ones graded covering an item."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from assess.align import ItemAlignment
from assess.analyse import Analysis
from assess.config import GraderConfig
from assess.errors import AssessError
from assess.neighbours import ExampleBank, peer_references
from models.judge import PairJudge
from rubrics.copies import nearness


def judged_text(
    answer: str, alignment: ItemAlignment, config: GraderConfig, n_points: int = 1
) -> str:
    """What the pair judge reads of an answer for one item of a rubric of `n_points`: the
    whole answer when it is short and the rubric reads short answers whole
    (`GraderConfig.reads_whole_in`), else the evidence's sentence. In a rubric of several
    points a short answer's other sentences are about the other points, and the judge,
    fitted on answers to one point, reads them as this point's denial."""
    if len(answer.split()) <= config.judge_whole_answer_words and config.reads_whole_in(n_points):
        return answer
    return alignment.sentence or alignment.context


def judge_pairs(
    answer: str, alignment: ItemAlignment, config: GraderConfig, n_points: int = 1
) -> list[tuple[str, str]]:
    """The (phrasing, text) pairs the pair judge reads for one item: its phrasings closest to
    the evidence, against the whole answer when it is short (else the evidence's sentence),
    where the two are near enough in words for the judge to be heard (`config.judge_near`)."""
    if alignment.evidence is None:
        return []
    text = judged_text(answer, alignment, config, n_points)
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
    points = analysis.index.n_points
    correct = judge.predict(
        [(graded, judged_text(analysis.answer, analysis.alignments[n], config, points))
         for n, graded in chosen]
    )[:, 0]  # fmt: skip
    counts = np.bincount(items, minlength=size)
    sums = np.bincount(items, weights=correct, minlength=size)
    return np.divide(sums, counts, out=np.full(size, np.nan), where=counts > 0)


def judge_evidence(
    judge: PairJudge, config: GraderConfig, analyses: Sequence[Analysis | AssessError]
) -> list[Analysis | AssessError]:
    """The analyses with the pair judge's read of every item's evidence: one judge call for
    the whole batch, as for the encoder; an item stated in any of its phrasings is stated,
    so the most crediting read is kept."""
    pairs: list[tuple[str, str]] = []
    owners: list[tuple[int, int]] = []  # (analysis, item) of each pair
    for n, analysis in enumerate(analyses):
        if isinstance(analysis, AssessError):
            continue
        for m, alignment in enumerate(analysis.alignments):
            for phrasing, text in judge_pairs(
                analysis.answer, alignment, config, analysis.index.n_points
            ):
                pairs.append((phrasing, text))
                owners.append((n, m))
    if not pairs:
        return list(analyses)
    best: dict[tuple[int, int], tuple[float, float, float]] = {}
    for owner, row in zip(owners, judge.predict(pairs), strict=True):
        if owner not in best or row[0] > best[owner][0]:
            best[owner] = (float(row[0]), float(row[1]), float(row[2]))
    judged: list[Analysis | AssessError] = []
    for n, analysis in enumerate(analyses):
        if isinstance(analysis, AssessError):
            judged.append(analysis)
            continue
        credits = config.judge_credits_in(analysis.index.n_points)
        alignments = [
            replace(a, judged=best[(n, m)], judge_credits=credits) if (n, m) in best else a
            for m, a in enumerate(analysis.alignments)
        ]
        judged.append(replace(analysis, alignments=alignments))
    return judged
