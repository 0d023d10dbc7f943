from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rubrics import (
    Rubric,
    RubricFileError,
    RubricNotFoundError,
    RubricValidationError,
    dump_rubric,
    get_rubric,
    load_rubric,
    load_rubrics,
    parse_rubric,
    save_rubric,
)


def document(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "schema": "assess.rubric/v1",
        "id": "course/q1",
        "question": "Why is the sky blue?",
        "model_answers": ["Air scatters blue light more than red light."],
        "points": [
            {"id": "scattering", "label": "scattering", "text": "Air molecules scatter light."},
            {"id": "blue-more", "label": "blue scatters more", "text": "Blue scatters most."},
        ],
        "scoring": {"max_score": 2, "partial_credit": True},
    }
    base.update(changes)
    return base


def test_a_valid_document_parses_with_defaults() -> None:
    rubric = parse_rubric(document())
    assert rubric.id == "course/q1"
    assert [p.weight for p in rubric.points] == [1.0, 1.0]
    assert rubric.points[0].exemplars == []
    assert rubric.misconceptions == []


def test_version_is_a_content_hash() -> None:
    one = parse_rubric(document())
    same = parse_rubric(document())
    edited = parse_rubric(document(question="Why is the sky blue at noon?"))
    assert one.version == same.version
    assert one.version != edited.version


def _points(*weights: float) -> list[dict[str, Any]]:
    return [{"id": f"p{i}", "label": "l", "text": "t", "weight": w} for i, w in enumerate(weights)]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"points": _points(1, 1, 0)}, "points[2].weight: must be > 0"),
        ({"points": []}, "points: needs at least one point"),
        ({"schema": "assess.rubric/v9"}, "schema: unknown schema 'assess.rubric/v9'"),
        ({"question": "  "}, "question: must not be empty"),
        ({"pointz": []}, "pointz: is not a rubric field"),
        ({"id": "bad id!"}, "id: may use only letters"),
        ({"scoring": {"max_score": -1}}, "scoring.max_score: must be > 0"),
        (
            {
                "points": [
                    {"id": "a", "label": "l", "text": "t"},
                    {"id": "a", "label": "l", "text": "u"},
                ]
            },
            "points[1].id: duplicate point id 'a'",
        ),
        ({"points": [{"id": "a", "text": "t"}]}, "points[0].label: is required"),
    ],
)
def test_invalid_documents_name_the_field(changes: dict[str, Any], problem: str) -> None:
    with pytest.raises(RubricValidationError) as caught:
        parse_rubric(document(**changes), source="rubrics/x.yaml")
    assert f"rubrics/x.yaml: {problem}" in str(caught.value)


def test_a_validation_error_in_a_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: a\nquestion: q\npoints:\n  - {id: p, label: l, text: t, weight: 0}\n")
    with pytest.raises(RubricValidationError, match=r"x\.yaml: points\[0\]\.weight: must be > 0"):
        load_rubric(path)


def test_malformed_yaml_is_a_file_error(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(RubricFileError, match="not valid YAML"):
        load_rubric(path)


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_save_and_load_round_trip(tmp_path: Path, suffix: str) -> None:
    rubric = parse_rubric(document(misconceptions=[{"id": "m", "text": "Sky reflects sea."}]))
    again = load_rubric(save_rubric(rubric, tmp_path / f"r{suffix}"))
    assert again == rubric
    assert again.version == rubric.version


def test_yaml_keeps_schema_first_for_people() -> None:
    assert dump_rubric(parse_rubric(document())).startswith(
        "schema: assess.rubric/v1\nid: course/q1"
    )


def test_a_folder_is_searched_recursively_and_keyed_by_id(tmp_path: Path) -> None:
    save_rubric(parse_rubric(document(id="a/one")), tmp_path / "a" / "one.yaml")
    save_rubric(parse_rubric(document(id="b/two")), tmp_path / "b" / "deep" / "two.json")
    found = load_rubrics(tmp_path)
    assert sorted(found) == ["a/one", "b/two"]
    assert isinstance(get_rubric(found, "b/two"), Rubric)
    with pytest.raises(RubricNotFoundError, match="known: a/one, b/two"):
        get_rubric(found, "c/three")


def test_two_files_with_one_id_are_refused(tmp_path: Path) -> None:
    save_rubric(parse_rubric(document()), tmp_path / "one.yaml")
    save_rubric(parse_rubric(document()), tmp_path / "two.yaml")
    with pytest.raises(RubricValidationError, match="'course/q1' is already used by"):
        load_rubrics(tmp_path)


def test_a_missing_path_and_an_empty_folder_are_clear(tmp_path: Path) -> None:
    with pytest.raises(RubricFileError, match="no such file or folder"):
        load_rubrics(tmp_path / "nope")
    with pytest.raises(RubricFileError, match="no rubric files"):
        load_rubrics(tmp_path)


def test_an_edited_copy_gets_a_new_version() -> None:
    rubric = parse_rubric(document())
    edited = rubric.model_copy(
        update={"scoring": rubric.scoring.model_copy(update={"max_score": 5})}
    )
    assert edited.version != rubric.version
