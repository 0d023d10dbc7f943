"""The plain form every model reads: the same words, whatever dress they came in."""

from __future__ import annotations

from models.plain import plain
from rubrics.words import tokens


def test_pasted_typography_reads_as_plain_ascii() -> None:
    assert plain("It doesn’t build “trust”.") == 'It doesn\'t build "trust".'
    assert plain("a fair and ﬁnal ﬂow") == "a fair and final flow"  # PDF ligatures
    assert plain("Ｆｕｌｌ\u3000width\u00a0text") == "Full width text"
    assert plain("trust – and dialogue — together") == "trust - and dialogue - together"


def test_a_leading_marker_is_dropped_and_whitespace_collapsed() -> None:
    assert plain("• builds trust") == plain("\n  - builds trust") == "builds trust"
    assert plain("  two   spaces\tand a tab \n") == "two spaces and a tab"


def test_markers_that_begin_later_lines_part_the_items() -> None:
    # Joined into one line, the markers are all that parts one item from the next.
    assert plain("• builds trust\n  ● informs talks\n- gives space") == (
        "builds trust ● informs talks - gives space"
    )


def test_what_a_marker_or_number_says_is_kept() -> None:
    # A sign before a number, a dash inside a line and numbered steps are words, not markers.
    assert plain("-5 degrees") == "-5 degrees"
    assert plain("warm - not hot") == "warm - not hot"
    assert plain("1. Weigh the food. 2. Burn it.") == "1. Weigh the food. 2. Burn it."


def test_plain_ascii_is_left_as_it_is() -> None:
    text = "Terminal 1 and the positive terminal are separated by the gap."
    assert plain(text) == text


def test_word_tokens_read_the_plain_form() -> None:
    assert tokens("It doesn’t ﬁt") == tokens("It doesn't fit") == ["it", "doesn't", "fit"]
