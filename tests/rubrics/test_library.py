from __future__ import annotations

from pathlib import Path

import pytest

from rubrics import Rubric, find_rubric_files, library_path

SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "track-ii-diplomacy.txt"

EXPECTED = {
    "track-ii/complement": ["informal-space", "trust-building", "informs-official"],
    "track-ii/conflict-resolution": [
        "dialogue-between-parties",
        "neutral-facilitators",
        "brainstorming-solutions",
        "creative-approaches",
    ],
    "track-ii/challenges": ["lack-of-legitimacy", "official-resistance", "lasting-agreements"],
}


def test_library_ships_one_rubric_per_review_question(library: dict[str, Rubric]) -> None:
    assert {rid: [p.id for p in r.points] for rid, r in library.items()} == EXPECTED


def test_library_files_live_under_track_ii() -> None:
    files = find_rubric_files(library_path())
    assert {f.parent.name for f in files} == {"track-ii"}


@pytest.mark.parametrize("rubric_id", sorted(EXPECTED))
def test_max_score_is_one_per_point(library: dict[str, Rubric], rubric_id: str) -> None:
    rubric = library[rubric_id]
    assert rubric.scoring.max_score == len(rubric.points)


@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside this checkout")
def test_library_model_answers_are_the_seed_texts(library: dict[str, Rubric]) -> None:
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    for rubric in library.values():
        assert " ".join(rubric.question.split()) in seed
        assert all(" ".join(a.split()) in seed for a in rubric.model_answers)
