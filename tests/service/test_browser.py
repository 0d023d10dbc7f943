"""The pages in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Screenshots of each page go to test-output/browser/. Where /usr/bin/chromium is missing the
tests are skipped and say so (.ci/run installs it).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from assess import Grader
from service.app import create_app
from service.settings import Settings
from service.tenants import create_key
from tests.conftest import EXAMPLES, REPO

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
def live(grader: Grader, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app served by uvicorn on a loopback port in a thread, and a teacher's key."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("browser")), grader=grader)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive()
        time.sleep(0.05)
    key = create_key(app.state.assess.sessions, "course-a")[1]
    yield f"http://127.0.0.1:{port}", key
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


def sign_in(browser: Any, url: str, key: str) -> Any:
    page = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    page.set_default_timeout(60_000)  # two shared CPU cores can be slow
    page.goto(f"{url}/signin")
    page.screenshot(path=SHOTS / "signin.png", full_page=True)
    page.fill("input[name=api_key]", key)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/teacher")
    return page


def test_a_student_submits_an_answer_and_sees_the_evidence(
    browser: Any, live: tuple[str, str]
) -> None:
    url, key = live
    teacher = sign_in(browser, url, key)
    with teacher.expect_navigation():
        teacher.locator("tr", has_text="track-ii/complement").get_by_role(
            "button", name="Practice link"
        ).click()
    link = teacher.locator("a.practice-link").first.get_attribute("href")
    teacher.screenshot(path=SHOTS / "teacher.png", full_page=True)
    assert link is not None and "/p/" in link

    student = browser.new_context(viewport={"width": 1000, "height": 900}).new_page()
    student.set_default_timeout(60_000)
    student.goto(link)
    assert "Track II" in student.locator("h1").inner_text()
    student.fill("textarea[name=answer]", ANSWER)
    with student.expect_navigation():
        student.click("button[type=submit]")
    student.wait_for_selector("#result")
    marks = student.locator(".answer mark")
    assert marks.count() >= 1
    assert "trust" in " ".join(marks.all_inner_texts())
    assert student.locator("[role=meter]").count() == 3
    assert "You covered" in student.locator(".feedback").inner_text()
    student.screenshot(path=SHOTS / "student.png", full_page=True)


def test_a_teacher_builds_a_draft_and_saves_it(browser: Any, live: tuple[str, str]) -> None:
    url, key = live
    page = sign_in(browser, url, key)
    page.goto(f"{url}/teacher/rubric")
    page.fill("input[name=rubric_id]", "biology/sweat")
    page.fill("input[name=question]", "Why do we sweat?")
    page.fill(
        "textarea[name=model_answer]", "Sweat evaporates from the skin, which cools the body."
    )
    with page.expect_navigation():
        page.click("text=Build draft")
    assert "id: biology/sweat" in page.locator("textarea[name=text]").input_value()
    with page.expect_navigation():
        page.click("text=Save rubric")
    assert page.locator(".saved").is_visible()
    page.screenshot(path=SHOTS / "editor.png", full_page=True)
    page.goto(f"{url}/teacher")
    assert page.locator("a", has_text="biology/sweat").count() == 1


def test_a_teacher_uploads_a_batch_and_sees_the_report(browser: Any, live: tuple[str, str]) -> None:
    url, key = live
    page = sign_in(browser, url, key)
    page.set_input_files("input[name=file]", str(EXAMPLES / "track-ii-answers.csv"))
    page.click("text=Upload and grade")
    page.wait_for_selector("#report", timeout=120_000)
    assert page.locator("#report svg rect").count() >= 3 * 3
    assert page.get_by_text("Download CSV").is_visible()
    page.screenshot(path=SHOTS / "batch.png", full_page=True)
