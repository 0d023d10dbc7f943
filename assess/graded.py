"""Teacher-graded answers: what a teacher says of an answer, and which points it exemplifies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assess.recalibration import GradedExemplar
from rubrics import Rubric

DENIED = -1  # a per-point grade: the answer contradicts the point


@dataclass(frozen=True)
class GradedRow:
    """One teacher-graded answer; `points` maps point ids to 1 (covered), 0 (not) or -1
    (contradicted) where the teacher gave them."""

    answer_id: str
    answer: str
    score: float
    points: dict[str, float] = field(default_factory=dict)

    def share(self, max_score: float) -> float:
        """The score as a share of `max_score`, within [0, 1]."""
        return min(max(self.score / max_score, 0.0), 1.0)


def graded_exemplars(rubric: Rubric, rows: Sequence[GradedRow]) -> list[GradedExemplar]:
    """The answers whose grade says, point by point, covered or not: per-point grades where
    the teacher gave them; every point for a full or a zero score; the one point of a
    one-point rubric from its score (half marks or more: covered). Only a per-point grade
    says whether an answer not covering a point contradicts it (-1) or not (0)."""
    found = []
    for row in rows:
        share = row.share(rubric.scoring.max_score)
        for point in rubric.points:
            denied = None
            if point.id in row.points:
                covered = row.points[point.id] >= 0.5
                denied = row.points[point.id] == DENIED
            elif share >= 1.0 or share <= 0.0 or len(rubric.points) == 1:
                covered = share >= 0.5
            else:
                continue
            found.append(GradedExemplar(point.id, row.answer, covered, denied))
    return found
