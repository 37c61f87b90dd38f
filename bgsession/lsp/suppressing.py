"""The edits that silence one finding with a suppression comment (README, "Suppressing a finding"):
`// bgsession:disable-next-line CODE` above the finding's line, or `// bgsession:disable-file CODE`
at the top of the file. Where such a comment is already there, the code is added to it, so
accepting the action twice on one line leaves one comment naming both rules.

Both languages take `//` comments, and a line comment above a line (or at the top of a file) cannot
change what the code after it means, whatever the line holds. Line breaks in the edits are `\n`, as
in every `Edit`: the conversion to the editor's edits writes the file's own (convert.text_edits).
"""

from __future__ import annotations

import re

from bgsession.diagnostics import Diagnostic, Edit
from bgsession.lint.extract.suppressions import line_starts, parse
from bgsession.lint.facts import Suppression

_INDENT = re.compile(rb"[ \t]*")


def _line(source: bytes, starts: list[int], number: int) -> bytes:
    """1-based line `number` without its line feed."""
    start = starts[number - 1]
    end = starts[number] - 1 if number < len(starts) else len(source)
    return source[start:end]


def _add_code(source: bytes, starts: list[int], comment: Suppression, code: str) -> Edit | None:
    """Add `code` to an existing directive's words (before its `-- reason` or comment end), or None
    when the directive already silences every rule or names the code."""
    if not comment.words or code in comment.words or "all" in (word.lower() for word in comment.words):
        return None
    line = _line(source, starts, comment.loc.line)
    begin = comment.loc.column - 1
    text = line[begin:]
    ends = [index for index in (text.find(b"--"), text.find(b"*/")) if index != -1]
    stop = min(ends) if ends else len(text.rstrip(b"\r"))
    words_end = begin + len(text[:stop].rstrip())
    offset = starts[comment.loc.line - 1] + words_end
    return Edit(offset, offset, f", {code}")


def disable_line(source: bytes, diagnostic: Diagnostic) -> tuple[Edit, ...]:
    """Silence `diagnostic` on its line: a `disable-next-line` comment above it, indented like it."""
    starts = line_starts(source)
    number = min(max(diagnostic.loc.line, 1), len(starts))
    for comment in parse(source):
        if comment.directive == "disable-next-line" and comment.target_line == number:
            added = _add_code(source, starts, comment, diagnostic.code)
            if added is not None:
                return (added,)
    line = _line(source, starts, number)
    match = _INDENT.match(line)
    indent = match.group(0).decode("utf-8", "replace") if match else ""
    offset = starts[number - 1]
    return (Edit(offset, offset, f"{indent}// bgsession:disable-next-line {diagnostic.code}\n"),)


def disable_file(source: bytes, diagnostic: Diagnostic) -> tuple[Edit, ...]:
    """Silence `diagnostic`'s rule in the whole file: a `disable-file` comment on the first line (after
    a `#!` line, which must stay first), or the code added to the file's `disable-file` comment."""
    starts = line_starts(source)
    for comment in parse(source):
        if comment.directive == "disable-file":
            added = _add_code(source, starts, comment, diagnostic.code)
            if added is not None:
                return (added,)
    offset = starts[1] if source.startswith(b"#!") and len(starts) > 1 else 0
    if source.startswith(b"#!") and len(starts) == 1:
        return (Edit(len(source), len(source), f"\n// bgsession:disable-file {diagnostic.code}"),)
    return (Edit(offset, offset, f"// bgsession:disable-file {diagnostic.code}\n"),)


__all__ = ["disable_file", "disable_line"]
