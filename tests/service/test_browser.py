"""The pages in a real headless Chromium (Debian's `chromium`, driven by Playwright).

Screenshots of each page go to test-output/browser/. Where /usr/bin/chromium is missing the
tests are skipped and say so (.ci/run installs it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from assess import Grader
from service.app import create_app
from service.settings import Settings
from service.tenants import create_key
from tests.conftest import EXAMPLES
from tests.live import BROWSER_MARKS, SHOTS, chromium, serve

ANSWER = (
    "Track II meetings give people an informal place to talk freely, without the pressure "
    "of formal negotiations. Over time the two sides build trust in each other."
)

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def live(grader: Grader, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The app served on a loopback port, and a teacher's key."""
    app = create_app(Settings(data_dir=tmp_path_factory.mktemp("browser")), grader=grader)
    served = serve(app)
    key = create_key(app.state.assess.sessions, "course-a")[1]
    yield served.url, key
    served.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


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


def test_a_teacher_calibrates_a_rubric_and_sees_each_points_agreement(
    browser: Any, live: tuple[str, str], tmp_path: Any
) -> None:
    from tests.assess.test_neighbours import GRADED

    graded = tmp_path / "graded.csv"
    lines = ["answer_id,answer,score,point:trust-building"]
    lines += [f'g{n},"{answer}",{score},{int(score)}' for n, (answer, score) in enumerate(GRADED)]
    graded.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url, key = live
    page = sign_in(browser, url, key)
    page.goto(f"{url}/teacher/rubric?id=track-ii/complement")
    page.set_input_files("#calibration input[name=file]", str(graded))
    page.click("text=Upload and calibrate")
    page.wait_for_selector("#point-agreement", timeout=120_000)
    rows = page.locator("#point-agreement tbody tr")
    assert rows.count() == 1  # only trust-building was graded
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[0] == "trust-building" and cells[5] == str(len(GRADED))
    assert 0 <= float(cells[1]) <= 1 and " – " in cells[2] and -1 <= float(cells[4]) <= 1
    page.locator("#calibration").screenshot(path=SHOTS / "calibration.png")
