"""The instructor's view of one activity: the class report, answers to review, passbacks."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.lti.orm import LtiLink, LtiScore
from service.orm import Assessment
from service.report import class_report


def activity_report(session: Session, link: LtiLink) -> dict[str, Any]:
    """Per learner their latest answer; the class report over those; the passback states."""
    rows = session.execute(
        select(LtiScore, Assessment)
        .join(Assessment, Assessment.id == LtiScore.assessment_id)
        .where(LtiScore.link_id == link.id)
        .order_by(LtiScore.created_at, LtiScore.id)
    ).all()
    latest: dict[str, tuple[LtiScore, Assessment]] = {}
    for score, assessment in rows:
        latest[score.user_id] = (score, assessment)
    learners = [
        {
            "user": score.user_name or score.user_id,
            "score": assessment.result["score"],
            "max_score": assessment.result["max_score"],
            "needs_review": bool(assessment.result.get("needs_review")),
            "flags": assessment.result.get("flags", []),
            "passback": score.status,
            "attempts": score.attempts,
            "error": score.last_error,
        }
        for score, assessment in latest.values()
    ]
    results = [assessment.result for _, assessment in latest.values()]
    return {
        "link": link,
        "report": class_report(f"lti-{link.id}", results) if results else None,
        "learners": learners,
        "review": [learner for learner in learners if learner["needs_review"]],
        "unsent": sum(1 for score, _ in rows if score.status in ("pending", "failed")),
    }
