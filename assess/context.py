"""Word-level facts about what an answer says near a point: its length against the point's,
how much of it repeats the question, and whether it negates where the point does not.

Every figure is a share, a ratio or a log count, defined the same way for a one-line answer
and for the sentence of an essay that holds the evidence, so a model fitted on short answers
reads them the same way on long ones. Word overlap with the point is deliberately absent: on
the short science answers the point model is fitted on it predicts the grade well, but a model
leaning on it fails paraphrases that share few words with the rubric (see
`assess.point_training`). Whether the point itself negates is not a feature either: on SemEval it
made a point with a "not" of its own less likely covered by anyone, a fact about those questions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rubrics.words import content_stems, is_negator, tokens

CONTEXT_FEATURES = (
    "context_words",  # log(1 + content words of the context)
    "context_own_words",  # log(1 + content words of the context not in the question)
    "length_ratio",  # context's own words over the closest phrasing's, at most `MAX_RATIO`
    "negation_differs",  # the context negates and no phrasing of the point does
    "question_share",  # share of the context's content words that are the question's
)


# Beyond a few times the point's length, a longer context says nothing more about coverage,
# and an unbounded ratio would let a long run of unknown words read as a full answer.
MAX_RATIO = 4.0


def _negates(text: str) -> bool:
    return any(is_negator(t) for t in tokens(text))


def context_features(
    context: str, phrasings: Sequence[str], question: frozenset[str]
) -> dict[str, float]:
    """The `CONTEXT_FEATURES` of a context against a point's phrasings (closest first)."""
    stems = content_stems(context)
    own = [s for s in stems if s not in question]
    closest = [s for s in content_stems(phrasings[0]) if s not in question] if phrasings else []
    context_negated = _negates(context)
    # Points that carry a negation of their own ("without the pressure of formal talks") are
    # paraphrased with and without negators too freely for a mismatch to mean a denial.
    point_negated = any(_negates(p) for p in phrasings)
    return {
        "context_words": float(np.log1p(len(stems))),
        "context_own_words": float(np.log1p(len(own))),
        "length_ratio": min(len(own) / max(1, len(closest)), MAX_RATIO),
        "negation_differs": float(context_negated and not point_negated),
        "question_share": 1 - len(own) / max(1, len(stems)),
        # Not features: cues for denials (`assess.point_status.judge_points`).
        "negation_involved": float(context_negated or point_negated),
        "context_negated": float(context_negated),
    }
