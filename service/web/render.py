"""Shared rendering: the Jinja2 templates and highlighting evidence in an answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))


def highlight(answer: str, points: list[dict[str, Any]]) -> list[tuple[str, list[str]]]:
    """The answer cut into pieces, each with the labels of the points whose evidence it is."""
    cuts = {0, len(answer)}
    for point in points:
        evidence = point.get("evidence")
        if evidence:
            cuts.update((evidence["start"], evidence["end"]))
    edges = sorted(c for c in cuts if 0 <= c <= len(answer))
    pieces = []
    for start, end in zip(edges, edges[1:], strict=False):
        labels = [
            p["label"]
            for p in points
            if p.get("evidence") and p["evidence"]["start"] <= start and end <= p["evidence"]["end"]
        ]
        pieces.append((answer[start:end], labels))
    return pieces
