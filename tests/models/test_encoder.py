from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import (
    DEFAULT_MODEL_NAME,
    Encoder,
    ModelLoadError,
    load_encoder,
    weights_sha256,
)
from models.encoder import default_model_path
from tests.helpers import CountingEncoder


def test_default_encoder_is_the_packaged_minilm(encoder: Encoder) -> None:
    assert encoder.info.name == DEFAULT_MODEL_NAME
    assert encoder.dimension == 384
    assert encoder.info.sha256 == weights_sha256(default_model_path())
    assert len(encoder.info.sha256) == 64


def test_embeddings_are_unit_length_and_meaningful(encoder: Encoder) -> None:
    vectors = encoder.embed(["The cat sat on the mat.", "A cat was sitting on a rug.", "GDP grew."])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.3


def test_repeated_texts_reach_the_model_once(encoder: Encoder) -> None:
    counting = CountingEncoder(encoder)
    first = counting.embed(["trust", "dialogue", "trust"])
    second = counting.embed(["dialogue"])
    assert counting.encoded == ["trust", "dialogue"]
    assert np.array_equal(first[0], first[2])
    assert np.array_equal(first[1], second[0])


def test_the_cache_is_bounded(encoder: Encoder) -> None:
    counting = CountingEncoder(encoder, cache_size=2)
    counting.embed(["one", "two", "three"])
    counting.embed(["one"])
    assert counting.encoded == ["one", "two", "three", "one"]


def test_empty_batch_gives_an_empty_matrix(encoder: Encoder) -> None:
    assert encoder.embed([]).shape == (0, encoder.dimension)


def test_a_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="never downloaded"):
        load_encoder(str(tmp_path / "no-such-model"))


def test_a_folder_without_weights_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="could not load encoder|no weight files"):
        load_encoder(str(tmp_path))
