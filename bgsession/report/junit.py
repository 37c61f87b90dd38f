"""JUnit XML in the shape SwiftLint writes: each finding a failing test case named after its file."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from bgsession.diagnostics import Severity, escape_path, one_line
from bgsession.report.context import ReportContext


def render(context: ReportContext) -> str:
    diagnostics = context.diagnostics
    errors = sum(1 for d in diagnostics if d.severity is Severity.ERROR)
    failures = len(diagnostics) - errors
    cases = []
    for d in diagnostics:
        cases.append(
            f"\t\t<testcase classname={quoteattr(f'bgsession.{d.code}')} name={quoteattr(escape_path(d.path))}>\n"
            f"\t\t\t<failure message={quoteattr(f'{one_line(d.message)} [{d.code} {d.name}]')}>"
            f"{escape(d.severity.value.capitalize())}:Line:{d.loc.line}</failure>\n"
            "\t\t</testcase>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<testsuites failures="{failures}" errors="{errors}">\n'
        f'\t<testsuite name="bgsession" tests="{len(diagnostics)}" failures="{failures}" errors="{errors}">\n'
        + "".join(case + "\n" for case in cases)
        + "\t</testsuite>\n</testsuites>\n"
    )
