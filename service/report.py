"""The class report: which points the class covered, and which it missed."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from service.schemas import BatchReport, PointShare


def class_report(batch_id: str, results: list[dict[str, Any]]) -> BatchReport:
    """Per rubric point, the share of graded answers covering it fully and partly."""
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    labels: dict[tuple[str, str], str] = {}
    for result in results:
        for point in result["points"]:
            key = (result["rubric_id"], point["id"])
            labels[key] = point["label"]
            tally = counts[key]
            tally[0] += 1
            tally[1] += point["status"] == "covered"
            tally[2] += point["status"] == "partial"
    points = [
        PointShare(
            rubric_id=rid,
            point_id=pid,
            label=labels[(rid, pid)],
            covered=round(tally[1] / tally[0], 3),
            partial=round(tally[2] / tally[0], 3),
        )
        for (rid, pid), tally in counts.items()
    ]
    scores = [float(r["score"]) for r in results]
    return BatchReport(
        batch_id=batch_id,
        graded=len(results),
        mean_score=round(sum(scores) / len(scores), 3) if scores else None,
        points=points,
    )
