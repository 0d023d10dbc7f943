"""Read and write rubric files (YAML or JSON) and folders of them."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rubrics.errors import RubricFileError, RubricNotFoundError, RubricValidationError
from rubrics.schema import SCHEMA_V1, Rubric

RUBRIC_SUFFIXES = (".yaml", ".yml", ".json")


def _field_path(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path or "(document)"


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "greater_than":
        return f"must be > {ctx['gt']:g}"
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not a rubric field (check its spelling)"
    if kind == "too_short" and error["loc"] and error["loc"][-1] == "points":
        return "needs at least one point"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_pattern_mismatch":
        return "may use only letters, digits, '.', '_', '-' (and '/' between parts of a rubric id)"
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return message[:1].lower() + message[1:]


def _problems(exc: ValidationError) -> list[str]:
    # Document-level checks (duplicate ids) name their own field in the message.
    return [
        f"{_field_path(error['loc'])}: {_message(error)}" if error["loc"] else _message(error)
        for error in exc.errors()
    ]


def parse_rubric(document: object, source: str = "<rubric>") -> Rubric:
    """Validate a parsed document; errors name the source and each bad field."""
    if not isinstance(document, Mapping):
        raise RubricValidationError(source, ["(document): must be a mapping of rubric fields"])
    schema = document.get("schema", SCHEMA_V1)
    if schema != SCHEMA_V1:
        raise RubricValidationError(
            source, [f"schema: unknown schema {schema!r}; this version reads {SCHEMA_V1!r}"]
        )
    try:
        return Rubric.model_validate(dict(document))
    except ValidationError as exc:
        raise RubricValidationError(source, _problems(exc)) from exc


def parse_rubric_text(text: str, source: str = "<rubric>", fmt: str = "yaml") -> Rubric:
    """Parse YAML (a superset of JSON) or JSON text into a rubric."""
    try:
        document = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise RubricFileError(f"{source}: not valid {fmt.upper()}: {exc}") from exc
    return parse_rubric(document, source)


def load_rubric(path: str | Path) -> Rubric:
    """Load one rubric file; the format follows the suffix (.yaml, .yml or .json)."""
    path = Path(path)
    if path.suffix.lower() not in RUBRIC_SUFFIXES:
        raise RubricFileError(f"{path}: a rubric file ends in .yaml, .yml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RubricFileError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise RubricFileError(f"{path}: not UTF-8 text") from exc
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_rubric_text(text, str(path), fmt)


def dump_rubric(rubric: Rubric, fmt: str = "yaml") -> str:
    """The rubric as YAML or JSON text, in schema field order."""
    document = rubric.to_document()
    if fmt == "json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def save_rubric(rubric: Rubric, path: str | Path) -> Path:
    """Write a rubric; the suffix chooses YAML or JSON."""
    path = Path(path)
    if path.suffix.lower() not in RUBRIC_SUFFIXES:
        raise RubricFileError(f"{path}: a rubric file ends in .yaml, .yml or .json")
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump_rubric(rubric, fmt), encoding="utf-8")
    return path


def find_rubric_files(folder: str | Path) -> list[Path]:
    """Rubric files under a folder, searched recursively, in a stable order."""
    folder = Path(folder)
    return sorted(p for p in folder.rglob("*") if p.suffix.lower() in RUBRIC_SUFFIXES)


def load_rubrics(path: str | Path) -> dict[str, Rubric]:
    """Load a rubric file or every rubric under a folder, keyed by rubric id."""
    path = Path(path)
    if not path.exists():
        raise RubricFileError(f"{path}: no such file or folder")
    if path.is_file():
        rubric = load_rubric(path)
        return {rubric.id: rubric}
    rubrics: dict[str, Rubric] = {}
    origin: dict[str, Path] = {}
    for file in find_rubric_files(path):
        rubric = load_rubric(file)
        if rubric.id in rubrics:
            raise RubricValidationError(
                str(file), [f"id: {rubric.id!r} is already used by {origin[rubric.id]}"]
            )
        rubrics[rubric.id] = rubric
        origin[rubric.id] = file
    if not rubrics:
        raise RubricFileError(f"{path}: no rubric files (.yaml, .yml, .json) in this folder")
    return rubrics


def get_rubric(rubrics: Mapping[str, Rubric], rubric_id: str) -> Rubric:
    """Look a rubric up by id with an error that lists what is there."""
    try:
        return rubrics[rubric_id]
    except KeyError:
        known = ", ".join(sorted(rubrics)) or "none"
        raise RubricNotFoundError(f"no rubric with id {rubric_id!r} (known: {known})") from None


def library_path() -> Path:
    """Folder of the rubrics that ship with assess."""
    return Path(__file__).resolve().parent / "library"
