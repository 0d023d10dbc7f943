"""The judge's committed difference: coded in a few bits a weight, decoded to the same shape,
saved as safetensors that say what they are, and assembled by `make setup` into the judge."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from models import ModelLoadError, judge_delta
from models.encoder import file_sha256
from models.judge import LABELS, MANIFEST, default_judge_dir
from models.judge_build import CARD_SCHEMA, card_path, default_delta

RNG = np.random.default_rng(7)
DIFFERENCE = RNG.normal(0.0, 1e-3, size=(48, 96)).astype(np.float32)


def relative_error(bits: int) -> float:
    packed, scales = judge_delta.quantise_rows(DIFFERENCE, bits)
    decoded = judge_delta.dequantise_rows(packed, scales, DIFFERENCE.shape, bits)
    return float(np.sqrt(((decoded - DIFFERENCE) ** 2).mean()) / DIFFERENCE.std())


def test_each_bit_halves_the_error_roughly_and_costs_bits_a_weight() -> None:
    errors = [relative_error(bits) for bits in (1, 2, 3, 4)]
    # One bit is the sign times the mean size, sqrt(1 - 2/pi) = 0.60 of a normal's spread.
    assert errors[0] == pytest.approx(0.60, abs=0.03)
    pairs = zip(errors[:-1], errors[1:], strict=True)
    assert all(later < 0.65 * earlier for earlier, later in pairs)
    assert errors[3] < 0.12
    packed, scales = judge_delta.quantise_rows(DIFFERENCE, 3)
    assert packed.nbytes == DIFFERENCE.size * 3 // 8
    assert scales.shape == (DIFFERENCE.shape[0],)


def test_bit_widths_outside_one_to_eight_are_refused() -> None:
    with pytest.raises(ValueError, match="bits"):
        judge_delta.quantise_rows(DIFFERENCE, 0)


def test_only_what_training_moved_is_stored_and_decoding_rebuilds_every_shape() -> None:
    base = {
        "embeddings": RNG.normal(size=(10, 4)).astype(np.float32),
        "layer.weight": RNG.normal(size=(8, 4)).astype(np.float32),
        "layer.bias": np.zeros(8, dtype=np.float32),
    }
    tuned = {
        "embeddings": base["embeddings"].copy(),  # frozen
        "layer.weight": base["layer.weight"] + DIFFERENCE[:8, :4],
        "layer.bias": np.full(8, 0.1, dtype=np.float32),
        "classifier.weight": np.ones((3, 4), dtype=np.float32),  # new: stored whole
    }
    stored = judge_delta.encode(base, tuned, bits=4)
    assert "embeddings" not in stored and "layer.weight" not in stored
    assert set(stored) >= {"layer.weight:codes", "layer.weight:scales", "layer.bias"}
    decoded = judge_delta.decode(base, stored, bits=4)
    assert set(decoded) == {"layer.weight", "layer.bias", "classifier.weight"}
    np.testing.assert_array_equal(decoded["classifier.weight"], tuned["classifier.weight"])
    np.testing.assert_array_equal(decoded["layer.bias"], tuned["layer.bias"])
    assert np.abs(decoded["layer.weight"] - tuned["layer.weight"]).max() < 5e-4


def test_a_saved_difference_reads_back_and_other_files_are_refused(tmp_path: Path) -> None:
    tensors = {"w:codes": np.arange(6, dtype=np.uint8), "w:scales": np.ones(2, np.float32)}
    path = judge_delta.save(tmp_path / "d.safetensors", tensors, bits=2)
    read, bits = judge_delta.load(path)
    assert bits == 2
    np.testing.assert_array_equal(read["w:codes"], tensors["w:codes"])
    from safetensors.numpy import save_file

    save_file({"w": np.ones(2, np.float32)}, str(tmp_path / "other.safetensors"))
    with pytest.raises(ModelLoadError, match="not a judge difference"):
        judge_delta.load(tmp_path / "other.safetensors")
    (tmp_path / "junk.safetensors").write_bytes(b"not safetensors")
    with pytest.raises(ModelLoadError, match="could not read"):
        judge_delta.load(tmp_path / "junk.safetensors")


def test_the_committed_difference_is_small_and_its_card_says_how_it_was_trained() -> None:
    delta = default_delta()
    assert delta.stat().st_size < 6_000_000  # a few MB: it lives in git
    card = json.loads(card_path(delta).read_text())
    assert card["schema"] == CARD_SCHEMA
    assert card["labels"] == list(LABELS)
    assert card["bits"] == judge_delta.load(delta)[1]
    assert card["recipe"]["holdout"] == 0.0  # trained on every train question


def test_setup_assembled_the_judge_from_the_committed_difference() -> None:
    manifest = json.loads((default_judge_dir() / MANIFEST).read_text())
    assert manifest["delta_sha256"] == file_sha256(default_delta())
