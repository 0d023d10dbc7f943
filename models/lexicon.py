"""An English word list taken from the packaged encoder's WordPiece vocabulary."""

from __future__ import annotations

from functools import lru_cache

from models.encoder import default_model_path


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Whole-word entries (no ## pieces, letters only) of all-MiniLM-L6-v2's vocabulary.

    About 20,000 common English words: enough to tell words from keyboard mashing without
    shipping a dictionary of our own.
    """
    vocab = default_model_path() / "vocab.txt"
    with vocab.open(encoding="utf-8") as handle:
        return frozenset(
            word for line in handle if (word := line.strip()).isalpha() and word.isascii()
        )
