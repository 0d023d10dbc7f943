"""Readable terminal output: rich tables for one result and for a batch."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table
from rich.text import Text

from assess import AssessmentResult

STATUS_STYLE = {
    "covered": "green",
    "partial": "yellow",
    "missing": "red",
    "contradicted": "magenta",
}
EVIDENCE_CHARS = 90


def _short(text: str, limit: int = EVIDENCE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def show_result(console: Console, result: AssessmentResult) -> None:
    """One answer: a row per point, then score, flags and feedback."""
    table = Table(title=f"{result.rubric_id} (version {result.rubric_version})")
    table.add_column("point")
    table.add_column("status")
    table.add_column("coverage", justify="right")
    table.add_column("evidence")
    for point in result.points:
        style = STATUS_STYLE[point.status]
        table.add_row(
            point.label,
            Text(point.status, style=style),
            f"{point.coverage:.2f}",
            _short(point.evidence.text) if point.evidence else "-",
        )
    console.print(table)
    review = "  needs review" if result.needs_review else ""
    console.print(
        f"score {result.score:g} / {result.max_score:g}   confidence {result.confidence:.2f}"
        f"{review}   flags: {', '.join(result.flags) or 'none'}"
    )
    console.print(result.feedback, highlight=False)


GLYPH = {"covered": "✓", "partial": "~", "missing": "✗", "contradicted": "!"}


def show_batch(console: Console, results: Iterable[AssessmentResult]) -> None:
    """Many answers: a row each, one coloured mark and coverage per point."""
    table = Table(title="assessments")
    table.add_column("answer", overflow="fold")
    table.add_column("rubric", overflow="ellipsis", max_width=24)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("points, in rubric order", no_wrap=True)
    table.add_column("flags", overflow="fold")
    for result in results:
        marks = Text()
        for point in result.points:
            marks.append(
                f"{GLYPH[point.status]}{point.coverage:.2f} ", style=STATUS_STYLE[point.status]
            )
        score = f"{result.score:g}/{result.max_score:g}" + (" ?" if result.needs_review else "")
        table.add_row(
            result.answer_id or "-", result.rubric_id, score, marks, ", ".join(result.flags)
        )
    console.print(table)
    console.print(
        "✓ covered, ~ partial, ✗ missing, ! contradicted (number: P(covered)); ? needs review",
        style="dim",
    )
