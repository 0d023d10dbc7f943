"""Single-answer latency in process and over HTTP against the real service.

Run alone: .venv/bin/python scripts/bench_latency.py [--single 100] [--backend B]
(bench.py runs the same measures within the whole benchmark).

The service runs in its own process, exactly as a user starts it (`assess serve`: `create_app`
served by uvicorn) on a loopback port, with SQLite in a temporary data dir; the API key is
made with `service.tenants.create_key`, as the tests make theirs. The benchmark process only
sends requests (httpx, one keep-alive connection, one request at a time), so client and server
never share an interpreter lock. The model is warmed first (one request per rubric).

The server keeps its encoder cache between requests, as in production: a sentence that two
answers share is encoded once. The workload's answers each open with one of 15 Track II
example answers, so the timed requests hit that cache where the in-process figure (cache
cleared per answer) does not; bench.py also times in process with the cache kept, in the
same order, so the difference between the two is what HTTP and storage cost.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ENDPOINT = "/v1/assessments"


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank) of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def single_latencies(
    grader: Any, rubrics: dict, work: Sequence[tuple[str, str]], clear: bool
) -> list[float]:
    """Seconds to assess each answer alone, the model warm; `clear`: forget cached vectors
    first (the encoder's and the judge's), so nothing of a new answer is cached."""
    times = []
    for rubric_id, answer in work:
        if clear:
            grader.clear_cache()
        start = time.perf_counter()
        grader.assess(rubrics[rubric_id], answer)
        times.append(time.perf_counter() - start)
    return times


def p50_p95(times: Sequence[float]) -> dict[str, float]:
    """Median and 95th percentile, in milliseconds."""
    return {q: round(percentile(times, v) * 1000, 1) for q, v in (("p50", 50), ("p95", 95))}


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_key(data_dir: Path) -> str:
    """Migrate the service's SQLite file and create an API key in it (as the tests do)."""
    from service.db import make_engine, make_sessions, migrate
    from service.settings import Settings
    from service.tenants import create_key

    engine = make_engine(Settings(data_dir=data_dir).sqlalchemy_url())
    migrate(engine)
    _, key = create_key(make_sessions(engine), "bench")
    engine.dispose()
    return key


def wait_ready(client: Any, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    """Poll /readyz until the model is loaded; fail with the server's log if it exits."""
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"assess serve exited: {log.read_text()[-2000:]}")
        try:
            if client.get("/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"assess serve not ready after {timeout:.0f} s: {log.read_text()[-2000:]}")


def vm_hwm_mib(pid: int) -> float:
    """Peak resident memory of a live process (VmHWM), MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0


def http_latencies(
    backend: str, timed: Sequence[tuple[str, str]], warm: Sequence[tuple[str, str]]
) -> tuple[list[float], float]:
    """Seconds per POST of each `timed` answer, after the `warm` ones; the server's peak RSS."""
    import httpx

    with tempfile.TemporaryDirectory() as tmp:
        data_dir, log = Path(tmp) / "data", Path(tmp) / "serve.log"
        key, port = make_key(data_dir), free_port()
        env = {
            **os.environ,
            "ASSESS_DATA_DIR": str(data_dir),
            "ASSESS_ENCODER_BACKEND": backend,
            "ASSESS_RATE_LIMIT_PER_MINUTE": "1000000",  # the bench is one trusted client
            "HF_HUB_OFFLINE": "1",
        }
        command = [str(Path(sys.executable).with_name("assess")), "serve", "--port", str(port)]
        with log.open("wb") as sink:
            process = subprocess.Popen(command, env=env, stdout=sink, stderr=subprocess.STDOUT)
        headers = {"Authorization": f"Bearer {key}"}
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                wait_ready(client, process, log, timeout=120)

                def post(rubric_id: str, answer: str) -> float:
                    body = {"rubric_id": rubric_id, "answer": answer}
                    start = time.perf_counter()
                    response = client.post(ENDPOINT, json=body, headers=headers)
                    elapsed = time.perf_counter() - start
                    if response.status_code != 201:
                        raise SystemExit(f"POST {ENDPOINT}: {response.status_code} {response.text}")
                    return elapsed

                for rubric_id, answer in warm:
                    post(rubric_id, answer)
                times = [post(rubric_id, answer) for rubric_id, answer in timed]
            return times, vm_hwm_mib(process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Time single answers in process (cache cleared, cache kept) and over HTTP; print them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=100, help="answers timed one at a time")
    parser.add_argument("--backend", default=None, help="default: ASSESS_ENCODER_BACKEND")
    parser.add_argument("--no-http", dest="http", action="store_false")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from bench import build_workload

    from rubrics import library_path, load_rubrics
    from service.settings import Settings
    from service.wiring import build_grader

    settings = Settings(encoder_backend=args.backend) if args.backend else Settings()
    rubrics = load_rubrics(library_path())
    work = build_workload(args.single + 3)
    timed, warm = work[: args.single], work[-3:]
    grader = build_grader(settings)
    single_latencies(grader, rubrics, warm, clear=False)
    figures = {"cleared": single_latencies(grader, rubrics, timed, clear=True)}
    grader.clear_cache()
    single_latencies(grader, rubrics, warm, clear=False)
    figures["kept"] = single_latencies(grader, rubrics, timed, clear=False)
    if args.http:
        figures["http"] = http_latencies(settings.encoder_backend, timed, warm)[0]
    for name, times in figures.items():
        mean = statistics.mean(times) * 1000
        print(f"{name:8s} {p50_p95(times)} mean {mean:.1f} ms over {len(times)} answers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
