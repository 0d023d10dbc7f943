"""What a launch opens: the rubric picker (Deep Linking), a learner's answer page, and the
instructor's report; and the pages' own requests (choose, submit, re-send)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.api.assessments import store_result
from service.calibrations import tenant_grader
from service.deps import SessionDep, StateDep
from service.errors import LimitExceededError
from service.lti.ags import score_payload
from service.lti.claims import RUBRIC_PARAM, Launch
from service.lti.deep_linking import deep_linking_response, resource_link_item
from service.lti.errors import ActivityError
from service.lti.orm import LtiLink, LtiPlatform, LtiScore
from service.lti.report import activity_report
from service.lti.runtime import LtiDep
from service.lti.tool_keys import signing_key
from service.lti.web import LtiRoute, base_url, read_page_token, sign_page_token
from service.state import AppState
from service.web.render import TEMPLATES, highlight

router = APIRouter(prefix="/lti", tags=["lti"], route_class=LtiRoute, include_in_schema=False)
Token = Annotated[str, Form(max_length=4000)]


def pick_rubric(request: Request, state: AppState, session: Session, launch: Launch) -> Response:
    """Deep Linking: the tenant's rubrics and the library's, to add one to the course."""
    if not launch.teaches:
        raise ActivityError("only an instructor can add an assess activity to a course")
    token = sign_page_token(state, "pick", {
        "platform": launch.platform_id, "deployment": launch.deployment_id,
        "return_url": launch.return_url, "data": launch.dl_data,
    })  # fmt: skip
    rubrics = state.store.list(session, launch.tenant_id)
    return TEMPLATES.TemplateResponse(
        request, "lti_pick.html", {"rubrics": rubrics, "token": token}
    )


@router.post("/deep-link", response_class=HTMLResponse)
def choose_rubric(
    request: Request, state: StateDep, session: SessionDep, token: Token,
    rubric_id: Annotated[str, Form(max_length=200)],
) -> Response:  # fmt: skip
    """Return the chosen rubric to the LMS as a signed LtiDeepLinkingResponse."""
    data = read_page_token(state, "pick", token)
    platform = session.get(LtiPlatform, int(data["platform"]))
    if platform is None:
        raise ActivityError("the platform of this launch is no longer registered")
    rubric = state.store.get(session, platform.tenant_id, rubric_id).rubric
    launch_url = base_url(state, request) + "/lti/launch"
    jwt = deep_linking_response(
        signing_key(session), platform.client_id, platform.issuer, str(data["deployment"]),
        [resource_link_item(rubric, launch_url)], data.get("data"),
    )  # fmt: skip
    return TEMPLATES.TemplateResponse(
        request, "lti_autopost.html", {"action": data["return_url"], "fields": {"JWT": jwt}}
    )


def _save_link(session: Session, launch: Launch, rubric_id: str) -> LtiLink:
    assert launch.resource_link_id is not None
    link = session.scalar(
        select(LtiLink).where(
            LtiLink.platform_id == launch.platform_id,
            LtiLink.resource_link_id == launch.resource_link_id,
        )
    )
    if link is None:
        link = LtiLink(platform_id=launch.platform_id, resource_link_id=launch.resource_link_id,
                       deployment_id=launch.deployment_id, rubric_id=rubric_id)  # fmt: skip
        session.add(link)
    link.rubric_id, link.context_id = rubric_id, launch.context_id
    link.title = launch.resource_link_title or link.title
    link.lineitem_url = launch.lineitem_url or link.lineitem_url
    link.lineitems_url = launch.lineitems_url or link.lineitems_url
    link.ags_scopes = " ".join(launch.ags_scopes) or link.ags_scopes
    session.flush()
    return link


def open_activity(request: Request, state: AppState, session: Session, launch: Launch) -> Response:
    """A resource link launch: the report for instructors, the answer page for learners."""
    rubric_id = launch.custom.get(RUBRIC_PARAM)
    if not rubric_id:
        raise ActivityError(
            f"this activity names no rubric: add it through the LMS's assess content picker "
            f"(Deep Linking), or set the custom parameter {RUBRIC_PARAM}=<rubric id>"
        )
    rubric = state.store.get(session, launch.tenant_id, rubric_id).rubric
    link = _save_link(session, launch, rubric_id)
    if launch.teaches:
        return report_page(request, state, session, link, notice=None)
    if not launch.sub:
        raise ActivityError("the LMS sent no user id (sub); an anonymous launch cannot be graded")
    token = sign_page_token(state, "learner", {"link": link.id, "sub": launch.sub,
                                               "name": launch.name})  # fmt: skip
    return TEMPLATES.TemplateResponse(
        request, "lti_answer.html", {"rubric": rubric, "token": token, "result": None}
    )


@router.post("/submit", response_class=HTMLResponse)
def submit(
    request: Request, state: StateDep, lti: LtiDep, token: Token,
    answer: Annotated[str, Form(max_length=1_000_000)],
) -> Response:  # fmt: skip
    """Assess the learner's answer, store it against their platform id, and post the score."""
    data = read_page_token(state, "learner", token)
    limit = state.settings.max_answer_chars
    if len(answer) > limit:
        raise LimitExceededError(f"the answer is over {limit} characters")
    with state.sessions() as session:
        link = session.get(LtiLink, int(data["link"]))
        platform = session.get(LtiPlatform, link.platform_id) if link else None
        if link is None or platform is None:
            raise ActivityError("this activity is no longer registered; open it again")
        rubric = state.store.get(session, platform.tenant_id, link.rubric_id).rubric
        grader = tenant_grader(state.grader, session, platform.tenant_id, [rubric])
    state.limiter.check(f"lti:{link.id}:{data['sub']}")
    with state.grader_lock:
        result = grader.assess(rubric, answer)
    shown = result.model_dump(mode="json")
    # The assessment and its outbox row commit together: the score cannot be lost.
    with state.sessions.begin() as session:
        stored = store_result(session, platform.tenant_id, result, str(data["sub"]))
        user = str(data["sub"])
        row = LtiScore(link_id=link.id, assessment_id=stored.id, user_id=user,
                       user_name=data.get("name"), score=score_payload(shown, user))  # fmt: skip
        session.add(row)
        session.flush()
        score_id = row.id
    state.metrics.assessments.labels(source="lti").inc()
    passback = lti.outbox.deliver(score_id)
    if passback != "sent":
        lti.outbox.wake()
    return TEMPLATES.TemplateResponse(request, "lti_answer.html", {
        "rubric": rubric, "token": token, "result": shown, "answer": answer,
        "pieces": highlight(answer, shown["points"]), "passback": passback,
    })  # fmt: skip


def report_page(
    request: Request, state: AppState, session: Session, link: LtiLink, notice: str | None
) -> Response:
    """The instructor's page for one activity."""
    context: dict[str, Any] = activity_report(session, link)
    context["token"] = sign_page_token(state, "teacher", {"link": link.id})
    context["notice"] = notice
    return TEMPLATES.TemplateResponse(request, "lti_report.html", context)


@router.post("/resend", response_class=HTMLResponse)
def resend(
    request: Request, state: StateDep, session: SessionDep, lti: LtiDep, token: Token
) -> Response:
    """Queue the activity's unsent scores again and post them now."""
    data = read_page_token(state, "teacher", token)
    link = session.get(LtiLink, int(data["link"]))
    if link is None:
        raise ActivityError("this activity is no longer registered; open it again")
    count = lti.outbox.requeue(session, link.id)
    session.commit()
    sent = lti.outbox.run_due() if count else 0
    notice = f"{count} score(s) queued again, {sent} sent now." if count else "Nothing to re-send."
    session.expire_all()
    return report_page(request, state, session, link, notice)
