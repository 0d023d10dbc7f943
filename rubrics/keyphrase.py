"""Short labels for rubric points: KeyBERT-style candidate n-grams ranked by embedding, with MMR."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer

from models import Embeddings, Encoder
from rubrics.words import STOPWORDS, content_stems

DEFAULT_DIVERSITY = 0.5


def candidate_phrases(text: str, max_words: int = 4) -> list[str]:
    """N-grams (1 to max_words words) made of content words, "of" allowed inside.

    Phrases like "lack of legitimacy" or "neutral facilitators" read as labels; phrases that
    run across a verb and a conjunction ("mistrust and create") do not.
    """
    vectorizer = CountVectorizer(
        ngram_range=(1, max_words), lowercase=True, token_pattern=r"(?u)\b[\w'-]+\b"
    )
    try:
        vectorizer.fit([text])
    except ValueError:  # no tokens at all
        return []
    return [phrase for phrase in vectorizer.get_feature_names_out() if _label_like(phrase.split())]


def _label_like(words: list[str]) -> bool:
    if words[0] in STOPWORDS or words[-1] in STOPWORDS:
        return False
    return all(w not in STOPWORDS or w == "of" for w in words[1:-1])


def choose_labels(
    point_texts: Sequence[str],
    point_vectors: Embeddings,
    encoder: Encoder,
    question: str = "",
    diversity: float = DEFAULT_DIVERSITY,
) -> list[str]:
    """One label per point: the candidate closest to the point and far from the other labels.

    Candidates made only of the question's words are dropped: "track ii diplomacy" would fit
    every point of a Track II question and tell a student nothing.
    """
    question_stems = set(content_stems(question))
    chosen: list[np.ndarray] = []
    labels: list[str] = []
    for text, vector in zip(point_texts, point_vectors, strict=True):
        candidates = [
            c for c in candidate_phrases(text) if not set(content_stems(c)) <= question_stems
        ] or candidate_phrases(text)
        if not candidates:
            labels.append(text[:60])
            continue
        cand_vectors = encoder.embed(candidates)
        relevance = cand_vectors @ vector
        # Prefer two-to-three-word phrases: one word is vague, four reads like a sentence.
        brevity = np.array(
            [{1: -0.05, 2: 0.03, 3: 0.02}.get(len(c.split()), -0.04) for c in candidates]
        )
        redundancy = (
            np.max(cand_vectors @ np.stack(chosen).T, axis=1)
            if chosen
            else np.zeros(len(candidates))
        )
        score = (1 - diversity) * relevance - diversity * redundancy + brevity
        best = int(np.argmax(score))
        chosen.append(cand_vectors[best])
        labels.append(candidates[best])
    return labels
