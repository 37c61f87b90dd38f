"""`bgsession lint --fix / --diff`: run the fix rounds, print the diff or say what was written."""

from __future__ import annotations

from typing import TextIO

from bgsession.diagnostics import one_line
from bgsession.fixes import FixOutcome, FixRequest, fix_project
from bgsession.fixes.diff import unified
from bgsession.lint.runner import LintRequest

EXIT_NOTHING_TO_FIX = 0
EXIT_WOULD_FIX = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _notes(outcome: FixOutcome, stderr: TextIO, *, unsafe: bool) -> None:
    for note in outcome.notes:
        stderr.write(f"bgsession: warning: {one_line(note)}\n")
    for item in outcome.overlapping:
        where = one_line(f"{item.diagnostic.path}:{item.diagnostic.loc.line}")
        stderr.write(f"bgsession: note: {where}: {item.diagnostic.code} fix not applied: it overlaps another\n")
    if outcome.unsafe_left and not unsafe:
        count = outcome.unsafe_left
        what = f"{count} more finding{'s' if count != 1 else ''}"
        stderr.write(f"bgsession: note: {what} can be fixed with --unsafe-fixes (the fixes change behaviour)\n")


def show_diff(request: LintRequest, stdout: TextIO, stderr: TextIO, *, unsafe: bool) -> int:
    """Print what --fix would write and change nothing: exit 1 when there is something to fix."""
    outcome = fix_project(FixRequest(request, unsafe=unsafe, write=False))
    for path in outcome.changed:
        stdout.write(unified(path, outcome.before[path], outcome.after[path]))
    _notes(outcome, stderr, unsafe=unsafe)
    files = _plural(len(outcome.changed), "file")
    stderr.write(f"bgsession: would fix {_plural(len(outcome.applied), 'finding')} in {files}\n")
    return EXIT_WOULD_FIX if outcome.changed else EXIT_NOTHING_TO_FIX


def apply_fixes(request: LintRequest, stderr: TextIO, *, unsafe: bool) -> None:
    """Write the fixes; the caller then lints again and reports what remains."""
    outcome = fix_project(FixRequest(request, unsafe=unsafe, write=True))
    _notes(outcome, stderr, unsafe=unsafe)
    files = _plural(len(outcome.changed), "file")
    stderr.write(f"bgsession: fixed {_plural(len(outcome.applied), 'finding')} in {files}\n")
