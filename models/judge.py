"""The pair judge: a cross-encoder that reads a rubric point and a student's text together.

A bi-encoder compares two vectors made apart, so "does not build trust" sits next to "builds
trust". The judge reads both texts in one pass (the packaged MiniLM fine-tuned on graded
answer pairs by `make judge`, see `assess.judge_training`, committed as a 4-bit difference
from the packaged weights and assembled by `make setup`, see `models.judge_build`) and
returns, per pair, P(correct), P(contradictory) and P(incorrect): does the text state the
point, deny it, or neither. It runs on ONNX Runtime (fp32, see `models.judge_build`). The
default engine hears it; see docs/accuracy.md ("The pair judge") for what it does and does not
get right.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from models.encoder import DEFAULT_CACHE_SIZE, file_sha256
from models.errors import ModelLoadError
from models.onnx import run_in_length_batches, session_options
from models.plain import plain
from models.row_cache import RowCache
from models.stops import ended_as, ends_stopped

LABELS = ("correct", "contradictory", "incorrect")
MANIFEST = "judge.json"
ONNX_FILE = "judge-int8.onnx"
# What `models.judge_build` can export: the file each precision is written to.
ONNX_FILES = {"int8": ONNX_FILE, "fp32": "judge-fp32.onnx"}
MAX_TOKENS = 256
BATCH_SIZE = 64

Probabilities = npt.NDArray[np.float32]


@dataclass(frozen=True)
class JudgeInfo:
    """What a result records about the judge that read it."""

    name: str
    sha256: str


def default_judge_dir() -> Path:
    """Where `make setup` assembles it: inside the Python environment, beside the ONNX
    exports."""
    return Path(sys.prefix) / "share" / "assess" / "judge"


class PairJudge:
    """Scores (point phrasing, student text) pairs; rows of `predict` follow `LABELS`."""

    def __init__(
        self, session: Any, tokenizer: Any, info: JudgeInfo, cache_size: int = DEFAULT_CACHE_SIZE
    ) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._inputs = [i.name for i in session.get_inputs()]
        self.info = info
        self._cache: RowCache[tuple[str, str]] = RowCache(cache_size)

    def clear_cache(self) -> None:
        """Forget every pair read (benchmarks use it to measure cold reads)."""
        self._cache.clear()

    def predict(self, pairs: Sequence[tuple[str, str]], as_written: bool = False) -> Probabilities:
        """Class probabilities per pair, in the order given (run in batches of like length),
        each text read in its plain form (`models.plain`), its n't spelled out, and ended as
        its phrasing is (`ended_alike`), unless `as_written`.

        The first answer for a pair is cached (`models.row_cache`), as the encoder's texts
        are: a judge exported to int8 scales activations over a whole batch, so there a pair's
        answer depends on the pairs batched with it, and the cache keeps it the same within a
        process however it is batched later."""
        if not pairs:
            return np.empty((0, len(LABELS)), dtype=np.float32)
        read = (
            list(pairs)
            if as_written
            else [ended_alike((spelled_out(plain(a)), spelled_out(plain(b)))) for a, b in pairs]
        )
        return self._cache.rows(read, len(LABELS), self._run)

    def _run(self, pairs: list[tuple[str, str]]) -> Probabilities:
        encodings = self._tokenizer.encode_batch(pairs)
        logits = run_in_length_batches(self._session, self._inputs, encodings, BATCH_SIZE)
        weights = np.exp(logits - logits.max(axis=1, keepdims=True))
        return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


# "isn't" -> "is not"; the stems whose n't takes more than the n ("can't" is "ca" + "n't").
_CONTRACTED = re.compile(r"\b(\w+?)n['’]t\b", re.IGNORECASE)
_STEMS = {"ca": "can", "wo": "will", "sha": "shall", "ai": "is"}


def spelled_out(text: str) -> str:
    """The text with each n't spelled out ("isn't" -> "is not", "can't" -> "cannot").

    The judge learned the contraction as a cue of its own: every denial made for its training
    (`assess.judge_data.denied`) contracts an auxiliary with n't, so it read "It isn't
    official, so people build trust" as a denial of trust-building and "It is not official,
    ..." as stating it (`scripts/judge_contractions.py` measures the cue on SemEval's
    answers; `tests/models/test_judge_contractions.py` reads this pair). Spelled out, a student's
    contraction reads as the same words in full.
    """

    def full(match: re.Match[str]) -> str:
        stem = match.group(1)
        word = _STEMS.get(stem.lower(), stem)
        if word != stem and stem[0].isupper():
            word = word.capitalize()
        return f"{word}not" if word.lower() == "can" else f"{word} not"

    return _CONTRACTED.sub(full, text)


def ended_alike(pair: tuple[str, str]) -> tuple[str, str]:
    """The pair with its text ended as the phrasing is: the text's closing stop (. ! ?)
    dropped where the phrasing has none, a full stop added where the phrasing has one and the
    text none. Whether a student ends an answer with a stop is no part of what it says.

    The judge learned the stop as a cue. Beetle's phrasings and two thirds of its answers
    have none, SciEntsBank's nearly all do, and on Beetle a stopped answer is more often
    right; read as written, adding or dropping the stop changed the judge's call on 2% to
    7% of SemEval's test answers (`scripts/judge_stops.py`). Matched to the phrasing, every
    pair is read as the judge mostly saw such pairs, and the student's stop changes nothing.
    """
    phrasing, text = pair
    return phrasing, ended_as(text, ends_stopped(phrasing))


def read_manifest(folder: Path) -> dict[str, Any]:
    """The judge's card: how it was trained and, if trained with a holdout, its figures."""
    path = folder / MANIFEST
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ModelLoadError(
            f"no pair judge at {folder} ({exc}); run `make setup` (it assembles the judge "
            "from the committed models/artefacts/judge-v1.safetensors), or set "
            "ASSESS_JUDGE=none to grade without it"
        ) from exc
    if tuple(data.get("labels", ())) != LABELS:
        raise ModelLoadError(f"{path}: labels {data.get('labels')} are not {list(LABELS)}")
    return data


def judge_from_setting(setting: str, threads: int | None = None) -> PairJudge | None:
    """The judge a setting names: `default` (the one `make setup` assembles), a judge
    folder, or `none` for no judge; one that is named must load."""
    if setting.lower() == "none":
        return None
    folder = None if setting.lower() == "default" else Path(setting)
    return load_judge(folder, threads=threads)


def load_judge(folder: Path | None = None, threads: int | None = None) -> PairJudge:
    """Load the ONNX judge `make setup` assembled; the error says how to build it."""
    folder = folder or default_judge_dir()
    manifest = read_manifest(folder)
    model_file = folder / str(manifest.get("onnx", ONNX_FILE))
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
    tokenizer.no_padding()  # batches are padded to their own longest pair
    return PairJudge(session, tokenizer, JudgeInfo(manifest["name"], file_sha256(model_file)))
