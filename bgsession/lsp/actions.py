"""The code actions on a document: each finding's fixes as quick fixes (the safe ones preferred), the
two suppressions, and "fix all safe" as the source action `source.fixAll.bgsession`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from bgsession.diagnostics import Diagnostic, Edit, Fix
from bgsession.lint.rules import SUPPRESSION_CODES
from bgsession.lsp import suppressing
from bgsession.lsp.convert import finding_range, overlaps, text_edits, to_lsp
from bgsession.lsp.positions import SourceMap

FIX_ALL = "source.fixAll.bgsession"


@dataclass(frozen=True, slots=True)
class Document:
    """What the actions are computed against: the buffer's text at `version` and its findings."""

    uri: str
    version: int | None
    source: SourceMap
    diagnostics: Sequence[Diagnostic]
    # Whether the client takes versioned document edits (rejected once the buffer has changed since).
    versioned: bool = True


def _wanted(kind: str, only: Sequence[str] | None) -> bool:
    """LSP's kind filter: `only` names kinds and their parents (`source` covers `source.fixAll`)."""
    return only is None or any(kind == parent or kind.startswith(parent + ".") for parent in only)


def workspace_edit(document: Document, edits: Sequence[Edit]) -> types.WorkspaceEdit:
    changes = text_edits(document.source, sorted(edits, key=lambda edit: (edit.start, edit.end)))
    if document.versioned:
        identifier = types.OptionalVersionedTextDocumentIdentifier(uri=document.uri, version=document.version)
        return types.WorkspaceEdit(
            document_changes=[types.TextDocumentEdit(text_document=identifier, edits=list(changes))]
        )
    return types.WorkspaceEdit(changes={document.uri: list(changes)})


def code_actions(document: Document, wanted: types.Range, only: Sequence[str] | None = None) -> list[types.CodeAction]:
    """The actions for the findings touching `wanted`, then "fix all safe" when any fix is safe."""
    actions: list[types.CodeAction] = []
    if _wanted(types.CodeActionKind.QuickFix, only):
        for diagnostic in document.diagnostics:
            if overlaps(finding_range(document.source, diagnostic), wanted):
                actions.extend(_quick_fixes(document, diagnostic))
    if _wanted(FIX_ALL, only):
        chosen = safe_fixes(document.diagnostics)
        if chosen:
            edits = [edit for fix in chosen for edit in fix.edits]
            actions.append(
                types.CodeAction(
                    title="bgsession: fix all safe findings",
                    kind=FIX_ALL,
                    edit=workspace_edit(document, edits),
                )
            )
    return actions


def _quick_fixes(document: Document, diagnostic: Diagnostic) -> list[types.CodeAction]:
    shown = [to_lsp(diagnostic, document.source, document.uri, related=False)]
    preferred = _first_safe(diagnostic)
    actions = [
        types.CodeAction(
            title=fix.title if fix.applicability == "safe" else f"{fix.title} (unsafe)",
            kind=types.CodeActionKind.QuickFix,
            diagnostics=shown,
            is_preferred=fix is preferred,
            edit=workspace_edit(document, fix.edits),
        )
        for fix in diagnostic.fixes
    ]
    # A finding about a suppression comment is silenced by editing that comment, not by another one.
    if diagnostic.code not in SUPPRESSION_CODES:
        source = document.source.source
        for title, edits in (
            (f"Disable {diagnostic.code} for this line", suppressing.disable_line(source, diagnostic)),
            (f"Disable {diagnostic.code} in this file", suppressing.disable_file(source, diagnostic)),
        ):
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=shown,
                    edit=workspace_edit(document, edits),
                )
            )
    return actions


def safe_fixes(diagnostics: Sequence[Diagnostic]) -> list[Fix]:
    """Each finding's first safe fix, in file order, leaving out any that overlaps one already chosen:
    two edits of one region cannot both apply, so the second waits for the next lint."""
    candidates = [
        fix
        for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key)
        if (fix := _first_safe(diagnostic)) is not None
    ]
    chosen: list[Fix] = []
    taken: list[tuple[int, int]] = []
    for fix in candidates:
        spans = [(edit.start, edit.end) for edit in fix.edits]
        if any(_clash(span, other) for span in spans for other in taken):
            continue
        chosen.append(fix)
        taken.extend(spans)
    return chosen


def _first_safe(diagnostic: Diagnostic) -> Fix | None:
    return next((fix for fix in diagnostic.fixes if fix.applicability == "safe" and fix.edits), None)


def _clash(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Whether two replaced ranges overlap; two insertions at one point clash too (their order would
    be a guess)."""
    if one[0] == one[1] or other[0] == other[1]:
        return other[0] <= one[0] <= other[1] or one[0] <= other[0] <= one[1]
    return one[0] < other[1] and other[0] < one[1]


__all__ = ["FIX_ALL", "Document", "code_actions", "safe_fixes", "workspace_edit"]
