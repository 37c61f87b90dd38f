"""GitLab Code Quality: the JSON array of issues that `artifacts: reports: codequality` reads, in the
subset of the Code Climate issue format GitLab documents (description, check_name, fingerprint,
severity, location.path, location.lines)."""

from __future__ import annotations

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.files import dumps_json
from bgsession.report.context import ReportContext
from bgsession.report.fingerprint import fingerprints

# GitLab's scale is info < minor < major < critical < blocker. bgsession has three levels and keeps the
# top two of GitLab's free: an error is a defect the system acts on (a relaunch that hangs, a throw),
# which is what linters conventionally report as major (ESLint's and ruff's GitLab formatters agree).
SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def issue(diagnostic: Diagnostic, path: str, fingerprint: str, suppression_codes: frozenset[str]) -> dict[str, object]:
    loc = diagnostic.loc
    return {
        "type": "issue",
        "description": f"{diagnostic.message} [{diagnostic.code} {diagnostic.name}]",
        "check_name": diagnostic.code,
        "fingerprint": fingerprint,
        "severity": SEVERITY[diagnostic.severity],
        # Code Climate requires a category; GitLab ignores it.
        "categories": ["Clarity" if diagnostic.code in suppression_codes else "Bug Risk"],
        "location": {"path": path, "lines": {"begin": loc.line, "end": max(loc.end_line, loc.line)}},
    }


def render(context: ReportContext) -> str:
    diagnostics = context.diagnostics
    # The same fingerprints as SARIF and the baseline: a finding keeps its identity when code above it
    # moves, so GitLab's merge request widget does not show it as fixed and new again.
    prints = fingerprints(diagnostics, context.lines, context.relative)
    suppression = frozenset(rule.code for rule in context.rules if rule.suppression)
    issues = [issue(d, context.relative(d.path), fp, suppression) for d, fp in zip(diagnostics, prints, strict=True)]
    return dumps_json(issues) + "\n"
