"""Benchmark: encoder, pipeline, CLI, single-answer latency (in process and over HTTP),
start-up, RSS, naive baseline.

Run: make bench   (or .venv/bin/python scripts/bench.py [--n 2000] [--repeats 3] [--backend B])

The workload is fixed (seed 0): answers of about 150 words, each one Track II example answer
(on topic, so points are found) followed by real student prose from SAF (../shared/data), graded
against the three Track II library rubrics in turn. Every figure is a median over `--repeats`
runs in this one process, so ratios compare like with like; absolute figures depend on the
machine and on whatever else runs on it. Writes docs/performance/bench.{json,md}.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench_latency import http_latencies, p50_p95, single_latencies

REPO = Path(__file__).resolve().parents[1]
SAF = REPO.parent / "shared" / "data" / "saf-english" / "train.jsonl"
EXAMPLES = REPO / "examples" / "track-ii-answers.csv"
OUT = REPO / "docs" / "performance"
CHUNK = 64  # assess grade's chunk (assess.batch.DEFAULT_CHUNK_ROWS)


def build_workload(n: int, words: int = 150, seed: int = 0) -> list[tuple[str, str]]:
    """(rubric_id, answer) pairs: a Track II example answer, then SAF prose to `words` words."""
    with EXAMPLES.open(encoding="utf-8") as handle:
        examples = [r for r in csv.DictReader(handle) if len(r["answer"].split()) >= 8]
    with SAF.open(encoding="utf-8") as handle:
        prose = [json.loads(line)["answer"].strip() for line in handle]
    rng = random.Random(seed)
    rubric_ids = sorted({r["rubric_id"] for r in examples})
    work = []
    for i in range(n):
        rubric_id = rubric_ids[i % len(rubric_ids)]
        own = [r["answer"] for r in examples if r["rubric_id"] == rubric_id]
        parts = [rng.choice(own)]
        while sum(len(p.split()) for p in parts) < words:
            parts.append(rng.choice(prose))
        text = " ".join(" ".join(parts).split()[: words + 20])  # ~150-170 words
        work.append((rubric_id, text))
    return work


def median_time(fn: Callable[[], object], repeats: int, before: Callable[[], None]) -> float:
    """Median wall time of `fn` over `repeats` runs, calling `before` (untimed) each time."""
    times = []
    for _ in range(repeats):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pipeline_texts(grader: Any, requests: Sequence[Any]) -> list[str]:
    """Exactly the texts the pipeline sends to the model for this workload (after its cache,
    de-duplication and two-pass gate), recorded by running it once."""
    from models import Encoder

    inner = grader.encoder
    seen: list[str] = []

    class Recording(Encoder):
        info = property(lambda self: inner.info)
        dimension = property(lambda self: inner.dimension)

        def embed_batch(self, texts: Sequence[str]) -> Any:
            seen.extend(texts)
            return inner.embed_batch(texts)

    recording = copy.copy(grader)
    recording.encoder = Recording()
    recording.analyser = type(grader.analyser)(recording.encoder, grader.config)
    for rubric in {id(r.rubric): r.rubric for r in requests}.values():
        recording.analyser.index(rubric)  # cached per rubric version: not part of the work
    seen.clear()
    for start in range(0, len(requests), CHUNK):
        recording.assess_many(requests[start : start + CHUNK])
    return seen


def peak_rss_mib(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run a command; its wall time, peak RSS (MiB) and stdout.

    The peak is the kernel's VmHWM of the child, polled while it runs: a forked child's
    ru_maxrss would count the parent's memory from before the exec.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    status, peak = Path(f"/proc/{process.pid}/status"), 0
    while process.poll() is None:
        try:
            line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM"))
            peak = max(peak, int(line.split()[1]))
        except (OSError, StopIteration):
            pass
        time.sleep(0.05)
    elapsed = time.perf_counter() - start
    out, err = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"{command[:3]} failed: {err.decode()[-2000:]}")
    return elapsed, peak / 1024, out.decode()


def run_grade(backend: str, csv_path: Path, out_path: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of one `assess grade` process on the CSV."""
    out_path.unlink(missing_ok=True)
    env = {**os.environ, "ASSESS_ENCODER_BACKEND": backend, "HF_HUB_OFFLINE": "1"}
    command = [str(Path(sys.executable).with_name("assess")), "grade", "--rubric"]
    command += [str(REPO / "rubrics" / "library" / "track-ii"), str(csv_path), "-o", str(out_path)]
    elapsed, peak, _ = peak_rss_mib(command, env)
    return elapsed, peak


