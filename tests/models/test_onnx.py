"""The ONNX backends: the same weights, exported at setup time, give the same vectors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from models import DEFAULT_MODEL_NAME, Encoder, ModelLoadError, load_encoder
from models.encoder import file_sha256
from models.onnx import (
    FILE_NAMES,
    MAX_PADDING,
    TOKEN_BUDGET,
    export_dir,
    export_onnx,
    length_batches,
    load_onnx_encoder,
)

TEXTS = [
    "Track II talks let people speak freely without the pressure of formal negotiations.",
    "GDP grew.",
    "It builds trust.",
    # Longer than the model's 256-token limit: both backends must cut it at the same place.
    " ".join(["Informal dialogue between the two communities fosters mutual trust."] * 40),
]


@pytest.fixture(scope="module")
def onnx_fp32() -> Encoder:
    return load_encoder(backend="onnx")


@pytest.fixture(scope="module")
def onnx_int8() -> Encoder:
    return load_encoder(backend="onnx-int8")


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(a * b, axis=1)


def test_fp32_export_gives_the_torch_vectors(encoder: Encoder, onnx_fp32: Encoder) -> None:
    assert cosines(onnx_fp32.embed(TEXTS), encoder.embed(TEXTS)).min() > 0.9999


def test_int8_export_stays_close_to_torch(encoder: Encoder, onnx_int8: Encoder) -> None:
    agreement = cosines(onnx_int8.embed(TEXTS), encoder.embed(TEXTS))
    assert agreement.min() > 0.95
    assert agreement.mean() > 0.98


@pytest.mark.parametrize("backend", ["onnx", "onnx-int8"])
def test_results_name_the_backend_and_hash_the_file_used(backend: str) -> None:
    encoder = load_encoder(backend=backend)
    assert encoder.info.name == f"{DEFAULT_MODEL_NAME}+{backend}"
    folder = export_onnx()  # already exported by `make setup`: returns at once
    assert encoder.info.sha256 == file_sha256(folder / FILE_NAMES[backend])


def test_a_missing_export_says_how_to_make_it(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="make setup"):
        load_onnx_encoder(None, "onnx-int8", root=tmp_path)


def test_an_unknown_backend_is_a_clear_error() -> None:
    with pytest.raises(ModelLoadError, match="unknown encoder backend 'tensorrt'"):
        load_encoder(backend="tensorrt")


def test_exports_are_keyed_by_the_source_weights(tmp_path: Path) -> None:
    assert export_dir("ab" * 32, tmp_path) == tmp_path / ("ab" * 8)


def test_empty_batch_gives_an_empty_matrix(onnx_int8: Encoder) -> None:
    assert onnx_int8.embed([]).shape == (0, onnx_int8.dimension)


def test_batches_of_like_length_cover_every_text_with_little_padding() -> None:
    lengths = [60, 58, 40, 39, 38, 20, 12, 12, 12, 11, 3]
    batches = length_batches(lengths, batch_size=3)
    assert [i for first, last in batches for i in range(first, last)] == list(range(len(lengths)))
    for first, last in batches:
        rows = lengths[first:last]
        assert len(rows) <= 3
        assert sum(rows) >= (1 - MAX_PADDING) * rows[0] * len(rows)


def test_a_batch_of_long_texts_stays_within_the_token_budget() -> None:
    batches = length_batches([256] * 20, batch_size=32)
    assert all((last - first) * 256 <= TOKEN_BUDGET for first, last in batches)


def test_without_a_padding_limit_batches_are_cut_by_size_only() -> None:
    assert length_batches([60, 30, 10, 5, 2], batch_size=2, max_padding=1.0) == [
        (0, 2),
        (2, 4),
        (4, 5),
    ]
