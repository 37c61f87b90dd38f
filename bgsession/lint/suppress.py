"""Inline suppressions: comments that silence findings, and findings about the comments themselves.

    // bgsession:disable-next-line BGS013 -- the handler is called by the SDK we wrap
    // bgsession:disable-line BGS002
    // bgsession:disable BGS014, BGS015   ...   // bgsession:enable BGS014, BGS015
    // bgsession:disable-file BGS022

Codes are separated by commas or spaces; none means every rule; text after `--` is the reason.
`disable-next-line` applies to the next line that is not blank or a comment. A suppression that
silences nothing, and one that names an unknown code or directive, is reported (BGS090, BGS091),
so stale suppressions do not pile up.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bgsession.diagnostics import Diagnostic, Loc, Severity, one_line
from bgsession.lint.facts import Suppression
from bgsession.lint.rules import META_CODES, RULES_BY_CODE

UNUSED = ("BGS090", META_CODES["BGS090"][0])
INVALID = ("BGS091", META_CODES["BGS091"][0])
DIRECTIVES = ("disable-next-line", "disable-line", "disable", "enable", "disable-file")

_COMMENT = re.compile(rb"(//|/\*)[ \t]*bgsession:([A-Za-z-]*)([^\n]*)")


def parse(source: bytes) -> tuple[Suppression, ...]:
    """Every `bgsession:` comment in the source, with its line."""
    if b"bgsession:" not in source:
        return ()
    found: list[Suppression] = []
    for match in _COMMENT.finditer(source):
        line = source.count(b"\n", 0, match.start()) + 1
        line_start = source.rfind(b"\n", 0, match.start()) + 1
        column = match.start() - line_start + 1
        rest = match.group(3).decode("utf-8", "replace")
        if match.group(1) == b"/*":
            rest = rest.split("*/", 1)[0]
        body, _, reason = rest.partition("--")
        words = [word for word in re.split(r"[\s,]+", body.strip()) if word]
        codes = tuple(word.upper() for word in words if word.upper() in RULES_BY_CODE)
        unknown = tuple(word for word in words if word.upper() not in RULES_BY_CODE)
        loc = Loc(line, column, line, column + match.end() - match.start())
        directive = match.group(2).decode("ascii", "replace")
        target = _next_code_line(source, match.end()) if directive == "disable-next-line" else line
        found.append(Suppression(directive, codes, loc, reason.strip() or None, unknown, target))
    return tuple(found)


@dataclass(slots=True)
class _Span:
    suppression: Suppression
    first: int
    last: int
    used: set[str]


_END = 1 << 30


def _spans(suppressions: Iterable[Suppression]) -> tuple[list[_Span], list[Suppression]]:
    """The line range each suppression covers, and the ones that are malformed."""
    spans: list[_Span] = []
    invalid: list[Suppression] = []
    open_ranges: list[_Span] = []
    for item in sorted(suppressions, key=lambda s: (s.loc.line, s.loc.column)):
        line = item.loc.line
        match item.directive:
            case "disable-line":
                spans.append(_Span(item, line, line, set()))
            case "disable-next-line":
                spans.append(_Span(item, item.target_line, item.target_line, set()))
            case "disable-file":
                spans.append(_Span(item, 1, _END, set()))
            case "disable":
                span = _Span(item, line, _END, set())
                spans.append(span)
                open_ranges.append(span)
            case "enable":
                closed = False
                for span in reversed(open_ranges):
                    if set(span.suppression.codes) == set(item.codes) or not item.codes:
                        span.last = line
                        open_ranges.remove(span)
                        closed = True
                        if item.codes:
                            break
                if not closed:
                    invalid.append(item)
            case _:
                invalid.append(item)
    return spans, invalid


def _next_code_line(source: bytes, after: int) -> int:
    """The number of the first line after offset `after`'s line that is not blank or a comment."""
    line = source.count(b"\n", 0, after) + 1
    position = source.find(b"\n", after)
    while position != -1:
        line += 1
        end = source.find(b"\n", position + 1)
        text = source[position + 1 : end if end != -1 else len(source)].strip()
        if text and not text.startswith((b"//", b"/*", b"*")):
            return line
        position = end
    return line


def apply(
    path: str, diagnostics: list[Diagnostic], suppressions: tuple[Suppression, ...], ran: frozenset[str]
) -> list[Diagnostic]:
    """The diagnostics the comments do not silence, plus BGS090/BGS091 findings about the comments.
    `ran` is the set of rule codes that ran: a suppression of a rule that did not run is not unused."""
    if not suppressions:
        return diagnostics
    spans, invalid = _spans(suppressions)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        covering = [
            span
            for span in spans
            if span.first <= diagnostic.loc.line <= span.last
            and (not span.suppression.codes or diagnostic.code in span.suppression.codes)
        ]
        for span in covering:
            span.used.add(diagnostic.code)
        if not covering:
            kept.append(diagnostic)
    for item in invalid:
        kept.append(
            _meta(
                INVALID,
                path,
                item.loc,
                f"unknown bgsession directive {item.directive!r}; use one of {', '.join(DIRECTIVES)}"
                if item.directive not in DIRECTIVES
                else "bgsession:enable without a matching bgsession:disable",
            )
        )
    for span in spans:
        item = span.suppression
        for word in item.unknown_codes:
            kept.append(_meta(INVALID, path, item.loc, f"{word!r} is not a bgsession rule code"))
        if item.codes:
            unused = [code for code in item.codes if code not in span.used and code in ran]
            for code in unused:
                kept.append(_meta(UNUSED, path, item.loc, f"this suppression of {code} suppresses nothing; remove it"))
        elif not span.used and not item.unknown_codes:
            kept.append(_meta(UNUSED, path, item.loc, "this suppression suppresses nothing; remove it"))
    return kept


def _meta(kind: tuple[str, str], path: str, loc: Loc, message: str) -> Diagnostic:
    return Diagnostic(kind[0], kind[1], Severity.WARNING, path, loc, one_line(message))