def startup(backend: str) -> tuple[float, float]:
    """Seconds from a fresh interpreter to the first answer assessed, and that process's RSS."""
    probe = (
        "import time; t=time.perf_counter();"
        "from service.settings import Settings; from service.wiring import build_grader;"
        "from rubrics import library_path, load_rubrics;"
        "g=build_grader(Settings()); r=load_rubrics(library_path())['track-ii/complement'];"
        "g.assess(r, 'It builds trust between the two sides.'); print(time.perf_counter()-t)"
    )
    env = {**os.environ, "ASSESS_ENCODER_BACKEND": backend, "HF_HUB_OFFLINE": "1"}
    _, peak, out = peak_rss_mib([sys.executable, "-c", probe], env)
    return float(out.strip().splitlines()[-1]), peak


def naive(encoder: Any, rubrics: dict, work: Sequence[tuple[str, str]]) -> None:
    """What a simple script does: per answer, encode its sentences and every point afresh
    (same encoder and backend as the pipeline, no cache, no batching across answers)."""
    import numpy as np

    from rubrics.segment import split_sentences

    for rubric_id, answer in work:
        rubric = rubrics[rubric_id]
        points = [t for p in rubric.points for t in p.texts]
        sentences = [s.text for s in split_sentences(answer)]
        a = encoder.embed_batch(sentences)
        b = encoder.embed_batch(points)
        np.max(b @ a.T, axis=1)


