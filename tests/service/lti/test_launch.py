"""Every launch is verified; each failure is a clear HTML page (4xx) and never a 500."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.service.lti.conftest import Tool, browser, launch, login_only
from tests.service.lti.platform import LEARNER, Message, Platform, new_key

COMPLEMENT = {"rubric_id": "track-ii/complement"}


def learner(platform: Platform, user: str = "learner-1") -> Message:
    return Message(user, [LEARNER], resource_link_id=platform.add_link(COMPLEMENT), name=user)


def post_launch(
    client: httpx.Client, tool: Tool, id_token: str, state: str | None
) -> httpx.Response:
    data = {"id_token": id_token} if state is None else {"id_token": id_token, "state": state}
    return client.post(f"{tool.url}/lti/launch", data=data)


def crafted(
    tool: Tool, platform: Platform, change: Callable[[dict[str, Any]], None], **sign: Any
) -> httpx.Response:
    """Log in, then post an id_token whose claims `change` altered."""
    client = browser()
    message = learner(platform)
    issued = login_only(client, platform, message)
    claims = platform.claims(message, issued["nonce"])
    change(claims)
    return post_launch(client, tool, platform.sign(claims, **sign), issued["state"])


def refused(answer: httpx.Response, status: int, words: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    assert "assess could not open this activity" in answer.text
    assert words in answer.text


def test_a_genuine_launch_opens_the_answer_page(tool: Tool, platform: Platform) -> None:
    page = launch(browser(), platform, learner(platform))
    assert page.status_code == 200, page.text
    assert "Track II" in page.text and 'name="answer"' in page.text


def test_a_bad_signature_is_refused(tool: Tool, platform: Platform) -> None:
    forged = new_key()
    answer = crafted(tool, platform, lambda c: None, key=forged, kid=platform.keys[0].kid)
    refused(answer, 401, "does not hold")


def test_a_key_the_platform_rotated_in_is_fetched_and_accepted(
    tool: Tool, platform: Platform
) -> None:
    launch(browser(), platform, learner(platform))  # the tool has cached the old key set
    platform.rotate_key()
    page = launch(browser(), platform, learner(platform))
    assert page.status_code == 200, page.text
    assert 'name="answer"' in page.text


def test_an_unknown_kid_that_the_platform_does_not_publish_is_refused(
    tool: Tool, platform: Platform
) -> None:
    answer = crafted(tool, platform, lambda c: None, key=new_key())
    refused(answer, 401, "has no key with kid")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda c: c.update(aud="another-tool", azp="another-tool"), "audience"),
        (lambda c: c.update(aud=["assess-client", "another-tool"], azp="another-tool"), "audience"),
        (lambda c: c.update(iss="https://evil.example"), "audience"),
        (lambda c: c.update(exp=int(time.time()) - 600, iat=int(time.time()) - 900), "expired"),
        (lambda c: c.update(iat=int(time.time()) + 3600), "does not hold"),
        (lambda c: c.pop("nonce"), "does not hold"),
        (lambda c: c.update(nonce="not-issued-by-the-tool"), "nonce"),
    ],
    ids=["wrong-audience", "wrong-azp", "wrong-issuer", "expired", "future-iat", "no-nonce",
         "foreign-nonce"],
)  # fmt: skip
def test_a_token_not_for_this_tool_or_not_now_is_refused(
    tool: Tool, platform: Platform, change: Callable[[dict[str, Any]], None], words: str
) -> None:
    answer = crafted(tool, platform, change)
    refused(answer, 401, words)


def test_a_small_clock_skew_is_within_the_leeway(tool: Tool, platform: Platform) -> None:
    answer = crafted(tool, platform, lambda c: c.update(iat=int(time.time()) + 20))
    assert answer.status_code == 200, answer.text


def test_a_replayed_nonce_is_refused(tool: Tool, platform: Platform) -> None:
    client = browser()
    message = learner(platform)
    issued = login_only(client, platform, message)
    token = platform.sign(platform.claims(message, issued["nonce"]))
    assert post_launch(client, tool, token, issued["state"]).status_code == 200
    cookie = {f"lti_state_{issued['state']}": "1"}  # an attacker who kept the cookie too
    replay = httpx.post(f"{tool.url}/lti/launch", cookies=cookie,
                        data={"id_token": token, "state": issued["state"]})  # fmt: skip
    refused(replay, 401, "replayed nonce")


def test_an_unknown_deployment_is_refused(tool: Tool, platform: Platform) -> None:
    change = lambda c: c.update({"https://purl.imsglobal.org/spec/lti/claim/deployment_id": "x"})  # noqa: E731
    refused(crafted(tool, platform, change), 403, "deployment")


def test_a_launch_without_state_is_refused(tool: Tool, platform: Platform) -> None:
    client = browser()
    message = learner(platform)
    issued = login_only(client, platform, message)
    token = platform.sign(platform.claims(message, issued["nonce"]))
    refused(post_launch(client, tool, token, None), 400, "state")


def test_a_state_from_another_browser_is_refused(tool: Tool, platform: Platform) -> None:
    message = learner(platform)
    issued = login_only(browser(), platform, message)
    token = platform.sign(platform.claims(message, issued["nonce"]))
    refused(post_launch(browser(), tool, token, issued["state"]), 400, "state")


def test_a_login_from_an_unknown_issuer_is_refused(tool: Tool) -> None:
    answer = httpx.get(f"{tool.url}/lti/login", params={"iss": "https://x", "login_hint": "u"})
    refused(answer, 403, "no platform is registered")


def test_a_login_without_a_hint_is_refused(tool: Tool, platform: Platform) -> None:
    answer = httpx.post(f"{tool.url}/lti/login", data={"iss": platform.url})
    refused(answer, 400, "login_hint")


def test_garbage_instead_of_a_token_is_refused(tool: Tool, platform: Platform) -> None:
    client = browser()
    issued = login_only(client, platform, learner(platform))
    refused(post_launch(client, tool, "not.a.jwt", issued["state"]), 401, "id_token")


def test_a_launch_with_no_rubric_says_how_to_fix_it(tool: Tool, platform: Platform) -> None:
    message = Message("l", [LEARNER], resource_link_id=platform.add_link({}))
    refused(launch(browser(), platform, message), 400, "rubric_id")


def test_a_rubric_of_another_tenant_is_not_found(tool: Tool, platform: Platform) -> None:
    link = platform.add_link({"rubric_id": "someone-else/private"})
    refused(launch(browser(), platform, Message("l", [LEARNER], resource_link_id=link)), 404,
            "no rubric")  # fmt: skip
