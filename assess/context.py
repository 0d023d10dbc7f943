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

from rubrics.copies import nearness, opposite_words
from rubrics.words import content_stems, is_negator, tokens

CONTEXT_FEATURES = (
    "context_words",  # log(1 + content words of the context)
    "context_own_words",  # log(1 + content words of the context not in the question)
    "length_ratio",  # context's own words over the closest phrasing's, at most `MAX_RATIO`
    "negation_differs",  # the context negates and no phrasing of the point does
    "question_share",  # share of the context's content words that are the question's
    "opposite_differs",  # the context swaps a word of the closest phrasing for its opposite
    "number_differs",  # a near copy of the closest phrasing with another number in its place
)


# Beyond a few times the point's length, a longer context says nothing more about coverage,
# and an unbounded ratio would let a long run of unknown words read as a full answer.
MAX_RATIO = 4.0
# Another number counts only in a context this near the phrasing in words
# (`rubrics.copies.nearness`): in the same statement. Ungated, on SAF train (networking answers
# full of numbers, points one sentence each) Pearson r fell 0.228 -> 0.217; gated, 0.229, with
# SemEval's question-grouped CV within 0.001 of ungated. Opposites need no gate (gated at 0.5,
# SciEntsBank's CV 3-way fell 0.497 -> 0.492, SAF unmoved).
NUMBERS_NEAR = 0.5


def _negates(text: str) -> bool:
    return any(is_negator(t) for t in tokens(text))


def _numbers_differ(context: str, phrasing: str) -> bool:
    said = {t for t in tokens(context) if t.isdigit()}
    phrased = {t for t in tokens(phrasing) if t.isdigit()}
    return bool(said - phrased) and bool(phrased - said)


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
    opposite = bool(phrasings) and opposite_words(context, phrasings[0]) > 0
    # Another number means something only in the same statement: a long context names
    # numbers of other points' statements too.
    numbers = (
        bool(phrasings)
        and _numbers_differ(context, phrasings[0])
        and nearness(context, phrasings[:1]) >= NUMBERS_NEAR
    )
    return {
        "context_words": float(np.log1p(len(stems))),
        "context_own_words": float(np.log1p(len(own))),
        "length_ratio": min(len(own) / max(1, len(closest)), MAX_RATIO),
        "negation_differs": float(context_negated and not point_negated),
        "question_share": 1 - len(own) / max(1, len(stems)),
        "opposite_differs": float(opposite),
        "number_differs": float(numbers),
        # Not features: cues for denials (`assess.point_status.judge_points`).
        "negation_involved": float(context_negated or point_negated),
        # Something that can turn a claim over: a negation on either side, a word swapped for
        # its opposite, another number.
        "turn_involved": float(context_negated or point_negated or opposite or numbers),
        "context_negated": float(context_negated),
    }
