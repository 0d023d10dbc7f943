"""ONNX Runtime backends of a sentence-transformers model: fp32 and int8, exported locally.

The export runs once, at setup time (`python -m models.onnx`, called by `make setup`), from the
weights already on disk: the whole model (transformer, mean pooling, normalisation) becomes one
graph, and ONNX Runtime's dynamic quantisation turns its weights into int8. Nothing is ever
downloaded. At run time the encoder needs only `onnxruntime` and the model's `tokenizer.json`.

Why not sentence-transformers' own `backend="onnx"`: it goes through optimum-onnx, whose
releases require transformers < 4.58, while the sentence-transformers we pin requires
transformers >= 5; the two cannot be installed together.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models.encoder import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_CACHE_SIZE,
    Embeddings,
    Encoder,
    EncoderInfo,
    file_sha256,
    resolve_model_path,
    weights_sha256,
)
from models.errors import ModelLoadError

ONNX_BACKENDS = ("onnx", "onnx-int8")
FILE_NAMES = {"onnx": "model.onnx", "onnx-int8": "model_int8.onnx"}
MANIFEST = "export.json"
DEFAULT_MAX_TOKENS = 256
TOKEN_BUDGET = 2048  # tokens per ONNX batch: 32 texts of 64 tokens, 8 of 256
# Most padding a batch may carry, as a share of its tokens. A padded token costs as much as a
# real one; one answer's ~20 segments padded to the longest were half padding, and cutting
# them into a few batches of like length costs less than the calls it adds (docs/performance).
MAX_PADDING = 0.2
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_export_root() -> Path:
    """Where exports live: inside the Python environment, so `make clean` removes them."""
    return Path(sys.prefix) / "share" / "assess" / "onnx"


def session_options(threads: int | None = None) -> Any:
    """ONNX Runtime options shared by every session of the engine (encoder and judge)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    # Deliberate threads: all cores (or the setting) for one op, never two pools fighting.
    options.intra_op_num_threads = threads or os.cpu_count() or 1
    options.inter_op_num_threads = 1
    # Idle pool threads sleep instead of spinning: on 2 cores a spinning thread takes the
    # core that tokenising, alignment and the web server need between runs.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return options


def export_dir(source_sha256: str, root: Path | None = None) -> Path:
    """The export folder of one set of source weights (keyed by their hash)."""
    return (root or default_export_root()) / source_sha256[:16]


def max_tokens(folder: Path) -> int:
    """The model's own sequence limit (sentence-transformers' `max_seq_length`)."""
    config = folder / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", DEFAULT_MAX_TOKENS))
    return DEFAULT_MAX_TOKENS


def export_onnx(name_or_path: str | None = None, root: Path | None = None) -> Path:
    """Export fp32 and int8 ONNX files of a local model; a no-op when they already exist."""
    _, folder = resolve_model_path(name_or_path)
    source = weights_sha256(folder)
    out = export_dir(source, root)
    manifest = out / MANIFEST
    if manifest.is_file() and all((out / f).is_file() for f in FILE_NAMES.values()):
        return out
    out.mkdir(parents=True, exist_ok=True)
    _export_fp32(folder, out / FILE_NAMES["onnx"])
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # Per-channel int8 weights, activations quantised on the fly: no calibration data needed.
    quantize_dynamic(
        out / FILE_NAMES["onnx"],
        out / FILE_NAMES["onnx-int8"],
        weight_type=QuantType.QInt8,
        per_channel=True,
    )
    manifest.write_text(
        json.dumps(
            {
                "source": str(folder),
                "source_sha256": source,
                "files": {b: f for b, f in FILE_NAMES.items()},
                "max_tokens": max_tokens(folder),
            },
            indent=2,
        )
    )
    return out


