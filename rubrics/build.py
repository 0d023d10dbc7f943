"""Draft a rubric from a question and one or more model answers.

Each model answer is cut into propositions (sentences, long ones into clauses); propositions
that say the same thing across model answers are merged by agglomerative clustering; each
cluster becomes a point whose text is its most central member and whose other members become
exemplars. A draft, never a verdict: the teacher edits the file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from models import Encoder
from rubrics.errors import RubricValidationError
from rubrics.io import parse_rubric
from rubrics.keyphrase import choose_labels
from rubrics.schema import SCHEMA_V1, Rubric
from rubrics.segment import count_words, normalise_text, split_clauses, split_sentences
from rubrics.words import content_stems

DEFAULT_MERGE_SIMILARITY = 0.72
DEFAULT_CLAUSE_SPLIT_WORDS = 20
DEFAULT_MIN_CLAUSE_WORDS = 5
# A claim whose content words are mostly the question's restates it ("Track II diplomacy faces
# several challenges...") and is framing, not a point to score.
DEFAULT_RESTATEMENT_SHARE = 0.75
# Where a model answer's sentence holds two claims: a semicolon, a comma before a connective
# that opens a new proposition, or "by" introducing the means ("complements X by providing
# Y"). Stricter than the scorer's clause cuts: a bare comma rarely separates claims.
CLAIM_BREAK = re.compile(
    r"\s*[;:]\s+|,\s+(?=(?:and|but|which|while|whereas|leading|allowing|creating|making|"
    r"including|since|because|thereby|thus)\b)|\s+(?=by\b)",
    re.IGNORECASE,
)


_LEADING_CONNECTIVE = re.compile(
    r"^(?:by|additionally|also|including|since|because|and|but|which|furthermore|moreover|"
    r"finally|thus|so)\b,?\s*",
    re.IGNORECASE,
)


def tidy_claim(text: str) -> str:
    """A clause as a statement of its own: no leading connective, capital first, no trailing
    comma ("by providing a space," -> "Providing a space")."""
    text = _LEADING_CONNECTIVE.sub("", text).rstrip(",;: ")
    return text[:1].upper() + text[1:] if text else text


def restates(claim: str, question: str, share: float = DEFAULT_RESTATEMENT_SHARE) -> bool:
    """True when most of a claim's content words come from the question."""
    stems = content_stems(claim)
    question_stems = set(content_stems(question))
    return bool(stems) and sum(s in question_stems for s in stems) / len(stems) >= share


def propositions(
    answer: str, question: str = "", clause_split_words: int = DEFAULT_CLAUSE_SPLIT_WORDS
) -> list[str]:
    """The claims of a model answer: one per sentence, long sentences cut into clauses, and
    clauses that only restate the question left out."""
    claims: list[str] = []
    for sentence in split_sentences(answer):
        pieces = [sentence]
        if count_words(sentence.text) >= clause_split_words:
            pieces = (
                split_clauses(answer, sentence, DEFAULT_MIN_CLAUSE_WORDS, CLAIM_BREAK) or pieces
            )
        texts = [tidy_claim(normalise_text(piece.text)) for piece in pieces]
        kept = [t for t in texts if not restates(t, question)]
        claims.extend(kept or texts)
    return claims


def _slug(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")[:40].strip("-") or "point"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def build_rubric(
    question: str,
    model_answers: Sequence[str],
    encoder: Encoder,
    rubric_id: str = "draft",
    merge_similarity: float = DEFAULT_MERGE_SIMILARITY,
) -> Rubric:
    """Build a draft rubric whose points are the distinct claims of the model answers."""
    answers = [normalise_text(a) for a in model_answers if a and a.strip()]
    if not question.strip():
        raise RubricValidationError("<build>", ["question: must not be empty"])
    if not answers:
        raise RubricValidationError("<build>", ["model_answers: give at least one model answer"])
    claims = [claim for answer in answers for claim in propositions(answer, question)]
    if not claims:
        raise RubricValidationError(
            "<build>", ["model_answers: no sentence with words in any model answer"]
        )
    vectors = encoder.embed(claims)
    if len(claims) > 1:
        clustering = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=1 - merge_similarity,
        )
        cluster_of = clustering.fit_predict(vectors)
    else:
        cluster_of = np.zeros(1, dtype=int)
    groups: list[list[int]] = []
    order: dict[int, int] = {}
    for index, cluster in enumerate(cluster_of):  # clusters in order of first appearance
        if int(cluster) not in order:
            order[int(cluster)] = len(groups)
            groups.append([])
        groups[order[int(cluster)]].append(index)
    texts: list[str] = []
    exemplars: list[list[str]] = []
    centres = []
    for members in groups:
        centre = vectors[members].mean(axis=0)
        medoid = members[int(np.argmax(vectors[members] @ centre))]
        texts.append(claims[medoid])
        exemplars.append(list(dict.fromkeys(claims[m] for m in members if m != medoid)))
        centres.append(vectors[medoid])
    labels = choose_labels(texts, np.stack(centres), encoder, question=question)
    taken: set[str] = set()
    points = [
        {"id": _slug(label, taken), "label": label, "text": text, "exemplars": ex, "weight": 1}
        for label, text, ex in zip(labels, texts, exemplars, strict=True)
    ]
    document = {
        "schema": SCHEMA_V1,
        "id": rubric_id,
        "question": normalise_text(question),
        "model_answers": answers,
        "points": points,
        "scoring": {"max_score": float(len(points)), "partial_credit": True},
    }
    return parse_rubric(document, "<build>")
