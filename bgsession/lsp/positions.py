"""Where a bgsession position is in the editor: 1-based lines and UTF-8 byte columns (`Loc`) and byte
offsets (`Edit`) into the source as bgsession parsed it, against LSP's 0-based lines and columns in
the negotiated unit (UTF-16 code units unless the client and server agreed on UTF-8 or UTF-32).

Pure arithmetic over one buffer's text: no pygls here, so the conversion is tested on its own.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal

from bgsession.diagnostics import Loc
from bgsession.sources import normalise

Encoding = Literal["utf-8", "utf-16", "utf-32"]

_BOM = "\ufeff"


def encoding_of(name: str | None) -> Encoding:
    """The unit a negotiated `positionEncoding` names; LSP's default is UTF-16."""
    if name in ("utf-8", "utf-32"):
        return name  # type: ignore[return-value]
    return "utf-16"


def buffer_bytes(text: str) -> bytes:
    """An editor buffer as the bytes bgsession lints in place of the file (what `--stdin` would read).
    A lone surrogate, which JSON can carry but UTF-8 cannot, is kept as its bytes so that the linter
    reports the text as invalid UTF-8 instead of the server failing."""
    return text.encode("utf-8", "surrogatepass")


def _units(text: str, encoding: Encoding) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(frozen=True, slots=True)
class Point:
    """An LSP position: 0-based line, column in the encoding's units."""

    line: int
    character: int


class SourceMap:
    """One buffer's positions both ways. `source` is what bgsession parsed (the buffer's bytes after
    `sources.normalise`, which drops a byte-order mark and turns a lone carriage return into a line
    feed: neither moves a line break the editor counts, since LSP ends lines at CR, LF and CRLF)."""

    def __init__(self, text: str, encoding: Encoding = "utf-16") -> None:
        self.encoding: Encoding = encoding
        parsed, _, _ = normalise(buffer_bytes(text))
        self.source = parsed
        # A byte-order mark the editor keeps in its text is a character on its first line that the
        # linter never saw: columns there are shifted by it.
        self._first_line_shift = _units(_BOM, encoding) if text.startswith(_BOM) else 0
        self._starts = [0]
        position = parsed.find(b"\n")
        while position != -1:
            self._starts.append(position + 1)
            position = parsed.find(b"\n", position + 1)

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def _line_bytes(self, line: int) -> bytes:
        """Line `line` (0-based) without its line feed (a CR of a CRLF stays: it is a column too)."""
        start = self._starts[line]
        end = self._starts[line + 1] - 1 if line + 1 < len(self._starts) else len(self.source)
        return self.source[start:end]

    def point(self, line: int, byte_column: int) -> Point:
        """The LSP position of 0-based `line` and 0-based byte column, clamped to the buffer."""
        if line >= len(self._starts):
            last = len(self._starts) - 1
            return Point(last, self._character(last, len(self._line_bytes(last))))
        line = max(line, 0)
        return Point(line, self._character(line, max(byte_column, 0)))

    def _character(self, line: int, byte_column: int) -> int:
        prefix = self._line_bytes(line)[:byte_column]
        shift = self._first_line_shift if line == 0 else 0
        if self.encoding == "utf-8":
            return len(prefix) + shift
        return _units(prefix.decode("utf-8", "replace"), self.encoding) + shift

    def range_of(self, loc: Loc) -> tuple[Point, Point]:
        """A finding's `Loc` (1-based, byte columns) as an LSP range."""
        start = self.point(loc.line - 1, loc.column - 1)
        end = self.point(loc.end_line - 1, loc.end_column - 1)
        if (end.line, end.character) < (start.line, start.character):
            end = start
        return start, end

    def point_at(self, offset: int) -> Point:
        """The LSP position of a byte offset into the parsed source (an `Edit`'s start or end)."""
        offset = min(max(offset, 0), len(self.source))
        line = bisect_right(self._starts, offset) - 1
        return self.point(line, offset - self._starts[line])

    def offset(self, point: Point) -> int:
        """The byte offset into the parsed source of an LSP position; a column past the end of its line
        is the end of the line, as LSP asks."""
        if point.line >= len(self._starts):
            return len(self.source)
        line = max(point.line, 0)
        data = self._line_bytes(line)
        wanted = point.character - (self._first_line_shift if line == 0 else 0)
        if self.encoding == "utf-8":
            return self._starts[line] + min(max(wanted, 0), len(data))
        counted = 0
        consumed = 0
        for char in data.decode("utf-8", "replace"):
            if counted >= wanted:
                break
            counted += _units(char, self.encoding)
            consumed += len(char.encode("utf-8", "surrogatepass"))
        return self._starts[line] + min(consumed, len(data))

    def line_text(self, line: int) -> str:
        """Line `line` (0-based) as text, without its line end."""
        if not 0 <= line < len(self._starts):
            return ""
        return self._line_bytes(line).decode("utf-8", "replace").removesuffix("\r")

    def line_start(self, line: int) -> int:
        """The byte offset where 0-based `line` starts (the end of the source past the last line)."""
        return self._starts[line] if 0 <= line < len(self._starts) else len(self.source)


__all__ = ["Encoding", "Point", "SourceMap", "buffer_bytes", "encoding_of"]