def _export_fp32(folder: Path, target: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers import AutoTokenizer

    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True).eval()

    class Whole(torch.nn.Module):
        """Token ids in, normalised sentence embedding out: every module of the model."""

        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            features = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            return self.model(features)["sentence_embedding"]

    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    sample = tokenizer(
        ["an example sentence to trace", "and one more"], padding=True, return_tensors="pt"
    )
    dynamic = {0: "batch", 1: "tokens"}
    # The tracer warns about every Python branch it sees; none depends on batch or length.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Whole(),
            tuple(sample[k] for k in _INPUTS),
            str(target),
            input_names=list(_INPUTS),
            output_names=["sentence_embedding"],
            dynamic_axes={**{k: dynamic for k in _INPUTS}, "sentence_embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )


def length_batches(
    lengths: Sequence[int], batch_size: int, max_padding: float = MAX_PADDING
) -> list[tuple[int, int]]:
    """Cut token counts sorted longest first into batches, as (first, last) index pairs.

    A batch ends at `batch_size` texts, at `TOKEN_BUDGET` tokens once padded (attention memory
    grows with rows x length^2), or where the next text would take its padding over
    `max_padding` of its tokens (1.0: never).
    """
    batches: list[tuple[int, int]] = []
    first = 0
    while first < len(lengths):
        width = lengths[first]
        limit = min(len(lengths), first + max(1, min(batch_size, TOKEN_BUDGET // width)))
        last, used = first + 1, width
        while last < limit and used + lengths[last] >= (1 - max_padding) * width * (
            last - first + 1
        ):
            used += lengths[last]
            last += 1
        batches.append((first, last))
        first = last
    return batches


def run_in_length_batches(
    session: Any,
    input_names: Sequence[str],
    encodings: Sequence[Any],
    batch_size: int,
    max_padding: float = MAX_PADDING,
) -> np.ndarray:
    """Run a session's first output over tokenised texts (unpadded `tokenizers` encodings),
    longest first in batches of like length so padding stays small; rows in the given order."""
    order = sorted(range(len(encodings)), key=lambda i: -len(encodings[i].ids))
    lengths = [len(encodings[i].ids) for i in order]
    out: np.ndarray | None = None
    for first, last in length_batches(lengths, batch_size, max_padding):
        rows = order[first:last]
        width = len(encodings[rows[0]].ids)
        feed = {name: np.zeros((len(rows), width), dtype=np.int64) for name in _INPUTS}
        for r, i in enumerate(rows):
            enc = encodings[i]
            n = len(enc.ids)
            feed["input_ids"][r, :n] = enc.ids
            feed["attention_mask"][r, :n] = enc.attention_mask
            feed["token_type_ids"][r, :n] = enc.type_ids
        (result,) = session.run(None, {k: feed[k] for k in input_names})
        if out is None:
            out = np.empty((len(encodings), *result.shape[1:]), dtype=result.dtype)
        out[rows] = result
    assert out is not None, "no encodings to run"
    return out


class OnnxEncoder(Encoder):
    """An exported model run by ONNX Runtime, tokenised by the model's own tokenizer.json."""

    def __init__(
        self,
        session: Any,
        tokenizer: Any,
        name: str,
        sha256: str,
        batch_size: int = DEFAULT_BATCH_SIZE,
        cache_size: int = DEFAULT_CACHE_SIZE,
        max_padding: float = MAX_PADDING,
    ) -> None:
        super().__init__(cache_size=cache_size)
        self.session = session
        self.tokenizer = tokenizer
        self.batch_size = batch_size
        self.max_padding = max_padding
        self._info = EncoderInfo(name=name, sha256=sha256)
        self._dimension = int(session.get_outputs()[0].shape[-1])
        self._inputs = [i.name for i in session.get_inputs()]

    @property
    def info(self) -> EncoderInfo:
        return self._info

    @property
    def dimension(self) -> int:
        return self._dimension

    def embed_batch(self, texts: Sequence[str]) -> Embeddings:
        if not texts:
            return np.empty((0, self._dimension), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        vectors = run_in_length_batches(
            self.session, self._inputs, encodings, self.batch_size, self.max_padding
        )
        return vectors.astype(np.float32, copy=False)


def load_onnx_encoder(
    name_or_path: str | None,
    backend: str,
    batch_size: int = DEFAULT_BATCH_SIZE,
    threads: int | None = None,
    root: Path | None = None,
) -> OnnxEncoder:
    """Load an exported model; the error says how to export it when it is missing."""
    if backend not in ONNX_BACKENDS:
        raise ModelLoadError(f"unknown ONNX backend {backend!r}; use one of {ONNX_BACKENDS}")
    name, folder = resolve_model_path(name_or_path)
    out = export_dir(weights_sha256(folder), root)
    model_file = out / FILE_NAMES[backend]
    if not model_file.is_file():
        raise ModelLoadError(
            f"no {backend} export of {name} at {model_file}; run `make setup` or "
            f"`python -m models.onnx{'' if name_or_path is None else ' --encoder ' + str(folder)}`"
        )
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        session = ort.InferenceSession(
            str(model_file), session_options(threads), providers=["CPUExecutionProvider"]
        )
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as exc:  # onnxruntime raises its own untyped errors for a bad file
        raise ModelLoadError(f"could not load {model_file}: {exc}") from exc
    # tokenizer.json pads every text to a fixed length; pad each batch to its longest instead.
    tokenizer.enable_truncation(max_length=max_tokens(folder))
    tokenizer.no_padding()
    return OnnxEncoder(
        session,
        tokenizer,
        name=f"{name}+{backend}",
        sha256=file_sha256(model_file),
        batch_size=batch_size,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Export the configured (default: packaged) model to ONNX fp32 and int8."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--encoder", default=None, help="model folder (default: packaged)")
    parser.add_argument("--root", type=Path, default=None, help="export root folder")
    args = parser.parse_args(argv)
    out = export_onnx(args.encoder, args.root)
    print(f"ONNX exports in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
