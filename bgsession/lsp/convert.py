"""bgsession's findings and edits as LSP values: ranges in the editor's units, severities, the rule
as the diagnostic's code with a link to its documentation, and the `--explain` trace as related
information."""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from bgsession.diagnostics import Diagnostic, Edit, Severity
from bgsession.lint.rules.references import references
from bgsession.lsp.positions import Point, SourceMap

SOURCE = "bgsession"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.NOTE: types.DiagnosticSeverity.Information,
}
# Editors draw these specially: an unused suppression faded, a deprecated API struck through.
_TAGS = {"BGS090": [types.DiagnosticTag.Unnecessary], "BGS005": [types.DiagnosticTag.Deprecated]}


def position(point: Point) -> types.Position:
    return types.Position(line=point.line, character=point.character)


def lsp_range(start: Point, end: Point) -> types.Range:
    return types.Range(start=position(start), end=position(end))


def finding_range(source: SourceMap, diagnostic: Diagnostic) -> types.Range:
    return lsp_range(*source.range_of(diagnostic.loc))


def rule_link(code: str) -> str | None:
    """The page a rule's diagnostic links to: its first Apple reference, as SARIF's helpUri."""
    links = references(code)
    return links[0][1] if links else None


def to_lsp(diagnostic: Diagnostic, source: SourceMap, uri: str, *, related: bool = True) -> types.Diagnostic:
    """`diagnostic` for the document at `uri`. The trace has no locations of its own: each step is
    related information at the finding's own range, in order. Without `related` (a client that does
    not take related information) the trace is left out rather than crammed into the message."""
    where = finding_range(source, diagnostic)
    link = rule_link(diagnostic.code)
    information = (
        [
            types.DiagnosticRelatedInformation(location=types.Location(uri=uri, range=where), message=step)
            for step in diagnostic.trace
        ]
        if related and diagnostic.trace
        else None
    )
    return types.Diagnostic(
        range=where,
        message=diagnostic.message,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=link) if link else None,
        source=SOURCE,
        tags=_TAGS.get(diagnostic.code),
        related_information=information,
        data={"name": diagnostic.name},
    )


def text_edits(source: SourceMap, edits: Iterable[Edit]) -> list[types.TextEdit]:
    """`Edit`s (byte offsets into the parsed source) as LSP text edits. An edit writes its line breaks
    as `\n`; in a CRLF file they become CRLF, as `--fix` writes them, so a fix never mixes line ends."""
    crlf = b"\r\n" in source.source
    return [
        types.TextEdit(
            range=lsp_range(source.point_at(edit.start), source.point_at(edit.end)),
            new_text=edit.text.replace("\r\n", "\n").replace("\n", "\r\n") if crlf else edit.text,
        )
        for edit in edits
    ]


def overlaps(diagnostic_range: types.Range, wanted: types.Range) -> bool:
    """Whether a finding's range touches the range an editor asks about (a cursor is an empty range)."""
    start = (diagnostic_range.start.line, diagnostic_range.start.character)
    end = (diagnostic_range.end.line, diagnostic_range.end.character)
    low = (wanted.start.line, wanted.start.character)
    high = (wanted.end.line, wanted.end.character)
    return start <= high and low <= end


__all__ = ["SOURCE", "finding_range", "overlaps", "rule_link", "text_edits", "to_lsp"]
