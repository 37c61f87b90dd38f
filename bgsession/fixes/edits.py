"""Which fixes of one file apply together, and applying their edits to the file's bytes."""

from __future__ import annotations

from dataclasses import dataclass

from bgsession.diagnostics import Diagnostic, Edit, Fix


@dataclass(frozen=True, slots=True)
class Chosen:
    """One diagnostic's fix picked to apply."""

    diagnostic: Diagnostic
    fix: Fix


def wanted_fix(diagnostic: Diagnostic, unsafe: bool) -> Fix | None:
    """The diagnostic's best fix that the run allows: safe ones always, unsafe ones with --unsafe-fixes."""
    return next((fix for fix in diagnostic.fixes if fix.applicability == "safe" or unsafe), None)


def _clash(first: Edit, second: Edit) -> bool:
    """Two edits touch the same bytes, or insert at the same place (whose order would be a guess)."""
    if first.start == second.start:
        return True
    return first.start < second.end and second.start < first.end


def choose(diagnostics: list[Diagnostic], unsafe: bool) -> tuple[list[Chosen], list[Chosen]]:
    """(fixes to apply together, fixes left out because they overlap one chosen before them). Fixes
    are taken in the order of their findings; a fix is taken whole or not at all."""
    taken: list[Chosen] = []
    left: list[Chosen] = []
    edits: list[Edit] = []
    for diagnostic in sorted(diagnostics, key=lambda d: d.sort_key):
        fix = wanted_fix(diagnostic, unsafe)
        if fix is None:
            continue
        if any(_clash(edit, other) for edit in fix.edits for other in edits):
            left.append(Chosen(diagnostic, fix))
            continue
        taken.append(Chosen(diagnostic, fix))
        edits.extend(fix.edits)
    return taken, left


def apply(source: bytes, chosen: list[Chosen], newline: bytes = b"\n") -> bytes:
    """`source` with every chosen edit made (the edits do not overlap; `choose` saw to it). Inserted
    line breaks are written as the file writes its own (`newline`)."""
    edits = sorted((edit for item in chosen for edit in item.fix.edits), key=lambda e: (e.start, e.end))
    out: list[bytes] = []
    position = 0
    for edit in edits:
        if not (position <= edit.start <= edit.end <= len(source)):
            raise ValueError(f"edit {edit.start}..{edit.end} is outside the file or overlaps another")
        out.append(source[position : edit.start])
        out.append(edit.text.encode("utf-8").replace(b"\n", newline))
        position = edit.end
    out.append(source[position:])
    return b"".join(out)
