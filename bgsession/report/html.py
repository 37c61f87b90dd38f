"""The HTML report: one self-contained page for people to read, findings grouped by app and rule.

Everything the page needs is inside it (inline CSS, inline SVG, the system's fonts) and its content
security policy forbids loading anything and running any script, so it opens the same from a CI
artifact, an e-mail or a laptop without network. Every value from the checkout (file names,
messages, the quoted source) is escaped by jinja2's autoescaping; the template computes nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup, escape

from bgsession import __version__
from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line
from bgsession.report.context import ReportContext, RuleMetadata
from bgsession.report.excerpt import ExcerptLine, excerpt
from bgsession.report.sequence import LANES, Diagram, diagram

# Apps of findings that no app's rules made (a file named on its own, a suppression note).
OTHER_FILES = "other files"
_SEVERITIES = tuple(reversed(Severity))  # error, warning, note
_CODE_SPAN = re.compile(r"`([^`]+)`")


@dataclass(frozen=True, slots=True)
class FindingView:
    anchor: str
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    message: str
    excerpt: tuple[ExcerptLine, ...]
    diagram: Diagram | None
    # The explanation when there is no diagram to draw (the model found no event sequence).
    note: str

    @property
    def message_html(self) -> Markup:
        return inline_code(self.message)


@dataclass(frozen=True, slots=True)
class RuleGroup:
    code: str
    name: str
    findings: tuple[FindingView, ...]


@dataclass(frozen=True, slots=True)
class AppGroup:
    name: str
    anchor: str
    count: int
    rules: tuple[RuleGroup, ...]


@dataclass(frozen=True, slots=True)
class SummaryRow:
    code: str
    name: str
    counts: tuple[int, ...]  # per severity, in _SEVERITIES order
    total: int


@dataclass(frozen=True, slots=True)
class RuleDocView:
    code: str
    name: str
    severity: str
    summary: str
    finds: Markup
    why: Markup
    limits: Markup
    links: tuple[tuple[str, str], ...]
    page: str


def inline_code(text: str) -> Markup:
    """Rule documentation's `code spans` as <code>, everything else escaped."""
    parts: list[str] = []
    last = 0
    for found in _CODE_SPAN.finditer(text):
        parts.append(escape(text[last : found.start()]))
        parts.append(Markup("<code>{}</code>").format(found.group(1)))
        last = found.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def _anchor(prefix: str, index: int) -> str:
    return f"{prefix}-{index}"


def _finding(diagnostic: Diagnostic, index: int, context: ReportContext) -> FindingView:
    picture: Diagram | None = None
    note = ""
    if diagnostic.trace_steps:
        # The trace's lines are its numbered steps, then the verdict behind an arrow (model.Trace.lines).
        verdict = (
            diagnostic.trace[len(diagnostic.trace_steps)] if len(diagnostic.trace) > len(diagnostic.trace_steps) else ""
        )
        picture = diagram(diagnostic.trace_steps, verdict.removeprefix("→ "))
    elif diagnostic.trace:
        note = " ".join(diagnostic.trace)
    return FindingView(
        _anchor("finding", index),
        diagnostic.code,
        diagnostic.name,
        diagnostic.severity.value,
        escape_path(context.relative(diagnostic.path)),
        diagnostic.loc.line,
        diagnostic.loc.column,
        one_line(diagnostic.message),
        tuple(excerpt(diagnostic, context.lines)),
        picture,
        note,
    )


def _groups(context: ReportContext) -> list[AppGroup]:
    by_app: dict[str, dict[str, list[FindingView]]] = {}
    for index, diagnostic in enumerate(context.diagnostics, start=1):
        app = context.apps.get(diagnostic, OTHER_FILES)
        by_app.setdefault(app, {}).setdefault(diagnostic.code, []).append(_finding(diagnostic, index, context))
    ordered = sorted(by_app, key=lambda name: (name == OTHER_FILES, name))
    groups: list[AppGroup] = []
    for number, app in enumerate(ordered, start=1):
        rules = tuple(
            RuleGroup(code, findings[0].name, tuple(findings)) for code, findings in sorted(by_app[app].items())
        )
        groups.append(AppGroup(escape_path(app), _anchor("app", number), sum(len(r.findings) for r in rules), rules))
    return groups


def _summary(diagnostics: list[Diagnostic]) -> tuple[list[SummaryRow], tuple[int, ...]]:
    counts = Counter((d.code, d.severity) for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    rows = []
    for code in sorted(names):
        per_severity = tuple(counts[(code, severity)] for severity in _SEVERITIES)
        rows.append(SummaryRow(code, names[code], per_severity, sum(per_severity)))
    totals = tuple(sum(d.severity is severity for d in diagnostics) for severity in _SEVERITIES)
    return rows, totals


def _rule_doc(rule: RuleMetadata) -> RuleDocView:
    return RuleDocView(
        rule.code,
        rule.name,
        rule.severity.value,
        rule.summary,
        inline_code(rule.finds),
        inline_code(rule.why),
        inline_code(rule.limits),
        tuple(rule.references),
        f"docs/rules/{rule.code}.md",
    )


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("bgsession.report", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.get_template("report.html.jinja")


def render(context: ReportContext) -> str:
    rows, totals = _summary(context.diagnostics)
    codes = sorted({d.code for d in context.diagnostics})
    return _template().render(
        version=__version__,
        files_checked=context.files_checked,
        total=len(context.diagnostics),
        severities=[severity.value for severity in _SEVERITIES],
        summary=rows,
        totals=totals,
        apps=_groups(context),
        lanes=LANES,
        rules=[_rule_doc(rule) for rule in context.rules if rule.code in codes],
    )
