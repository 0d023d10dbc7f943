"""Decision thresholds fitted beforehand (baselines, score bands), shipped as plain JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.calibrator import artefacts_path
from models.errors import ModelLoadError

DEFAULT_BASELINES = "baselines-v1.json"
THRESHOLDS_SCHEMA = "assess.thresholds/v1"


def load_thresholds(path: str | Path | None = None) -> dict[str, Any]:
    """A thresholds artefact: `{"thresholds": {name: {corpus: value}}, "card": {...}}`."""
    path = Path(path) if path else artefacts_path() / DEFAULT_BASELINES
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{path}: cannot read thresholds artefact: {exc}") from exc
    if not isinstance(document, dict) or document.get("schema") != THRESHOLDS_SCHEMA:
        raise ModelLoadError(f"{path}: not a thresholds artefact ({THRESHOLDS_SCHEMA})")
    return document


def save_thresholds(document: dict[str, Any], path: str | Path) -> Path:
    """Write a thresholds artefact as indented JSON."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"schema": THRESHOLDS_SCHEMA, **document}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path
