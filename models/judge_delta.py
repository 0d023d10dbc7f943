"""The pair judge as a small difference from the packaged MiniLM, so that it fits in the repo.

Fine-tuning moves every weight of the transformer a little. The judge's weights as they are
(23 MB in int8) are too large to commit; their difference from the packaged weights, with each
row's differences rounded to one of 2**bits evenly spaced levels (one scale per row, chosen for
the least squared error), is a few MB and reads almost as the judge itself (docs/accuracy.md).
`make setup` adds the difference back to the packaged weights and exports the ONNX judge
(`models.judge_build`). What was not fine-tuned (the word embeddings) is not stored; what has
no packaged counterpart (the classifier) or is too small to be worth it (biases, layer norms)
is stored whole.

The file is safetensors (arrays and string metadata, nothing executable), read with numpy.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt

from models.errors import ModelLoadError

FORMAT = "assess-judge-delta-v1"
DEFAULT_BITS = 4
# Scales tried per row, as multiples of the row's standard deviation: from 16 levels spanning
# about +-0.8 sd to 2 levels at +-4 sd, wide enough for every bit width here.
_SCALE_GRID = np.geomspace(0.05, 8.0, 48)

Array = npt.NDArray[np.float32]
State = Mapping[str, npt.NDArray[np.generic]]


def quantise_rows(delta: Array, bits: int) -> tuple[npt.NDArray[np.uint8], Array]:
    """Codes (packed, `bits` per weight) and one scale per row of a 2-D difference."""
    if not 1 <= bits <= 8:
        raise ValueError(f"bits must be 1 to 8, not {bits}")
    levels = 2**bits
    centre = (levels - 1) / 2
    spread = delta.std(axis=1, keepdims=True) + 1e-12
    best_error = np.full((delta.shape[0], 1), np.inf, dtype=np.float64)
    best_scale = spread.copy()
    for factor in _SCALE_GRID:
        scale = spread * factor / levels
        codes = np.clip(np.rint(delta / scale + centre), 0, levels - 1)
        error = (((codes - centre) * scale - delta) ** 2).sum(axis=1, keepdims=True)
        better = error < best_error
        best_error = np.where(better, error, best_error)
        best_scale = np.where(better, scale, best_scale)
    codes = np.clip(np.rint(delta / best_scale + centre), 0, levels - 1).astype(np.uint8)
    # Each code's low `bits` bits, then packed eight to a byte.
    code_bits = np.unpackbits(codes.reshape(-1, 1), axis=1)[:, 8 - bits :]
    return np.packbits(code_bits.reshape(-1)), best_scale.astype(np.float32).reshape(-1)


def dequantise_rows(
    packed: npt.NDArray[np.uint8], scales: Array, shape: tuple[int, int], bits: int
) -> Array:
    """The difference `quantise_rows` encoded, as float32 of `shape`."""
    count = shape[0] * shape[1]
    code_bits = np.unpackbits(packed)[: count * bits].reshape(count, bits)
    codes = code_bits @ (1 << np.arange(bits - 1, -1, -1))
    centre = (2**bits - 1) / 2
    return ((codes.reshape(shape) - centre) * scales[:, None]).astype(np.float32)


def encode(base: State, tuned: State, bits: int) -> dict[str, npt.NDArray[np.generic]]:
    """The tensors of a delta file: what `decode` needs to rebuild `tuned` from `base`."""
    out: dict[str, npt.NDArray[np.generic]] = {}
    for name, value in tuned.items():
        before = base.get(name)
        if before is not None and np.array_equal(before, value):
            continue  # not trained: the packaged weights as they are
        if before is not None and value.ndim == 2 and before.shape == value.shape:
            difference = np.asarray(value, dtype=np.float32) - before.astype(np.float32)
            out[f"{name}:codes"], out[f"{name}:scales"] = quantise_rows(difference, bits)
        else:
            out[name] = np.asarray(value, dtype=np.float32)
    return out


def decode(base: State, stored: State, bits: int) -> dict[str, Array]:
    """The tuned weights: every stored tensor, and every coded difference added to `base`."""
    tuned: dict[str, Array] = {}
    for key, value in stored.items():
        if key.endswith(":scales"):
            continue
        if key.endswith(":codes"):
            name = key.removesuffix(":codes")
            if name not in base:
                raise ModelLoadError(f"the judge's difference names {name}, not in the base model")
            shape = base[name].shape
            difference = dequantise_rows(
                np.asarray(value, dtype=np.uint8),
                np.asarray(stored[f"{name}:scales"], dtype=np.float32),
                (shape[0], shape[1]),
                bits,
            )
            tuned[name] = base[name].astype(np.float32) + difference
        else:
            tuned[key] = np.asarray(value, dtype=np.float32)
    return tuned


def save(path: Path, tensors: Mapping[str, npt.NDArray[np.generic]], bits: int) -> Path:
    """Write a delta file (safetensors; the bit width and format in its metadata)."""
    from safetensors.numpy import save_file

    path.parent.mkdir(parents=True, exist_ok=True)
    contiguous = {k: np.ascontiguousarray(v) for k, v in sorted(tensors.items())}
    save_file(contiguous, str(path), metadata={"format": FORMAT, "bits": str(bits)})
    return path


def load(path: Path) -> tuple[dict[str, npt.NDArray[np.generic]], int]:
    """The tensors and bit width of a delta file; `ModelLoadError` if it is not one."""
    from safetensors import safe_open

    try:
        with safe_open(str(path), framework="numpy") as handle:
            metadata = handle.metadata() or {}
            tensors = {key: handle.get_tensor(key) for key in handle.keys()}
    except Exception as exc:  # safetensors raises its own bare types
        raise ModelLoadError(f"could not read the judge's difference {path}: {exc}") from exc
    if metadata.get("format") != FORMAT:
        raise ModelLoadError(f"{path} is not a judge difference ({FORMAT})")
    return tensors, int(metadata["bits"])
