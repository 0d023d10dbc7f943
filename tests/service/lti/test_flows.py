"""Full flows against the simulated LMS: deep linking, learner answers and grade passback,
review answers as PendingManual, the instructor's report, retries and re-sending."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from assess import Grader
from tests.service.lti.conftest import (
    Tool,
    browser,
    forms,
    launch,
    register,
    start_platform,
    start_tool,
    submit_form,
)
from tests.service.lti.platform import INSTRUCTOR, LEARNER, Message, Platform

COMPLEMENT = {"rubric_id": "track-ii/complement"}
GOOD = (
    "Track II meetings give people an informal place to talk freely, without the pressure "
    "of formal negotiations. Over time the two sides build trust in each other."
)
# Confidently graded (no review): off the question, so every point is clearly missing.
OFF_TOPIC = (
    "Photosynthesis is the process by which plants turn sunlight, water and carbon dioxide "
    "into glucose and oxygen."
)
GIBBERISH = "qwzx vbnm plkj hgfd trew yuio asdf zxcv mnbv lkjh poiu ytre wqas"


def answer(client: httpx.Client, page: httpx.Response, text: str) -> httpx.Response:
    return submit_form(client, page, answer=text)


def wait_for(condition: object, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_deep_linking_returns_a_signed_resource_link_with_the_rubric_and_max_score(
    tool: Tool, platform: Platform
) -> None:
    client = browser()
    picker = launch(client, platform, Message("teacher-1", [INSTRUCTOR],
                                              message_type="LtiDeepLinkingRequest"))  # fmt: skip
    assert picker.status_code == 200, picker.text
    assert "track-ii/complement" in picker.text and "(library)" in picker.text
    chosen = [f for f in forms(picker.text) if f[1].get("rubric_id") == "track-ii/complement"]
    back = client.post(f"{tool.url}{chosen[0][0]}", data=chosen[0][1])
    assert back.status_code == 200, back.text
    added = submit_form(client, back)  # the auto-posting form, to the platform
    assert "Activity added" in added.text
    claims = platform.deep_link_returns[-1]
    lti = "https://purl.imsglobal.org/spec/lti/claim/"
    assert claims[lti + "message_type"] == "LtiDeepLinkingResponse"
    assert claims[lti + "deployment_id"] == platform.deployment_id
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-data-17"
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink"
    assert item["url"] == f"{tool.url}/lti/launch"
    assert item["custom"] == {"rubric_id": "track-ii/complement"}
    assert item["lineItem"]["scoreMaximum"] == 3.0


def test_a_learner_launched_from_a_deep_linked_activity_is_graded_in_the_lms(
    tool: Tool, platform: Platform
) -> None:
    client = browser()
    picker = launch(client, platform, Message("t", [INSTRUCTOR],
                                              message_type="LtiDeepLinkingRequest"))  # fmt: skip
    chosen = [f for f in forms(picker.text) if f[1].get("rubric_id") == "track-ii/challenges"]
    submit_form(client, client.post(f"{tool.url}{chosen[0][0]}", data=chosen[0][1]))
    link_id = list(platform.links)[-1]
    page = launch(browser(), platform, Message("s-9", [LEARNER], resource_link_id=link_id))
    assert "challenges" in page.text.lower() or "Track II" in page.text
    done = answer(client, page, GOOD)
    assert done.status_code == 200
    assert platform.scores[-1].body["userId"] == "s-9"
    assert platform.scores[-1].lineitem == platform.links[link_id]["lineitem"]


def test_a_learner_answer_is_stored_and_its_score_posted_with_the_platforms_token(
    tool: Tool, platform: Platform
) -> None:
    link = platform.add_link(COMPLEMENT)
    client = browser()
    page = launch(client, platform, Message("learner-7", [LEARNER], resource_link_id=link))
    done = answer(client, page, GOOD)
    assert done.status_code == 200, done.text
    assert "sent to your course" in done.text and "<mark" in done.text
    received = [s for s in platform.scores if s.body["userId"] == "learner-7"]
    assert len(received) == 1
    score = received[0]
    assert score.token in platform.tokens  # a bearer token this platform issued
    assert "https://purl.imsglobal.org/spec/lti-ags/scope/score" in platform.tokens[score.token]
    assert score.content_type == "application/vnd.ims.lis.v1.score+json"
    assert score.lineitem == platform.links[link]["lineitem"]
    body = score.body
    assert body["scoreMaximum"] == 3.0 and 0 < body["scoreGiven"] <= 3.0
    assert body["activityProgress"] == "Completed"
    assert "You covered" in body["comment"]
    datetime.fromisoformat(body["timestamp"])
    with tool.state.sessions() as session:
        from service.orm import Assessment

        stored = session.query(Assessment).filter_by(learner_id="learner-7").all()
    assert len(stored) == 1 and stored[0].result["score"] == body["scoreGiven"]
    review = stored[0].result["needs_review"]
    assert body["gradingProgress"] == ("PendingManual" if review else "FullyGraded")


def test_a_confidently_graded_answer_is_posted_as_fully_graded(
    tool: Tool, platform: Platform
) -> None:
    link = platform.add_link(COMPLEMENT)
    client = browser()
    page = launch(client, platform, Message("learner-6", [LEARNER], resource_link_id=link))
    answer(client, page, OFF_TOPIC)
    (score,) = [s for s in platform.scores if s.body["userId"] == "learner-6"]
    assert score.body["gradingProgress"] == "FullyGraded"
    assert score.body["scoreGiven"] == 0.0


def test_an_answer_that_needs_review_is_posted_as_pending_manual(
    tool: Tool, platform: Platform
) -> None:
    link = platform.add_link(COMPLEMENT)
    client = browser()
    page = launch(client, platform, Message("learner-8", [LEARNER], resource_link_id=link))
    answer(client, page, GIBBERISH)
    (score,) = [s for s in platform.scores if s.body["userId"] == "learner-8"]
    assert score.body["gradingProgress"] == "PendingManual"
    assert score.body["activityProgress"] == "Completed"


def test_tokens_are_cached_until_they_expire(tool: Tool, platform: Platform) -> None:
    link = platform.add_link(COMPLEMENT)
    before = platform.token_requests
    for user in ("c-1", "c-2"):
        client = browser()
        answer(client, launch(client, platform, Message(user, [LEARNER], resource_link_id=link)),
               GOOD)  # fmt: skip
    assert platform.token_requests - before <= 1


def test_the_instructor_sees_the_class_report_and_the_answers_to_review(
    tool: Tool, platform: Platform
) -> None:
    link = platform.add_link(COMPLEMENT)
    for user, text in (("r-1", OFF_TOPIC), ("r-2", GIBBERISH)):
        client = browser()
        message = Message(user, [LEARNER], resource_link_id=link, name=f"Name {user}")
        page = launch(client, platform, message)
        answer(client, page, text)
    report = launch(browser(), platform, Message("teacher", [INSTRUCTOR], resource_link_id=link))
    assert report.status_code == 200, report.text
    assert 'id="report"' in report.text and report.text.count("<rect") >= 3 * 3
    assert "2 learner(s) answered" in report.text
    review = report.text.split('id="review"')[1].split("</section>")[0]
    assert "Name r-2" in review and "Name r-1" not in review
    assert "Re-send scores" in report.text


@pytest.fixture
def flaky(grader: Grader, tmp_path: Path) -> Iterator[tuple[Tool, Platform]]:
    """A fresh tool and a platform whose gradebook refuses the first scores."""
    tool = start_tool(grader, tmp_path / "data", lti_retry_max_attempts=3)
    platform, served = start_platform(tool)
    register(tool, platform)
    yield tool, platform
    served.stop()
    tool.served.stop()


def test_a_refused_score_is_retried_with_backoff_and_posted_once(
    flaky: tuple[Tool, Platform],
) -> None:
    tool, platform = flaky
    link = platform.add_link(COMPLEMENT)
    platform.refuse_scores = 2
    client = browser()
    page = launch(client, platform, Message("f-1", [LEARNER], resource_link_id=link))
    done = answer(client, page, GOOD)
    assert "will be sent to your course's gradebook shortly" in done.text
    wait_for(lambda: len(platform.scores) == 1)
    time.sleep(1.0)  # the worker keeps running: nothing more may arrive
    assert len(platform.scores) == 1 and platform.refuse_scores == 0


def test_a_score_out_of_attempts_is_shown_and_resent_by_the_teacher_once(
    flaky: tuple[Tool, Platform],
) -> None:
    tool, platform = flaky
    link = platform.add_link(COMPLEMENT)
    platform.refuse_scores = 100
    client = browser()
    answer(client, launch(client, platform, Message("g-1", [LEARNER], resource_link_id=link)),
           GOOD)  # fmt: skip

    def failed() -> bool:
        from service.lti.orm import LtiScore

        with tool.state.sessions() as session:
            return [r.status for r in session.query(LtiScore).all()] == ["failed"]

    wait_for(failed)
    teacher = browser()
    report = launch(teacher, platform, Message("teacher", [INSTRUCTOR], resource_link_id=link))
    assert "passback-failed" in report.text and "HTTP 503" in report.text
    platform.refuse_scores = 0
    resent = submit_form(teacher, report)
    assert "1 score(s) queued again, 1 sent now" in resent.text
    assert "passback-sent" in resent.text
    again = submit_form(teacher, resent)
    assert "Nothing to re-send" in again.text
    assert len(platform.scores) == 1


def test_pages_outside_lti_cannot_be_framed_but_lti_pages_can(
    tool: Tool, platform: Platform
) -> None:
    signin = httpx.get(f"{tool.url}/signin")
    assert signin.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in signin.headers["content-security-policy"]
    message = Message("u", [LEARNER], resource_link_id=platform.add_link(COMPLEMENT))
    page = launch(browser(), platform, message)
    assert "x-frame-options" not in page.headers
    assert page.headers["content-security-policy"] == "frame-ancestors *"


def test_an_expired_or_forged_page_token_is_a_clear_page(tool: Tool) -> None:
    answer_page = httpx.post(f"{tool.url}/lti/submit", data={"token": "forged", "answer": "x"})
    assert answer_page.status_code == 401
    assert "open the activity again" in answer_page.text
