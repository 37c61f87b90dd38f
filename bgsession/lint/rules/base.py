"""What a rule is: its code, name, default severity, documentation, and check function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from bgsession.diagnostics import Diagnostic, Loc, Severity, one_line
from bgsession.lint.project import ProjectSummary


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """A rule's documentation in fixed sections; a test requires all of them and runs the examples."""

    finds: str
    why: str
    bad_swift: str
    good_swift: str
    bad_objc: str
    good_objc: str
    limits: str
    # How `--fix` removes the finding, and whether the fix is safe or unsafe; empty: no fix.
    fix: str = ""


Check = Callable[["Rule", ProjectSummary], Iterator[Diagnostic]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    doc: RuleDoc
    check: Check = field(repr=False)
    lifecycle: bool = False

    def report(self, path: str, loc: Loc, message: str, severity: Severity | None = None) -> Diagnostic:
        return Diagnostic(self.code, self.name, severity or self.severity, path, loc, one_line(message))


def decided_by_suppress(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    """The check of the rules the suppression stage decides (BGS090, BGS091): it runs after the other
    rules, once the findings a suppression could silence are known, so there is nothing to say here."""
    return iter(())