def _noop() -> None:
    return None


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every figure of one benchmark run."""
    from assess import AnswerRequest
    from models import load_encoder
    from rubrics import library_path, load_rubrics
    from rubrics.segment import split_sentences
    from service.settings import Settings
    from service.wiring import build_grader

    load_before = os.getloadavg()[0]  # other work on the machine skews every timing
    settings = Settings(encoder_backend=args.backend) if args.backend else Settings()
    backend, reps = settings.encoder_backend, args.repeats
    rubrics = load_rubrics(library_path())
    work = build_workload(args.n)
    n = len(work)
    grader = build_grader(settings)
    encoder = grader.encoder
    reference = load_encoder(settings.encoder, threads=settings.threads, backend="torch")
    model = reference.model  # type: ignore[attr-defined]
    sentences = [s.text for _, answer in work for s in split_sentences(answer)]
    requests = [AnswerRequest(rubrics[r], a, str(i)) for i, (r, a) in enumerate(work)]
    for rubric in rubrics.values():
        grader.analyser.index(rubric)  # rubric vectors are cached per version: not timed
    texts = pipeline_texts(grader, requests)
    model.encode(sentences[:64], show_progress_bar=False)  # warm both encoders
    encoder.embed_batch(texts[:64])

    def fp32_encode() -> None:
        model.encode(sentences, batch_size=32, normalize_embeddings=True, show_progress_bar=False)

    def pipeline() -> None:
        for start in range(0, n, CHUNK):
            grader.assess_many(requests[start : start + CHUNK])

    naive_work = work[: args.naive_n]

    def naive_run() -> None:
        naive(encoder, rubrics, naive_work)

    t_fp32 = median_time(fp32_encode, reps, _noop)
    t_raw = median_time(lambda: encoder.embed_batch(texts), reps, _noop)
    t_pipe = median_time(pipeline, reps, grader.clear_cache)
    t_naive = median_time(naive_run, reps, _noop) / len(naive_work) * n
    timed, warm = work[: args.single], work[-3:]  # the last three: one answer per rubric
    latencies = single_latencies(grader, rubrics, timed, clear=True)
    grader.clear_cache()
    single_latencies(grader, rubrics, warm, clear=False)
    kept = single_latencies(grader, rubrics, timed, clear=False)  # as the server keeps it
    http, server_rss = http_latencies(backend, timed, warm) if args.single_http else ([], 0.0)
    cli = figures_cli(backend, work, reps)
    start_s, start_rss = startup(backend)
    return {
        "machine": {**machine(), "load_1min": [load_before, os.getloadavg()[0]]},
        "workload": {
            "answers": n,
            "mean_words": round(statistics.mean(len(a.split()) for _, a in work), 1),
            "sentences": len(sentences),
            "sentence_words": sum(len(s.split()) for s in sentences),
            "pipeline_texts": len(texts),
            "pipeline_words": sum(len(t.split()) for t in texts),
            "rubrics": sorted({r for r, _ in work}),
            "repeats": reps,
            "naive_answers": len(naive_work),
            "single_answers": len(latencies),
        },
        "backend": backend,
        "model": {"name": encoder.info.name, "sha256": encoder.info.sha256},
        "answers_per_s": {
            "fp32_torch_encode_sentences": round(n / t_fp32, 1),
            "raw_encoder_pipeline_texts": round(n / t_raw, 1),
            "pipeline_library": round(n / t_pipe, 1),
            "pipeline_cli": round(n / cli["wall_s"], 1),
            "naive": round(n / t_naive, 1),
        },
        "single_answer_ms": p50_p95(latencies),
        "single_answer_cache_kept_ms": p50_p95(kept),
        "http_single_answer_ms": p50_p95(http) if http else None,
        "startup_s": round(start_s, 2),
        "peak_rss_mib": {
            "startup": round(start_rss),
            "cli_grade": round(cli["rss_mib"]),
            "server": round(server_rss) if http else None,
        },
        "ratios": {
            "pipeline_over_fp32_torch": round(t_fp32 / t_pipe, 2),
            "pipeline_over_raw_encoder": round(t_raw / t_pipe, 2),
            "pipeline_over_naive": round(t_naive / t_pipe, 2),
        },
    }


def figures_cli(backend: str, work: Sequence[tuple[str, str]], reps: int) -> dict[str, float]:
    """Median wall time and peak RSS of `assess grade` on the workload as a CSV."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "answers.csv", Path(tmp) / "results.jsonl"
        with source.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["answer_id", "rubric_id", "answer"])
            writer.writerows((f"a{i}", r, a) for i, (r, a) in enumerate(work))
        runs = [run_grade(backend, source, target) for _ in range(reps)]
    return {
        "wall_s": statistics.median(r[0] for r in runs),
        "rss_mib": max(r[1] for r in runs),
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    from importlib import metadata

    versions: dict[str, str | None] = {}
    for name in ("torch", "onnxruntime", "sentence-transformers", "numpy"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "cpus": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
        "python": platform.python_version(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def markdown(result: dict[str, Any], command: str) -> str:
    """The figures as a Markdown table."""
    w, a, r = result["workload"], result["answers_per_s"], result["ratios"]
    lat, rss = result["single_answer_ms"], result["peak_rss_mib"]
    kept, http = result["single_answer_cache_kept_ms"], result["http_single_answer_ms"]
    rows = [
        (
            "fp32 torch `model.encode` of the answers' sentences (reference)",
            f"{a['fp32_torch_encode_sentences']} answers/s",
        ),
        (
            f"raw encoder ({result['backend']}) on the pipeline's texts",
            f"{a['raw_encoder_pipeline_texts']} answers/s",
        ),
        (
            "pipeline, library (`Grader.assess_many`, chunks of 64)",
            f"{a['pipeline_library']} answers/s",
        ),
        (
            "pipeline, `assess grade` on a CSV (process start included)",
            f"{a['pipeline_cli']} answers/s",
        ),
        ("naive: per answer, encode sentences and points afresh", f"{a['naive']} answers/s"),
        ("single answer in process, model warm: p50 / p95", f"{lat['p50']} / {lat['p95']} ms"),
        (
            "single answer in process, cache kept as the server keeps it: p50 / p95",
            f"{kept['p50']} / {kept['p95']} ms",
        ),
        (
            "single answer over HTTP (`assess serve`, SQLite): p50 / p95",
            f"{http['p50']} / {http['p95']} ms" if http else "not measured (--no-http)",
        ),
        ("start-up: model load + first answer", f"{result['startup_s']} s"),
        (
            "peak RSS: start-up process / `assess grade` / `assess serve`",
            f"{rss['startup']} / {rss['cli_grade']} / {rss['server'] or '-'} MiB",
        ),
        ("**pipeline / fp32 torch sentences**", f"**{r['pipeline_over_fp32_torch']}x**"),
        ("pipeline / raw encoder", f"{r['pipeline_over_raw_encoder']}x"),
        ("pipeline / naive", f"{r['pipeline_over_naive']}x"),
    ]
    m = result["machine"]
    shared = (
        "above 0.5 at the start: the machine was shared, and absolute timings are slower than "
        "a quiet machine's"
        if m["load_1min"][0] > 0.5
        else "a quiet machine at the start"
    )
    lines = [
        f"Backend `{result['backend']}` (`{result['model']['name']}`, weights sha256 "
        f"`{result['model']['sha256'][:12]}`); {w['answers']} answers of {w['mean_words']} words "
        f"on average against {len(w['rubrics'])} Track II rubrics; medians of {w['repeats']} "
        f"runs; naive on {w['naive_answers']} answers, latency over {w['single_answers']}. "
        f"{m['cpus']} CPUs, {m['date']}; load average (1 min) {m['load_1min'][0]:.1f} at the "
        f"start, {m['load_1min'][1]:.1f} at the end (the end includes the benchmark's own "
        f"work; {shared}). Command: `{command}`",
        "",
        "| measure | figure |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in rows),
    ]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, write JSON and Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="answers in the workload")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--backend", default=None, help="torch, onnx or onnx-int8 (default: "
                        "ASSESS_ENCODER_BACKEND)")  # fmt: skip
    parser.add_argument("--naive-n", type=int, default=200, help="answers for the naive run")
    parser.add_argument("--single", type=int, default=200, help="answers timed one at a time")
    parser.add_argument("--no-http", dest="single_http", action="store_false",
                        help="skip the HTTP latency (it starts `assess serve`)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    result = measure(args)
    command = "python scripts/bench.py " + " ".join(argv if argv is not None else sys.argv[1:])
    table = markdown(result, command.strip())
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"bench-{result['backend']}"
    (args.out / f"{name}.json").write_text(json.dumps(result, indent=2) + "\n")
    (args.out / f"{name}.md").write_text(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
