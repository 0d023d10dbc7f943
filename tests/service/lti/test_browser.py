"""A learner's launch in headless Chromium: inside the LMS's iframe, answer, and the grade
reaches the platform. Debian's chromium only (never a browser download); skipped without it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.service.lti.conftest import Tool
from tests.service.lti.platform import Platform

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = REPO / "test-output" / "browser"
ANSWER = (
    "Track II meetings give people an informal place to talk freely, without the pressure "
    "of formal negotiations. Over time the two sides build trust in each other."
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"browser suite skipped: {CHROMIUM} is not installed"
    ),
]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def test_a_learner_answers_inside_the_lms_frame_and_the_grade_is_passed_back(
    chromium: Any, tool: Tool, platform: Platform
) -> None:
    link = platform.add_link({"rubric_id": "track-ii/complement"})
    page = chromium.new_context(viewport={"width": 1100, "height": 1300}).new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{platform.url}/course/{link}?user=browser-learner")
    frame = page.frame_locator("#tool")
    frame.locator("textarea[name=answer]").fill(ANSWER)
    assert "Track II" in frame.locator("h1").inner_text()
    frame.locator("button[type=submit]").click()
    frame.locator("#result").wait_for()
    assert "gradebook" in frame.locator("#passback").inner_text()
    assert frame.locator("[role=meter]").count() == 3
    assert "trust" in " ".join(frame.locator(".answer mark").all_inner_texts())
    page.screenshot(path=SHOTS / "lti-learner.png", full_page=True)
    received = [s for s in platform.scores if s.body["userId"] == "browser-learner"]
    assert len(received) == 1 and received[0].body["scoreMaximum"] == 3.0
