"""Which language a text is written in: py3langid's naive Bayes model over byte n-grams
(97 languages, shipped inside the package as NumPy arrays, no pickle), loaded on first use."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

# py3langid's label for text with no language in it (numbers, symbols, random letters).
NO_LANGUAGE = "zxx"


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def language_of(text: str) -> tuple[str, float]:
    """The most likely language's ISO 639-1 code (or `NO_LANGUAGE`) and its probability."""
    code, probability = _identifier().classify(text)
    return str(code), float(probability)
