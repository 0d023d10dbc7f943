"""Decision thresholds fitted beforehand (baselines, score bands), shipped as plain JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from models.artefact import artefacts_path, read_artefact, write_artefact

DEFAULT_BASELINES = "baselines-v1.json"
THRESHOLDS_SCHEMA = "assess.thresholds/v1"


def load_thresholds(path: str | Path | None = None) -> dict[str, Any]:
    """A thresholds artefact: `{"thresholds": {name: {corpus: value}}, "card": {...}}`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_BASELINES
    return read_artefact(path, THRESHOLDS_SCHEMA, "thresholds")


def save_thresholds(document: dict[str, Any], path: str | Path) -> Path:
    """Write a thresholds artefact as indented JSON."""
    return write_artefact({"schema": THRESHOLDS_SCHEMA, **document}, path)
