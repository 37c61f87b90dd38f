"""BGS022 data-task-in-background: delegate-based data tasks on a background session."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import (
    TaskKind,
)
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_data_task(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for path, task in judgements.background_tasks(summary, {TaskKind.DATA}):
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` on a background session only works while the app is "
            "not suspended; use a download task, or a default session",
        )


RULE = Rule(
    "BGS022",
    "data-task-in-background",
    Severity.WARNING,
    "delegate-based data tasks on a background session",
    RuleDoc(
        finds="`dataTask(with:)` and `dataTaskWithRequest:` / `dataTaskWithURL:` without a completion handler on a "
        "background session (with a completion handler it is BGS020).",
        why="A data task in a background session runs only while the app avoids suspension (Apple's "
        "URLSessionTask overview says data tasks are not supported in background sessions). When the app is "
        "suspended the task fails. Use a download task, or a default session for small requests.",
        bad_swift=examples.SWIFT_TASK_MANAGER
        + "    func fetch(_ url: URL) {\n        session.dataTask(with: url).resume()\n    }\n}\n",
        good_swift=examples.SWIFT_TASK_MANAGER
        + "    func fetch(_ url: URL) {\n        session.downloadTask(with: url).resume()\n    }\n}\n",
        bad_objc=examples.OBJC_MANAGER
        + "- (void)fetch:(NSURL *)url {\n    [[self.session dataTaskWithURL:url] resume];\n}\n@end\n",
        good_objc=examples.OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n@end\n",
        limits="As for BGS020, the session must be recognisable as background.",
    ),
    check_data_task,
    lifecycle=True,
)
