"""Assemble the pair judge: the packaged MiniLM plus the committed difference, exported to ONNX.

`make setup` runs `python -m models.judge_build`: it reads `models/artefacts/judge-v1.safetensors`
(the fine-tuned weights as a difference from the packaged ones, `models.judge_delta`) and its
card `judge-v1.json`, adds the difference to the packaged weights, and writes the int8 ONNX
judge that `models.judge.load_judge` reads. Offline, deterministic, about a minute; a no-op
when the judge there was assembled from the same difference.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models import judge_delta
from models.artefact import artefacts_path, read_artefact
from models.encoder import default_model_path, file_sha256
from models.errors import ModelLoadError
from models.judge import LABELS, MANIFEST, ONNX_FILES, default_judge_dir

CARD_SCHEMA = "assess-judge-v1"
# fp32, not int8: dynamic int8 scales activations over the whole batch, so a pair's reading
# moved with the pairs batched beside it (P(correct) by up to 0.22 between one batch and
# `assess evaluate`'s chunks, on Beetle's unseen answers on an AVX2 machine without VNNI; the
# grades 0.656 / 0.811 against 0.638 / 0.800 macro-F1). The fp32 judge reads every pair the
# same in any batch, for about 45% more judge time (scripts/judge_precision.py).
DEFAULT_PRECISION = "fp32"
DELTA_FILE = "judge-delta.safetensors"  # the difference's name inside a judge folder
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def default_delta() -> Path:
    """The committed difference; its card is the file beside it with `.json` for a suffix."""
    return artefacts_path() / "judge-v1.safetensors"


def card_path(delta: Path) -> Path:
    return delta.with_suffix(".json")


def base_classifier() -> tuple[Any, Any]:
    """The packaged MiniLM with a three-way classifier on top, and its tokenizer."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    transformers.utils.logging.set_verbosity_error()
    folder = str(default_model_path())
    model = AutoModelForSequenceClassification.from_pretrained(folder, num_labels=len(LABELS))
    return model, AutoTokenizer.from_pretrained(folder)


def state_arrays(model: Any) -> dict[str, np.ndarray]:
    """A torch model's weights as float32 numpy arrays, by name."""
    return {k: v.detach().cpu().numpy().astype(np.float32) for k, v in model.state_dict().items()}


def packaged_arrays(model: Any) -> dict[str, np.ndarray]:
    """The weights of `base_classifier()` that come from the packaged file: the base a
    difference is taken from. The classifier head is new, drawn at random on each load, so it
    is no base: the difference file holds it whole."""
    from safetensors import safe_open

    with safe_open(str(default_model_path() / "model.safetensors"), framework="numpy") as handle:
        packaged = set(handle.keys())
    prefix = f"{model.base_model_prefix}."
    return {k: v for k, v in state_arrays(model).items() if k.removeprefix(prefix) in packaged}


def apply_delta(model: Any, delta: Path) -> Any:
    """Load the tuned weights a difference file encodes into `base_classifier()`'s model."""
    import torch

    tensors, bits = judge_delta.load(delta)
    tuned = judge_delta.decode(packaged_arrays(model), tensors, bits)
    unknown = set(tuned) - set(model.state_dict())
    if unknown or not any(name.startswith("classifier.") for name in tuned):
        raise ModelLoadError(f"{delta} does not fit the packaged model: {sorted(unknown)}")
    model.load_state_dict({k: torch.from_numpy(v) for k, v in tuned.items()}, strict=False)
    return model.eval()


def export(model: Any, tokenizer: Any, out: Path, precision: str = "int8") -> Path:
    """Write the tokenizer and an ONNX file of the classifier (logits out), int8 or fp32."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out.mkdir(parents=True, exist_ok=True)
    tokenizer.save_pretrained(str(out))
    sample = tokenizer(["a point to trace"], ["and an answer"], return_tensors="pt")
    fp32 = out / ONNX_FILES["fp32"]
    dynamic = {0: "batch", 1: "tokens"}

    class Logits(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(self, ids: Any, mask: Any, types: Any) -> Any:
            return self.model(input_ids=ids, attention_mask=mask, token_type_ids=types).logits

    # The tracer warns about every Python branch it sees; none depends on batch or length.
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            Logits(), tuple(sample[k] for k in _INPUTS), str(fp32),
            input_names=list(_INPUTS), output_names=["logits"],
            dynamic_axes={**{k: dynamic for k in _INPUTS}, "logits": {0: "batch"}},
            opset_version=17, dynamo=False,
        )  # fmt: skip
    if precision == "fp32":
        return fp32
    quantize_dynamic(fp32, out / ONNX_FILES["int8"], weight_type=QuantType.QInt8, per_channel=True)
    fp32.unlink()
    return out / ONNX_FILES["int8"]


def assemble(
    delta: Path | None = None,
    out: Path | None = None,
    force: bool = False,
    precision: str = DEFAULT_PRECISION,
) -> Path:
    """Build the ONNX judge in `out` from a difference file and its card; returns `out`."""
    if precision not in ONNX_FILES:
        raise ValueError(f"precision must be one of {sorted(ONNX_FILES)}, not {precision!r}")
    delta = delta or default_delta()
    out = out or default_judge_dir()
    card = read_artefact(card_path(delta), CARD_SCHEMA, "pair judge card")
    if tuple(card.get("labels", ())) != LABELS:
        raise ModelLoadError(f"{card_path(delta)}: labels are not {list(LABELS)}")
    digest = file_sha256(delta)
    manifest = out / MANIFEST
    if not force and manifest.is_file() and (out / ONNX_FILES[precision]).is_file():
        built = json.loads(manifest.read_text(encoding="utf-8"))
        if (built.get("delta_sha256"), built.get("precision")) == (digest, precision):
            return out
    model, tokenizer = base_classifier()
    staging = out.with_name(out.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    onnx = export(apply_delta(model, delta), tokenizer, staging, precision)
    # A copy of the difference and its card beside the judge: the folder says what it was
    # assembled from, and a difference written inside `out` survives the swap below.
    shutil.copyfile(delta, staging / DELTA_FILE)
    shutil.copyfile(card_path(delta), card_path(staging / DELTA_FILE))
    document = {
        **card, "delta": str(delta), "delta_sha256": digest,
        "precision": precision, "onnx": onnx.name,
    }  # fmt: skip
    (staging / MANIFEST).write_text(json.dumps(document, indent=2), encoding="utf-8")
    # Swap in whole, so an interrupted build never leaves a half-written judge in place.
    shutil.rmtree(out, ignore_errors=True)
    staging.rename(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Assemble the pair judge from the committed difference (or another one)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--delta", type=Path, default=None, help="difference file")
    parser.add_argument("--out", type=Path, default=None, help="judge folder")
    parser.add_argument("--force", action="store_true", help="assemble even if up to date")
    parser.add_argument("--precision", choices=sorted(ONNX_FILES), default=DEFAULT_PRECISION)
    args = parser.parse_args(argv)
    print(f"pair judge in {assemble(args.delta, args.out, args.force, args.precision)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
