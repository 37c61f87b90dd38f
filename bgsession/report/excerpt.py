"""The source lines around a finding, for reports that show code: a few lines of context on each
side, the finding's lines flagged and, on a one-line finding, the exact span it points at."""

from __future__ import annotations

from dataclasses import dataclass

from bgsession.diagnostics import Diagnostic
from bgsession.sources import SourceLines

CONTEXT = 2
# A finding spanning a whole function shows its first lines only: the excerpt says where, not everything.
MOST_FLAGGED = 6
_KEPT = frozenset("\t ")


@dataclass(frozen=True, slots=True)
class ExcerptLine:
    """One source line, split at the finding's span (`marked` is empty outside a one-line finding)."""

    number: int
    before: str
    marked: str
    after: str
    flagged: bool


def visible(text: str) -> str:
    """Source text as a report shows it: control characters and bidirectional overrides (the
    "Trojan Source" characters that make code read differently than it runs) written as escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or char in _KEPT else f"\\u{{{ord(char):04X}}}" for char in text)


def _split(line: str, start_byte: int, end_byte: int) -> tuple[str, str, str]:
    """`line` cut at 1-based UTF-8 byte columns (bgsession's columns); the span is [start, end)."""
    raw = line.encode("utf-8")
    start = min(max(start_byte - 1, 0), len(raw))
    end = min(max(end_byte - 1, start), len(raw))

    def cut(low: int, high: int) -> str:
        return raw[low:high].decode("utf-8", "replace")

    return cut(0, start), cut(start, end), cut(end, len(raw))


def excerpt(diagnostic: Diagnostic, lines: SourceLines) -> list[ExcerptLine]:
    """The lines around the finding; empty when its file cannot be read."""
    count = lines.count(diagnostic.path)
    loc = diagnostic.loc
    last_flagged = min(max(loc.end_line, loc.line), loc.line + MOST_FLAGGED - 1)
    first = max(loc.line - CONTEXT, 1)
    last = min(last_flagged + CONTEXT, count)
    result: list[ExcerptLine] = []
    for number in range(first, last + 1):
        text = lines.line(diagnostic.path, number)
        flagged = loc.line <= number <= last_flagged
        if flagged and loc.end_line == loc.line and loc.end_column > loc.column:
            before, marked, after = _split(text, loc.column, loc.end_column)
        else:
            before, marked, after = text, "", ""
        result.append(ExcerptLine(number, visible(before), visible(marked), visible(after), flagged))
    if result and not any(line.before or line.marked or line.after for line in result):
        return []
    return result
