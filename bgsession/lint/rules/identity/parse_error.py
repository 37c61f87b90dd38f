"""BGS000 parse-error: a file the parser cannot read cleanly."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Loc, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_parse_errors(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for facts in sorted(summary.files + summary.test_files, key=lambda f: f.path):
        if facts.read_error is not None:
            yield rule.report(facts.path, facts.parse_error or _FIRST, facts.read_error, Severity.WARNING)
        elif facts.parse_error is not None and not facts.auxiliary:
            count = facts.parse_error_count
            more = f" (and {count - 1} more)" if count > 1 else ""
            yield rule.report(
                facts.path,
                facts.parse_error,
                f"the parser could not read this code{more}; findings near it may be missing",
            )


_FIRST = Loc(1, 1, 1, 1)


RULE = Rule(
    "BGS000",
    "parse-error",
    Severity.NOTE,
    "a file the parser cannot read cleanly",
    RuleDoc(
        finds="A Swift or Objective-C file in which tree-sitter finds a syntax error, or a file that cannot be read "
        "or decoded as UTF-8.",
        why="Facts inside a broken region are missing, so findings near it may be missing too. Everything outside "
        "the broken region is still checked. Objective-C annotation macros (NS_ASSUME_NONNULL_BEGIN, NS_ENUM, "
        "NS_SWIFT_NAME, API_AVAILABLE and the like) are blanked before parsing and do not cause this.",
        bad_swift="let session: URLSession = .shared\nlet sizes = [1, 2,\n",
        good_swift="let session: URLSession = .shared\nlet sizes = [1, 2]\n",
        bad_objc="@implementation A\n- (NSURLSession *)session { return [NSURLSession sharedSession }\n@end\n",
        good_objc="@implementation A\n- (NSURLSession *)session { return [NSURLSession sharedSession]; }\n@end\n",
        limits="Only files that can hold a finding (they mention URLSession other than the shared session, an app "
        "delegate, and the like) are parsed, so a broken file elsewhere is not reported. The grammars lag the "
        "newest language features; "
        "code the compiler accepts can still be reported.",
    ),
    check_parse_errors,
)
