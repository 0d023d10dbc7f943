"""Real servers and a real browser for the suites that need them: an app served by uvicorn on
a loopback port in a thread, and Debian's chromium driven by Playwright (never a download)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from tests.conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-output" / "browser"
BROWSER_MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"browser suite skipped: {CHROMIUM} is not installed"
    ),
]


@dataclass
class Served:
    """An app served by uvicorn in a thread."""

    url: str
    app: FastAPI
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def serve(app: FastAPI) -> Served:
    """Serve the app on a free loopback port and wait until it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.02)
    return Served(f"http://127.0.0.1:{port}", app, server, thread)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium with the flags this machine needs; screenshots go to SHOTS."""
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield launched
        finally:
            launched.close()
