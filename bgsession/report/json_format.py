"""The JSON report: a versioned object with every diagnostic, lines and columns 1-based."""

from __future__ import annotations

from collections.abc import Sequence

from bgsession import __version__
from bgsession.diagnostics import Diagnostic, Fix
from bgsession.files import dumps_json


def diagnostic_object(diagnostic: Diagnostic) -> dict[str, object]:
    loc = diagnostic.loc
    entry: dict[str, object] = {
        "code": diagnostic.code,
        "name": diagnostic.name,
        "severity": diagnostic.severity.value,
        "path": diagnostic.path,
        "line": loc.line,
        "column": loc.column,
        "end_line": loc.end_line,
        "end_column": loc.end_column,
        "message": diagnostic.message,
    }
    if diagnostic.trace:
        entry["trace"] = list(diagnostic.trace)
    if diagnostic.fixes:
        entry["fixes"] = [fix_object(fix) for fix in diagnostic.fixes]
    return entry


def fix_object(fix: Fix) -> dict[str, object]:
    """A fix as `--fix` would apply it: byte offsets into the file as bgsession read it (UTF-8, after a
    byte-order mark)."""
    return {
        "title": fix.title,
        "applicability": fix.applicability,
        "edits": [{"start": edit.start, "end": edit.end, "text": edit.text} for edit in fix.edits],
    }


def render(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    report = {
        "version": 1,
        "tool": {"name": "bgsession", "version": __version__},
        "files_checked": files_checked,
        "diagnostics": [diagnostic_object(d) for d in diagnostics],
    }
    return dumps_json(report) + "\n"
