"""bgsession's byte positions against the editor's units, on text where they differ."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bgsession.diagnostics import Loc
from bgsession.lsp.positions import Point, SourceMap, encoding_of

# "é" is 2 UTF-8 bytes and 1 UTF-16 unit; "𝄞" is 4 bytes, 2 UTF-16 units, 1 code point.
TEXT = 'let s = "é𝄞"; run()\nnext()\n'
RUN_BYTES = len('let s = "é𝄞"; '.encode())  # the byte column bgsession reports, 0-based


@pytest.mark.parametrize(
    ("encoding", "column"),
    [("utf-8", RUN_BYTES), ("utf-16", len('let s = "é') + 2 + len('"; ')), ("utf-32", len('let s = "é𝄞"; '))],
)
def test_a_finding_after_wide_characters(encoding: str, column: int) -> None:
    source = SourceMap(TEXT, encoding_of(encoding))
    start, end = source.range_of(Loc(1, RUN_BYTES + 1, 1, RUN_BYTES + 6))
    assert start == Point(0, column)
    assert end == Point(0, column + 5)
    assert source.offset(start) == RUN_BYTES


def test_the_default_encoding_is_utf16() -> None:
    assert encoding_of(None) == "utf-16"
    assert encoding_of("utf-7") == "utf-16"


def test_crlf_and_lone_cr_lines_are_the_editors_lines() -> None:
    # LSP ends lines at CRLF, LF and CR alike; bgsession turns a lone CR into LF and keeps CRLF.
    source = SourceMap("a\r\nb\rc\nd", "utf-16")
    assert source.line_count == 4
    assert source.point_at(len(b"a\r\nb\r")) == Point(2, 0)
    assert source.range_of(Loc(4, 1, 4, 2)) == (Point(3, 0), Point(3, 1))
    assert source.line_text(0) == "a"


def test_a_byte_order_mark_in_the_buffer_shifts_the_first_line() -> None:
    # bgsession drops the mark before parsing; an editor that keeps it counts it as a character.
    source = SourceMap("\ufeffrun()\nrun()\n", "utf-16")
    assert source.range_of(Loc(1, 1, 1, 4))[0] == Point(0, 1)
    assert source.range_of(Loc(2, 1, 2, 4))[0] == Point(1, 0)
    assert source.offset(Point(0, 1)) == 0


def test_positions_past_the_end_are_clamped() -> None:
    source = SourceMap("ab\ncd", "utf-16")
    assert source.point(10, 0) == Point(1, 2)
    assert source.point_at(999) == Point(1, 2)
    assert source.offset(Point(0, 50)) == 2
    assert source.offset(Point(9, 0)) == len(b"ab\ncd")
    # An end before the start (a malformed Loc) collapses onto the start.
    assert source.range_of(Loc(2, 2, 1, 1)) == (Point(1, 1), Point(1, 1))


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\ufeff"), max_size=40))
def test_offsets_round_trip_through_every_encoding(text: str) -> None:
    for encoding in ("utf-8", "utf-16", "utf-32"):
        source = SourceMap(text, encoding_of(encoding))
        data = source.source
        for offset in range(len(data) + 1):
            # Only offsets on character boundaries are positions.
            if offset < len(data) and (data[offset] & 0xC0) == 0x80:
                continue
            assert source.offset(source.point_at(offset)) == offset
