"""Paired A/B of the ONNX encoder's run options, through the whole pipeline, in one process.

Run: .venv/bin/python scripts/ab_encoder.py [--n 200]

Four variants: batches padded to the longest text (max_padding 1.0, as before) or cut where
padding passes 20% of a batch's tokens (the default), each with ONNX Runtime's intra-op pool
spinning between runs or sleeping (the default). For each answer of the bench workload, every
variant assesses it in a shuffled order with the encoder cache cleared; then chunks of 64
answers (as `assess grade` sends them) the same way. Reported: medians and the median of the
per-answer ratio to the first variant, so a busy machine slows all variants alike.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import statistics
import time
from collections.abc import Sequence
from typing import Any

from bench import CHUNK, build_workload


def session(model_path: str, threads: int, spin: bool) -> Any:
    """An ONNX Runtime session like the encoder's own, spinning or not."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spin else "0")
    return ort.InferenceSession(model_path, options, providers=["CPUExecutionProvider"])


def report(title: str, figures: dict[str, list[float]], unit: str) -> None:
    """Median and paired ratio to the first variant of each variant."""
    base = next(iter(figures.values()))
    print(title)
    for name, values in figures.items():
        ratio = statistics.median(a / b for a, b in zip(values, base, strict=True))
        print(f"  {name:28s} median {statistics.median(values):7.1f} {unit}  ratio {ratio:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    """Time every variant on the same answers, interleaved."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="answers (chunks: n // 64)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from assess import AnswerRequest
    from models.onnx import MAX_PADDING
    from rubrics import library_path, load_rubrics
    from service.settings import Settings
    from service.wiring import build_grader

    grader = build_grader(Settings(encoder_backend="onnx-int8"))
    encoder: Any = grader.encoder
    model_path, threads = encoder.session._model_path, os.cpu_count() or 1
    sessions = {spin: session(model_path, threads, spin) for spin in (True, False)}
    variants = {
        f"padding<={padding:.0%}, {'spin' if spin else 'sleep'}": (padding, spin)
        for padding in (1.0, MAX_PADDING)
        for spin in (True, False)
    }
    rubrics = load_rubrics(library_path())
    work = build_workload(args.n)
    rng = random.Random(0)

    def timed(name: str, run: Any) -> float:
        encoder.max_padding, encoder.session = variants[name][0], sessions[variants[name][1]]
        encoder.clear_cache()
        start = time.perf_counter()
        run()
        return time.perf_counter() - start

    for name in variants:  # warm every session
        timed(name, lambda: grader.assess(rubrics[work[0][0]], work[0][1]))
    single: dict[str, list[float]] = {name: [] for name in variants}
    for rubric_id, answer in work:
        one = functools.partial(grader.assess, rubrics[rubric_id], answer)
        for name in rng.sample(list(variants), len(variants)):
            single[name].append(timed(name, one) * 1000)
    report("single answer (ratio < 1 is faster)", single, "ms")
    requests = [AnswerRequest(rubrics[r], a, str(i)) for i, (r, a) in enumerate(work)]
    chunks: dict[str, list[float]] = {name: [] for name in variants}
    for start in range(0, len(requests) - CHUNK + 1, CHUNK):
        chunk = requests[start : start + CHUNK]
        for name in rng.sample(list(variants), len(variants)):
            chunks[name].append(CHUNK / timed(name, functools.partial(grader.assess_many, chunk)))
    report(f"chunks of {CHUNK} (answers/s; ratio > 1 is faster)", chunks, "/s")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
