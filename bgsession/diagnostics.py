"""Diagnostics and source positions: the values the linter produces and every report format reads."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Literal


@dataclass(frozen=True, slots=True)
class Loc:
    """1-based line and column (UTF-8 bytes), start and end."""

    line: int
    column: int
    end_line: int
    end_column: int


class Severity(Enum):
    NOTE = "note"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"note": 0, "warning": 1, "error": 2}[self.value]

    @classmethod
    def parse(cls, text: str) -> Severity:
        for member in cls:
            if member.value == text:
                return member
        raise ValueError(text)


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace bytes [start, end) of the file's source, as bgsession parsed it (UTF-8 after
    `sources.normalise`), with `text`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that removes one finding. "safe": the program's meaning changes only by removing the
    defect (ruff's definition); "unsafe": it changes behaviour beyond the finding and is applied only
    with `--unsafe-fixes`. The edits of one fix never overlap and all apply to the finding's file."""

    title: str
    applicability: Literal["safe", "unsafe"]
    edits: tuple[Edit, ...]


# The parties of the lifecycle a trace step can be done by (the model's `Party`): the app's process,
# iOS, the transfer daemon and the session's delegate.
Lane = Literal["app", "ios", "daemon", "delegate"]


@dataclass(frozen=True, slots=True)
class TraceStep:
    """One step of an `--explain` trace as a message between parties: `text` is the step's sentence
    (the trace line without its number), `failing` marks the step at which the rule breaks."""

    text: str
    actor: Lane
    receiver: Lane
    failing: bool = False


@dataclass(frozen=True, slots=True)
class Related:
    """Another place a finding's cause lies: the handler's call for a finding at its store, the other
    configuration for a duplicate identifier. A rule may attach these; `--diff-base` reports a finding
    when its own span or any related location touches a changed line."""

    path: str
    loc: Loc
    message: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding. `trace` is the reference model's counterexample, filled by `--explain`, as the
    lines reports print; `trace_steps` the same steps with who acts in each, for reports that draw
    it; `fixes` the changes that would remove it, best first; `related` the other places its cause lies."""

    code: str
    name: str
    severity: Severity
    path: str
    loc: Loc
    message: str
    trace: tuple[str, ...] = field(default=(), compare=False)
    trace_steps: tuple[TraceStep, ...] = field(default=(), compare=False)
    fixes: tuple[Fix, ...] = field(default=(), compare=False)
    related: tuple[Related, ...] = field(default=(), compare=False)

    def with_fixes(self, *fixes: Fix) -> Diagnostic:
        return replace(self, fixes=self.fixes + fixes)

    @property
    def sort_key(self) -> tuple[str, int, int, str, int, int, str, str]:
        # Everything that tells two findings apart, so that their order never depends on a set's (one
        # line of shared code can hold one finding per app, differing only in their messages).
        loc, severity = self.loc, self.severity.value
        return (self.path, loc.line, loc.column, self.code, loc.end_line, loc.end_column, self.message, severity)


_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` with line breaks and other invisible characters written as escapes: a message quotes the
    user's code, which can hold anything, and every report format needs it on one line."""
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() or char == " " else _ESCAPES.get(char, f"\\u{{{ord(char):04X}}}") for char in text
    )


def escape_path(path: str) -> str:
    """A file name as the line-based reports print it: one line whatever the name holds. Control and
    bidirectional-override characters (a newline that would start a forged `::warning` line, ESC, U+202E)
    and bytes that are not UTF-8 (lone surrogates) become `\\u{XXXX}`; a backslash is doubled, so the
    printed name reads back to exactly one name (`unescape_path`)."""
    if path.isprintable() and "\\" not in path:
        return path
    return "".join(
        "\\\\" if char == "\\" else char if char.isprintable() else f"\\u{{{ord(char):04X}}}" for char in path
    )


def unescape_path(text: str) -> str:
    """The name `escape_path` printed as `text`."""
    out: list[str] = []
    index = 0
    while index < len(text):
        if text.startswith("\\\\", index):
            out.append("\\")
            index += 2
        elif text.startswith("\\u{", index) and (end := text.find("}", index)) != -1:
            out.append(chr(int(text[index + 3 : end], 16)))
            index = end + 1
        else:
            out.append(text[index])
            index += 1
    return "".join(out)
