"""`bgsession:` comments as written: directive, words, reason and the line each speaks about.

This is extraction: it records what the comment says and never looks a word up in the rule catalog,
so cached facts carry no verdict about which rules exist (suppress.py decides that, after the rules).
One pass over the source: line numbers come from one table of line starts, and the line a
`disable-next-line` speaks about from one backward pass, so thousands of directives cost linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from bgsession.diagnostics import Loc
from bgsession.lint.extract.syntax import one_based
from bgsession.lint.facts import Suppression

_COMMENT = re.compile(rb"(//|/\*)[ \t]*bgsession:([A-Za-z-]*)([^\n]*)")
_WORD_SEPARATOR = re.compile(r"[\s,]+")


def parse(source: bytes) -> tuple[Suppression, ...]:
    """Every `bgsession:` comment in the source, with its line."""
    if b"bgsession:" not in source:
        return ()
    starts = line_starts(source)
    next_code: list[int] | None = None
    found: list[Suppression] = []
    for match in _COMMENT.finditer(source):
        row = bisect_right(starts, match.start()) - 1
        column = match.start() - starts[row]
        loc = Loc(*one_based((row, column), (row, column + match.end() - match.start())))
        line = loc.line
        rest = match.group(3).decode("utf-8", "replace")
        if match.group(1) == b"/*":
            rest = rest.split("*/", 1)[0]
        body, _, reason = rest.partition("--")
        words = tuple(word for word in _WORD_SEPARATOR.split(body.strip()) if word)
        directive = match.group(2).decode("ascii", "replace")
        target = line
        if directive == "disable-next-line":
            if next_code is None:
                next_code = _next_code_lines(source, starts)
            target = next_code[line]
        found.append(Suppression(directive, words, loc, reason.strip() or None, target))
    return tuple(found)


def line_starts(source: bytes) -> list[int]:
    """The byte offset where each line of `source` starts."""
    starts = [0]
    position = source.find(b"\n")
    while position != -1:
        starts.append(position + 1)
        position = source.find(b"\n", position + 1)
    return starts


def _next_code_lines(source: bytes, starts: list[int]) -> list[int]:
    """For each line number L (1-based), the first line after L that is not blank or a comment; the
    last line when there is none. Index 0 is unused."""
    count = len(starts)
    result = [count] * (count + 1)
    following = count
    for number in range(count, 0, -1):
        result[number] = following
        end = starts[number] - 1 if number < count else len(source)
        text = source[starts[number - 1] : end].strip()
        if text and not text.startswith((b"//", b"/*", b"*")):
            following = number
    return result


__all__ = ["parse"]
