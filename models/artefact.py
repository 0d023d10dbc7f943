"""Plain-JSON artefacts shipped in `models/artefacts/`: where they are, reading and writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from models.errors import ModelLoadError


def artefacts_path() -> Path:
    """Folder of the artefacts shipped inside the package."""
    return Path(__file__).resolve().parent / "artefacts"


def read_artefact(path: Path, schema: str, kind: str) -> dict[str, Any]:
    """The JSON document at `path`, refused unless it declares `schema`."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(f"{path}: cannot read {kind} artefact: {exc}") from exc
    if not isinstance(document, dict) or document.get("schema") != schema:
        article = "an" if kind[:1] in "aeiou" else "a"
        raise ModelLoadError(f"{path}: not {article} {kind} artefact ({schema})")
    return document


def write_artefact(document: dict[str, Any], path: str | Path, indent: int | None = 2) -> Path:
    """Write an artefact as JSON, creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=indent) + "\n", encoding="utf-8")
    return path
