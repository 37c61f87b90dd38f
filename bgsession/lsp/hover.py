"""Hover on a finding: the rule's code, name and summary, what it finds, the Apple documentation it
rests on, the command that prints its whole page, and the reference model's trace when there is one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bgsession.diagnostics import Diagnostic
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.rules.references import references


def _escape(text: str) -> str:
    """Markdown that shows the text as written: a message quotes the user's code."""
    return "".join("\\" + char if char in "\\`*_[]<>#|" else char for char in text)


def rule_page(code: str) -> str | None:
    """The rule's page in `docs/rules/` when bgsession runs from a checkout that has it (an installed
    wheel has no docs folder: then `bgsession rule CODE` prints the same page)."""
    page = Path(__file__).resolve().parents[2] / "docs" / "rules" / f"{code}.md"
    return page.as_uri() if page.is_file() else None


def describe(diagnostics: Sequence[Diagnostic]) -> str | None:
    """Markdown for the findings under the cursor, one section each; None when there is none."""
    sections = [_section(diagnostic) for diagnostic in diagnostics]
    return "\n\n---\n\n".join(sections) if sections else None


def _section(diagnostic: Diagnostic) -> str:
    rule = RULES_BY_CODE.get(diagnostic.code)
    lines = [f"**{diagnostic.code} {diagnostic.name}** ({diagnostic.severity.value})", "", _escape(diagnostic.message)]
    if rule is not None:
        lines += ["", f"*{_escape(rule.summary)}.* {_escape(rule.doc.finds)}"]
    links = references(diagnostic.code)
    if links:
        lines += [""] + [f"- [{_escape(title)}]({url})" for title, url in links]
    page = rule_page(diagnostic.code)
    shown = f"[docs/rules/{diagnostic.code}.md]({page}), or " if page else ""
    lines += ["", f"The rule's page: {shown}`bgsession rule {diagnostic.code}`"]
    if diagnostic.trace:
        lines += ["", "How this fails, as the reference model plays it out:", ""]
        lines += [f"    {step}" for step in diagnostic.trace]
    return "\n".join(lines)


__all__ = ["describe"]
