"""Text fitted to a column as the screen measures it: a text of one-cell characters (accents, "·", "—",
"…", "→") wraps and is cut at its spaces as one of wide (CJK) characters is by screen cells."""

from __future__ import annotations

from rich.cells import cell_len

from advocate_tui.services import text_fit
from advocate_tui.services.text_fit import cut_words, wrap_words


def test_every_character_taken_as_one_cell_is_one_cell_on_screen():
    # the quick path measures such a text by its length: a character two cells wide (or none) in that
    # set would let a line run past its column
    assert [hex(ord(c)) for c in text_fit._NARROW if cell_len(c) != 1] == []
    assert not text_fit._narrow("王") and not text_fit._narrow("e\u0301") and not text_fit._narrow("a\u200bb")


def test_narrow_and_wide_text_wrap_at_word_edges_within_the_width():
    status = "Major · follow-up overdue Fri 11/20 — carried → next · amended"
    lines = wrap_words(status, 20)
    assert lines == ["Major · follow-up", "overdue Fri 11/20…"]  # (no dangling "—" before the "…")
    assert all(cell_len(line) <= 20 for line in lines)
    assert cut_words("Zoë Ñúñez-Østergård · Physical aggression", 24) == "Zoë Ñúñez-Østergård…"
    wide = "王小明和李华在走廊里争吵然后老师把他们带到和平室谈话"
    lines = wrap_words(wide, 20)
    assert [cell_len(line) for line in lines] == [20, 19] and lines[1].endswith("…")  # by screen cells (a wide character does not fit the last)
    assert wide.startswith("".join(lines).removesuffix("…"))
