"""How far a change of encoder backend (or of the encoding path) moves the results.

Run: .venv/bin/python scripts/agreement.py [--a torch] [--b onnx-int8] [--csv FILE]

Grades the same answers (default: examples/track-ii-answers.csv against the Track II library)
with two backends and prints the share of point statuses, flags and needs_review calls that
agree, and the mean and largest score difference.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def grade(backend: str, csv_path: Path) -> list[Any]:
    """Results of every row of the CSV with the given backend."""
    from assess import AnswerRequest, read_rows
    from rubrics import library_path, load_rubrics
    from service.settings import Settings
    from service.wiring import build_grader

    grader = build_grader(Settings(encoder_backend=backend))
    rubrics = load_rubrics(library_path())
    rows = read_rows(csv_path, need_rubric=True)
    requests = [AnswerRequest(rubrics[r.rubric_id or ""], r.answer, r.answer_id) for r in rows]
    return grader.assess_many(requests)


def compare(first: Sequence[Any], second: Sequence[Any]) -> dict[str, Any]:
    """Agreement figures between two lists of results for the same answers."""
    pairs = list(zip(first, second, strict=True))
    statuses = [
        (p.status, q.status) for a, b in pairs for p, q in zip(a.points, b.points, strict=True)
    ]
    changed = [
        f"{a.answer_id}/{p.id}: {p.status} -> {q.status}"
        for a, b in pairs
        for p, q in zip(a.points, b.points, strict=True)
        if p.status != q.status
    ]
    diffs = [abs(a.score - b.score) for a, b in pairs]
    return {
        "answers": len(pairs),
        "points": len(statuses),
        "status_agreement": round(sum(x == y for x, y in statuses) / len(statuses), 4),
        "flags_agreement": round(sum(a.flags == b.flags for a, b in pairs) / len(pairs), 4),
        "review_agreement": round(
            sum(a.needs_review == b.needs_review for a, b in pairs) / len(pairs), 4
        ),
        "mean_abs_score_diff": round(sum(diffs) / len(diffs), 4),
        "max_abs_score_diff": round(max(diffs), 4),
        "changed": changed,
        "models": [first[0].model.name, second[0].model.name],
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Grade with both backends and print the agreement as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--a", default="torch")
    parser.add_argument("--b", default="onnx-int8")
    parser.add_argument("--csv", type=Path, default=REPO / "examples" / "track-ii-answers.csv")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(json.dumps(compare(grade(args.a, args.csv), grade(args.b, args.csv)), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
