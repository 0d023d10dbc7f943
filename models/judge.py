"""The pair judge: a cross-encoder that reads a rubric point and a student's text together.

A bi-encoder compares two vectors made apart, so "does not build trust" sits next to "builds
trust". The judge reads both texts in one pass (the packaged MiniLM fine-tuned on graded
answer pairs by `make judge`, see `assess.judge_training`) and returns, per pair,
P(correct), P(contradictory) and P(incorrect): does the text state the point, deny it, or
neither. It runs on ONNX Runtime (int8). Experimental and off by default: see the README's
"Accuracy" section for what it does and does not get right.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.encoder import file_sha256
from models.errors import ModelLoadError
from models.onnx import session_options

LABELS = ("correct", "contradictory", "incorrect")
MANIFEST = "judge.json"
ONNX_FILE = "judge-int8.onnx"
MAX_TOKENS = 256
BATCH_SIZE = 64

Probabilities = npt.NDArray[np.float32]


@dataclass(frozen=True)
class JudgeInfo:
    """What a result records about the judge that read it."""

    name: str
    sha256: str


def default_judge_dir() -> Path:
    """Where setup builds the judge: inside the Python environment, beside the ONNX exports."""
    return Path(sys.prefix) / "share" / "assess" / "judge"


class PairJudge:
    """Scores (point phrasing, student text) pairs; rows of `predict` follow `LABELS`."""

    def __init__(self, session: Any, tokenizer: Any, info: JudgeInfo) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = {i.name for i in session.get_inputs()}
        self.info = info

    def predict(self, pairs: Sequence[tuple[str, str]]) -> Probabilities:
        """Class probabilities per pair; pairs are run shortest first to keep padding small."""
        out = np.empty((len(pairs), len(LABELS)), dtype=np.float32)
        if not pairs:
            return out
        order = sorted(range(len(pairs)), key=lambda n: len(pairs[n][0]) + len(pairs[n][1]))
        for start in range(0, len(order), BATCH_SIZE):
            chosen = order[start : start + BATCH_SIZE]
            encoded = self._tokenizer.encode_batch([pairs[n] for n in chosen])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            feed = {
                "input_ids": ids,
                "attention_mask": np.array([e.attention_mask for e in encoded], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encoded], dtype=np.int64),
            }
            (logits,) = self._session.run(
                None, {k: v for k, v in feed.items() if k in self._inputs}
            )
            shifted = logits - logits.max(axis=1, keepdims=True)
            weights = np.exp(shifted)
            out[chosen] = weights / weights.sum(axis=1, keepdims=True)
        return out


def read_manifest(folder: Path) -> dict[str, Any]:
    """The judge's card: how it was trained and what it scored in cross-validation."""
    path = folder / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(
            f"no pair judge at {folder} ({exc}); run `make judge` (it trains the judge from "
            "../shared/data), or unset ASSESS_JUDGE to grade without it"
        ) from exc
    if tuple(data.get("labels", ())) != LABELS:
        raise ModelLoadError(f"{path}: labels {data.get('labels')} are not {list(LABELS)}")
    return data


def load_judge(folder: Path | None = None, threads: int | None = None) -> PairJudge:
    """Load the int8 ONNX judge built at setup; the error says how to build it."""
    folder = folder or default_judge_dir()
    manifest = read_manifest(folder)
    model_file = folder / ONNX_FILE
    try:
        import onnxruntime
        from tokenizers import Tokenizer

        session = onnxruntime.InferenceSession(
            str(model_file), session_options(threads), providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as exc:  # onnxruntime and tokenizers raise their own bare types
        raise ModelLoadError(f"could not load the pair judge from {folder}: {exc}") from exc
    tokenizer.enable_truncation(MAX_TOKENS, strategy="longest_first")
    tokenizer.enable_padding()
    return PairJudge(session, tokenizer, JudgeInfo(manifest["name"], file_sha256(model_file)))
