"""The plain form of a text: what every model reads, whatever dress the words came in.

Students paste answers from word processors, web pages and PDFs: curly quotes, no-break
spaces, ligatures ("ﬁ" for "fi"), full-width letters, a bullet in front. None of
these is in the SemEval answers the models were fitted on, and the packaged tokenizer reads
some of them as unknown tokens, so the same words in such dress moved the engine's label
(`scripts/surface_invariance.py`). Every reader (`models.encoder.Encoder.embed`,
`models.judge.PairJudge.predict`, `rubrics.words.tokens`) reads the plain form instead. For
plain ASCII that starts with no bullet it is the text with its whitespace collapsed, as the
tokenizers read it anyway.
"""

from __future__ import annotations

import re
import unicodedata

# Typographic quotes and dashes, as their ASCII forms: NFKC keeps them.
_TYPOGRAPHIC = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
        "\u2212": "-",
    }
)  # fmt: skip
# A list marker before the first words says where an item begins, not what it says (the
# segmenter trims it from its segments too). Markers that begin later lines are kept: once the
# lines are joined they are all that parts one item from the next ("source port ● destination
# port"), and SAF's answers, which the judge was fitted on, hold them. Numbers are left: in
# "1. Weigh the food. 2. ..." they number the steps of what is said.
LIST_MARKERS = "-*\u2022\u2023\u25aa\u25ab\u25cf\u25cb\u25e6\u00b7"  # - * • ‣ ▪ ▫ ● ○ ◦ ·
_MARKER = re.compile(rf"\A\s*[{re.escape(LIST_MARKERS)}][ \t]+")
_SPACE = re.compile(r"\s+")


def plain(text: str) -> str:
    """NFKC (ligatures, full-width letters, no-break spaces as their plain letters and
    spaces), typographic quotes and dashes as ASCII, a list marker before the first words
    dropped, and runs of whitespace as one space."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(_TYPOGRAPHIC)
    return _SPACE.sub(" ", _MARKER.sub("", text)).strip()
