"""A learner's launch in headless Chromium: inside the LMS's iframe, answer, and the grade
reaches the platform. Debian's chromium only (never a browser download); skipped without it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.live import BROWSER_MARKS, SHOTS, chromium
from tests.service.lti.conftest import Tool
from tests.service.lti.platform import Platform

ANSWER = (
    "Track II meetings give people an informal place to talk freely, without the pressure "
    "of formal negotiations. Over time the two sides build trust in each other."
)

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_a_learner_answers_inside_the_lms_frame_and_the_grade_is_passed_back(
    browser: Any, tool: Tool, platform: Platform
) -> None:
    link = platform.add_link({"rubric_id": "track-ii/complement"})
    page = browser.new_context(viewport={"width": 1100, "height": 1300}).new_page()
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
