"""Inline suppressions applied after the rules: what the comments silence, and BGS090/BGS091 about them.

    // bgsession:disable-next-line BGS013 -- the handler is called by the SDK we wrap
    // bgsession:disable-line session-recreated
    // bgsession:disable BGS014, BGS015   ...   // bgsession:enable BGS014, BGS015
    // bgsession:disable-file BGS022
    // bgsession:disable-line all

Words are rule codes or rule names, separated by commas or spaces; no word (or `all`) means every
rule; text after `--` is the reason. A directive silences only the rules it names that exist: a word
that is not a rule is reported (BGS091) and silences nothing, so a typo can never turn into "silence
everything" or "silence this one". A suppression that silences nothing is reported too (BGS090).
The words are looked up here, against the catalog of this run, never at extraction: cached facts
hold the comments as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bgsession.diagnostics import Diagnostic, Loc, one_line
from bgsession.lint.facts import Suppression
from bgsession.lint.rules.suppressions.invalid_suppression import RULE as INVALID_SUPPRESSION
from bgsession.lint.rules.suppressions.unused_suppression import RULE as UNUSED_SUPPRESSION
from bgsession.lint.selection import closest, exact

DIRECTIVES = ("disable-next-line", "disable-line", "disable", "enable", "disable-file")
_EVERY_RULE = "all"


@dataclass(frozen=True, slots=True)
class Reading:
    """What a comment's words name: the codes it silences, whether it silences every rule, and the words
    that are not rules."""

    codes: frozenset[str]
    every_rule: bool
    unknown: tuple[str, ...]

    @property
    def silences_nothing(self) -> bool:
        return not self.every_rule and not self.codes


def read(words: tuple[str, ...]) -> Reading:
    if not words:
        return Reading(frozenset(), True, ())
    codes: set[str] = set()
    unknown: list[str] = []
    every = False
    for word in words:
        if word.lower() == _EVERY_RULE:
            every = True
            continue
        code = exact(word)
        if code is None:
            unknown.append(word)
        else:
            codes.add(code)
    return Reading(frozenset(codes), every, tuple(unknown))


@dataclass(slots=True)
class _Span:
    suppression: Suppression
    reading: Reading
    first: int
    last: int
    used: set[str]

    def covers(self, diagnostic: Diagnostic) -> bool:
        if not self.first <= diagnostic.loc.line <= self.last:
            return False
        return self.reading.every_rule or diagnostic.code in self.reading.codes


_END = 1 << 30


def _spans(suppressions: Iterable[Suppression]) -> tuple[list[_Span], list[Suppression]]:
    """The line range each suppression covers, and the ones that are malformed."""
    spans: list[_Span] = []
    invalid: list[Suppression] = []
    # Open `disable` ranges by the rules they name: an `enable` finds its match without scanning them all.
    open_ranges: dict[tuple[frozenset[str], bool], list[_Span]] = {}
    for item in sorted(suppressions, key=lambda s: (s.loc.line, s.loc.column)):
        line = item.loc.line
        reading = read(item.words)
        match item.directive:
            case "disable-line":
                spans.append(_Span(item, reading, line, line, set()))
            case "disable-next-line":
                spans.append(_Span(item, reading, item.target_line, item.target_line, set()))
            case "disable-file":
                spans.append(_Span(item, reading, 1, _END, set()))
            case "disable":
                span = _Span(item, reading, line, _END, set())
                spans.append(span)
                open_ranges.setdefault((reading.codes, reading.every_rule), []).append(span)
            case "enable":
                if not _close(open_ranges, reading, line):
                    invalid.append(item)
            case _:
                invalid.append(item)
    return spans, invalid


def _close(open_ranges: dict[tuple[frozenset[str], bool], list[_Span]], reading: Reading, line: int) -> bool:
    """End the open `disable` ranges an `enable` matches: the latest one with the same rules, or every
    open one for a bare `enable`."""
    if reading.every_rule and not reading.codes:
        closing = [span for stack in open_ranges.values() for span in stack]
        open_ranges.clear()
    else:
        stack = open_ranges.get((reading.codes, reading.every_rule))
        closing = [stack.pop()] if stack else []
    for span in closing:
        span.last = line
    return bool(closing)


def apply(
    path: str, diagnostics: list[Diagnostic], suppressions: tuple[Suppression, ...], ran: frozenset[str]
) -> list[Diagnostic]:
    """The diagnostics the comments do not silence, plus BGS090/BGS091 findings about the comments.
    `ran` is the set of rule codes that ran: a suppression of a rule that did not run is not unused."""
    if not suppressions:
        return diagnostics
    spans, invalid = _spans(suppressions)
    by_line: dict[int, list[_Span]] = {}
    ranges: list[_Span] = []
    for span in spans:
        if span.first == span.last:
            by_line.setdefault(span.first, []).append(span)
        else:
            ranges.append(span)
    kept: list[Diagnostic] = []
    for diagnostic in diagnostics:
        candidates = by_line.get(diagnostic.loc.line, []) + ranges
        covering = [span for span in candidates if span.covers(diagnostic)]
        for span in covering:
            span.used.add(diagnostic.code)
        if not covering:
            kept.append(diagnostic)
    for item in invalid:
        message = (
            f"unknown bgsession directive {item.directive!r}; use one of {', '.join(DIRECTIVES)}"
            if item.directive not in DIRECTIVES
            else "bgsession:enable without a matching bgsession:disable"
        )
        kept.append(_meta(INVALID_SUPPRESSION.code, path, item.loc, message))
    for span in spans:
        kept.extend(_about(path, span, ran))
    return kept


def _about(path: str, span: _Span, ran: frozenset[str]) -> list[Diagnostic]:
    """BGS091 for each word that is not a rule, BGS090 for what the suppression did not silence."""
    item, reading = span.suppression, span.reading
    found = [
        _meta(
            INVALID_SUPPRESSION.code,
            path,
            item.loc,
            f"{word!r} is not a bgsession rule code or name{closest(word)}; it silences nothing",
        )
        for word in reading.unknown
    ]
    if reading.every_rule:
        if not span.used:
            message = "this suppression suppresses nothing; remove it"
            found.append(_meta(UNUSED_SUPPRESSION.code, path, item.loc, message))
        return found
    for code in sorted(reading.codes):
        if code not in span.used and code in ran:
            message = f"this suppression of {code} suppresses nothing; remove it"
            found.append(_meta(UNUSED_SUPPRESSION.code, path, item.loc, message))
    return found


def _meta(code: str, path: str, loc: Loc, message: str) -> Diagnostic:
    rule = UNUSED_SUPPRESSION if code == UNUSED_SUPPRESSION.code else INVALID_SUPPRESSION
    return Diagnostic(rule.code, rule.name, rule.severity, path, loc, one_line(message))


__all__ = ["DIRECTIVES", "Reading", "apply", "read"]
