"""The compiler-style line that Xcode, vim's quickfix and emacs' compilation mode read."""

from __future__ import annotations

from collections.abc import Sequence

from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line


def format_line(diagnostic: Diagnostic) -> str:
    # The path and message come from the checkout: escaped, so that a file name holding a newline cannot
    # start a line of its own (a GitHub `::warning` command, a forged `path:1:1: error:`), and ESC or
    # bidi controls never reach the terminal.
    loc = diagnostic.loc
    return (
        f"{escape_path(diagnostic.path)}:{loc.line}:{loc.column}: {diagnostic.severity.value}: "
        f"{one_line(diagnostic.message)} [{diagnostic.code} {diagnostic.name}]"
    )


def render(diagnostics: Sequence[Diagnostic], *, explain: bool = False) -> str:
    lines: list[str] = []
    for diagnostic in diagnostics:
        lines.append(format_line(diagnostic))
        if explain and diagnostic.trace:
            where = f"{escape_path(diagnostic.path)}:{diagnostic.loc.line}:{diagnostic.loc.column}"
            lines.append(f"{where}: note: how this fails, as the reference model plays it out:")
            lines.extend(f"{where}: note:   {one_line(step)}" for step in diagnostic.trace)
    return "".join(line + "\n" for line in lines)


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    counts = {severity: 0 for severity in Severity}
    for diagnostic in diagnostics:
        counts[diagnostic.severity] += 1
    files = f"{files_checked} file{'s' if files_checked != 1 else ''}"
    if not diagnostics:
        return f"bgsession: no problems in {files}"
    parts = [f"{counts[s]} {s.value}{'s' if counts[s] != 1 else ''}" for s in reversed(Severity) if counts[s]]
    return f"bgsession: {', '.join(parts)} in {files}"
