"""Two ways to keep int8's speed without its batch dependence, measured against fp32.

    .venv/bin/python scripts/int8_alternatives.py --saf ../shared/data/saf-english

Dynamic int8 scales activations over the whole batch, so a text's vector moves with its
batch-mates (scripts/encoder_precision.py). This measures, on SAF train answers' sentences:

- int8 with one text per run: no batch-mates, so deterministic; median time of the encoders
  (ONNX int8 and fp32, in batches of 32 and of 1) on the same texts, in turns;
- static int8, the activation ranges fixed beforehand from the repository's own texts (the
  Track II example answers and the library rubrics, what `make setup` could read on a fresh
  machine): deterministic; mean and least cosine of its vectors to fp32's, beside dynamic
  int8's, and the largest change of a vector between alone and in a batch.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from models import load_encoder
from models.encoder import resolve_model_path, weights_sha256
from models.onnx import FILE_NAMES, export_dir
from rubrics import library_path
from rubrics.segment import split_sentences

REPO = Path(__file__).resolve().parents[1]
REPEATS = 3


def sentences(saf: Path, limit: int) -> list[str]:
    rows = [json.loads(line) for line in (saf / "train.jsonl").open(encoding="utf-8")]
    return [s.text for r in rows for s in split_sentences(r["answer"])][:limit]


def repository_texts() -> list[str]:
    texts: list[str] = []
    with (REPO / "examples" / "track-ii-answers.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            texts += [s.text for s in split_sentences(row["answer"])]
    for path in sorted(library_path().rglob("*.yaml")):
        rubric = yaml.safe_load(path.read_text(encoding="utf-8"))
        texts.append(rubric["question"])
        for point in rubric["points"]:
            texts += [point["text"], *point.get("exemplars", [])]
    return texts


def feed(tokenizer: Any, names: list[str], texts: list[str]) -> dict[str, np.ndarray]:
    encodings = tokenizer.encode_batch(texts)
    longest = max(len(e.ids) for e in encodings)
    ids = np.array([e.ids + [0] * (longest - len(e.ids)) for e in encodings], dtype=np.int64)
    mask = np.array(
        [e.attention_mask + [0] * (longest - len(e.ids)) for e in encodings], dtype=np.int64
    )
    return dict(zip(names, [ids, mask, np.zeros_like(ids)], strict=True))


def run(session: Any, tokenizer: Any, texts: list[str]) -> np.ndarray:
    names = [i.name for i in session.get_inputs()]
    parts = [
        session.run(None, feed(tokenizer, names, texts[n : n + 32]))[0]
        for n in range(0, len(texts), 32)
    ]
    vectors = np.vstack(parts)
    return np.asarray(vectors / np.linalg.norm(vectors, axis=1, keepdims=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saf", type=Path, required=True)
    parser.add_argument("--n", type=int, default=1500)
    args = parser.parse_args()
    texts = sentences(args.saf, args.n)
    encoders = {
        "int8, batches of 32": load_encoder(backend="onnx-int8"),
        "int8, one text per run": load_encoder(backend="onnx-int8", batch_size=1),
        "fp32, batches of 32": load_encoder(backend="onnx"),
    }
    times: dict[str, list[float]] = {k: [] for k in encoders}
    for _ in range(REPEATS):
        for name, encoder in encoders.items():
            encoder.clear_cache()
            start = time.perf_counter()
            encoder.embed(texts)
            times[name].append(time.perf_counter() - start)
    for name, spent in times.items():
        print(json.dumps({"encoder": name, "texts": len(texts),
                          "seconds": round(statistics.median(spent), 2)}))  # fmt: skip

    import onnxruntime as ort
    from onnxruntime.quantization import (
        CalibrationDataReader,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from tokenizers import Tokenizer

    _, folder = resolve_model_path(None)
    exported = export_dir(weights_sha256(folder))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    fp32 = ort.InferenceSession(str(exported / FILE_NAMES["onnx"]))
    names = [i.name for i in fp32.get_inputs()]
    calibration = [feed(tokenizer, names, [t]) for t in repository_texts()]

    class Reader(CalibrationDataReader):  # type: ignore[misc]
        def __init__(self) -> None:
            self.left = iter(calibration)

        def get_next(self) -> dict[str, np.ndarray] | None:
            return next(self.left, None)

    with tempfile.TemporaryDirectory() as scratch:
        static_path = Path(scratch) / "static.onnx"
        quantize_static(
            str(exported / FILE_NAMES["onnx"]), str(static_path), Reader(),
            quant_format=QuantFormat.QOperator, per_channel=True, op_types_to_quantize=["MatMul"],
            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
        )  # fmt: skip
        static = ort.InferenceSession(str(static_path))
        dynamic = ort.InferenceSession(str(exported / FILE_NAMES["onnx-int8"]))
        reference = run(fp32, tokenizer, texts)
        for name, session in (("dynamic int8", dynamic), ("static int8", static)):
            cosine = (run(session, tokenizer, texts) * reference).sum(axis=1)
            alone = session.run(None, feed(tokenizer, names, texts[5:6]))[0]
            batched = session.run(None, feed(tokenizer, names, texts[:32]))[0][5:6]
            print(json.dumps({
                "quantisation": name, "calibration_texts": len(calibration),
                "mean_cosine_to_fp32": round(float(cosine.mean()), 4),
                "least_cosine_to_fp32": round(float(cosine.min()), 4),
                "largest_change_alone_against_batched": float(np.abs(alone - batched).max()),
            }))  # fmt: skip


if __name__ == "__main__":
    main()
