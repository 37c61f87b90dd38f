"""Checkstyle XML in the shape SwiftLint writes: one <file> per path, one <error> per finding."""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import quoteattr

from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line
from bgsession.report.context import ReportContext

_SEVERITY = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "info"}


def render(context: ReportContext) -> str:
    by_file: dict[str, list[Diagnostic]] = defaultdict(list)
    for diagnostic in context.diagnostics:
        by_file[diagnostic.path].append(diagnostic)
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<checkstyle version="4.3">']
    for path in sorted(by_file):
        # XML 1.0 cannot hold control characters at all, even as references: escaped (escape_path).
        parts.append(f"\n\t<file name={quoteattr(escape_path(path))}>\n")
        for d in by_file[path]:
            parts.append(
                f'\t\t<error line="{d.loc.line}" column="{d.loc.column}" severity="{_SEVERITY[d.severity]}" '
                f"message={quoteattr(one_line(d.message))} source={quoteattr(f'bgsession.rules.{d.name}')}/>\n"
            )
        parts.append("\t</file>")
    parts.append("\n</checkstyle>\n")
    return "".join(parts)
