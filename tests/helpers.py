"""Test helpers that wrap real objects (never stand-ins for them)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from assess import Grader
from models import Embeddings, Encoder, EncoderInfo
from models.encoder import DEFAULT_CACHE_SIZE

# The public data sets the suites read, beside this checkout as on CI.
SEMEVAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "semeval2013-3way"


class CountingEncoder(Encoder):
    """The real encoder, recording the texts that reach the model."""

    def __init__(self, inner: Encoder, cache_size: int = DEFAULT_CACHE_SIZE) -> None:
        super().__init__(cache_size)
        self.inner = inner
        self.encoded: list[str] = []

    @property
    def info(self) -> EncoderInfo:
        return self.inner.info

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    def embed_batch(self, texts: Sequence[str]) -> Embeddings:
        self.encoded.extend(texts)
        return self.inner.embed_batch(texts)


def with_config(grader: Grader, **changes: object) -> Grader:
    """The same engine (its models, calibrations and caches) with some settings changed."""
    twin = grader.calibrated(grader.calibrations)
    twin.config = replace(grader.config, **changes)  # type: ignore[arg-type]
    return twin
