"""A real `assess serve`, killed with SIGKILL mid-batch and restarted: every answer is
graded exactly once."""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.service.conftest import COMPLEMENT

ASSESS = Path(sys.executable).parent / "assess"
ROWS = 240
SENTENCES = [
    "It helps the two sides build trust in each other.",
    "Informal talks let people voice ideas without the pressure of formal negotiations.",
    "Insights from these dialogues inform official diplomacy.",
    "It replaces official negotiations between governments.",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`assess serve` in a subprocess on a loopback port, with its own data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "ASSESS_DATA_DIR": str(data_dir), "ASSESS_THREADS": "1"}
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir.parent / "serve.log"

    def start(self) -> None:
        """Start and wait until ready."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(ASSESS), "serve", "--port", str(self.port)],
                env=self.env, stdout=log, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("assess serve did not become ready")

    def kill(self) -> None:
        """SIGKILL: no shutdown handler runs."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        """Terminate if still running."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(20)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path / "data")
    yield running
    running.stop()


def done_in_database(data_dir: Path, batch_id: str) -> int:
    with sqlite3.connect(data_dir / "assess.db") as connection:
        (count,) = connection.execute(
            "SELECT count(*) FROM batch_items WHERE batch_id = ? AND state != 'pending'",
            (batch_id,),
        ).fetchone()
    return int(count)


def rows_graded_metric(url: str) -> float:
    text = httpx.get(f"{url}/metrics").text
    return sum(float(v) for v in re.findall(r"^assess_batch_rows_total\{[^}]*\} (\S+)", text, re.M))


@pytest.mark.slow
def test_a_batch_killed_midway_resumes_and_grades_each_answer_once(
    server: Server, tmp_path: Path
) -> None:
    server.start()
    keys = subprocess.run(
        [str(ASSESS), "keys", "create", "--tenant", "course-a"],
        env=server.env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    headers = {"Authorization": f"Bearer {keys.stdout.strip().splitlines()[-1]}"}
    answers = [
        {"answer_id": f"s{n:03d}", "answer": f"{SENTENCES[n % 4]} {SENTENCES[(n * 7) % 4]}"}
        for n in range(ROWS)
    ]
    created = httpx.post(
        f"{server.url}/v1/batches", json={"rubric_id": COMPLEMENT, "answers": answers},
        headers=headers, timeout=30,
    ).json()  # fmt: skip
    deadline = time.monotonic() + 120
    while (
        httpx.get(f"{server.url}/v1/batches/{created['id']}", headers=headers).json()["done"] < 16
    ):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    server.kill()
    before = done_in_database(tmp_path / "data", created["id"])
    assert 0 < before < ROWS, "kill the job while it runs"

    server.start()
    deadline = time.monotonic() + 240
    while True:
        batch = httpx.get(f"{server.url}/v1/batches/{created['id']}", headers=headers).json()
        if batch["status"] == "done":
            break
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert batch["done"] == batch["total"] == ROWS
    assert rows_graded_metric(server.url) == ROWS - before  # nothing graded twice
    results = httpx.get(
        f"{server.url}/v1/batches/{created['id']}/results", headers=headers, timeout=30
    ).json()
    counts = Counter(r["answer_id"] for r in results)
    assert set(counts) == {a["answer_id"] for a in answers}
    assert set(counts.values()) == {1}
    assert all("error" not in r for r in results)
