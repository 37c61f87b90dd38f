"""A Markdown summary for people: the counts per rule and the findings as a table, in the GitHub
Flavored Markdown a job summary (`$GITHUB_STEP_SUMMARY`) or a merge request comment renders.

Everything in a cell that comes from the checked code (messages quote it, file names are the user's)
is escaped so that it is shown as written and cannot end the cell, start HTML, a link, a mention or
emphasis: messages are plain text with every ASCII punctuation character backslash-escaped (CommonMark
allows that for each one), locations are code spans fenced longer than any backtick run they hold.
"""

from __future__ import annotations

import re
import string
from collections import Counter

from bgsession.diagnostics import Diagnostic, Severity, escape_path, one_line
from bgsession.report.context import ReportContext
from bgsession.report.text import summary_line

# GitHub truncates a step summary above 1 MiB; a few hundred rows is what a person reads anyway.
MAX_ROWS = 500
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def text_cell(text: str) -> str:
    """`text` as literal table-cell text: one line, every Markdown and HTML character escaped."""
    return _PUNCTUATION.sub(r"\\\1", one_line(text))


def code_cell(text: str) -> str:
    """`text` as a code span that survives a table: `|` must still be escaped inside code in a GFM
    table cell (the cell is split before inline parsing, and the escape is removed there)."""
    content = escape_path(text)
    longest = max((len(run) for run in re.findall("`+", content)), default=0)
    fence = "`" * (longest + 1)
    if content.startswith(("`", " ")) or content.endswith(("`", " ")):
        content = f" {content} "
    return fence + content.replace("|", "\\|") + fence


def _rule_table(diagnostics: list[Diagnostic]) -> list[str]:
    counts = Counter((d.code, d.name) for d in diagnostics)
    worst: dict[str, Severity] = {}
    for d in diagnostics:
        if d.code not in worst or d.severity.rank > worst[d.code].rank:
            worst[d.code] = d.severity
    rows = ["| rule | name | severity | findings |", "|---|---|---|---:|"]
    for (code, name), count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        rows.append(f"| {code} | {code_cell(name)} | {worst[code].value} | {count} |")
    return rows


def _finding_rows(context: ReportContext) -> list[str]:
    rows = ["| severity | location | rule | message |", "|---|---|---|---|"]
    for d in context.diagnostics[:MAX_ROWS]:
        where = f"{context.relative(d.path)}:{d.loc.line}:{d.loc.column}"
        rows.append(f"| {d.severity.value} | {code_cell(where)} | {d.code} | {text_cell(d.message)} |")
    return rows


def render(context: ReportContext) -> str:
    diagnostics = context.diagnostics
    headline = summary_line(diagnostics, context.files_checked).removeprefix("bgsession: ")
    lines = ["## bgsession", "", headline[:1].upper() + headline[1:] + "."]
    if diagnostics:
        lines += ["", "### Findings per rule", "", *_rule_table(diagnostics)]
        lines += ["", "### Findings", "", *_finding_rows(context)]
        if len(diagnostics) > MAX_ROWS:
            lines += ["", f"… and {len(diagnostics) - MAX_ROWS} more: see the annotations or the SARIF report."]
    return "\n".join(lines) + "\n"
