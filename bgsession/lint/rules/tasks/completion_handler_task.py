"""BGS020 completion-handler-task: completion-handler or async convenience tasks on a background session."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import (
    TaskKind,
)
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_completion_handler_task(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for path, task in judgements.background_tasks(summary, {TaskKind.CONVENIENCE, TaskKind.ASYNC}):
        what = "an async convenience method" if task.kind is TaskKind.ASYNC else "a completion handler"
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` with {what} on a background session throws at run time; use a delegate-based task",
        )


RULE = Rule(
    "BGS020",
    "completion-handler-task",
    Severity.ERROR,
    "completion-handler or async convenience tasks on a background session",
    RuleDoc(
        finds="`dataTask(with:completionHandler:)`, `downloadTask(with:completionHandler:)`, "
        "`uploadTask(...completionHandler:)` (a trailing closure counts), and the async `data(for:)`, "
        "`download(from:)`, `upload(for:from:)`, `bytes(for:)` on a session built from a background "
        "configuration. An Objective-C `completionHandler:nil` is allowed.",
        why="Background sessions reject them: 'Completion handler blocks are not supported in background "
        "sessions. Use a delegate instead.' is thrown at run time. The process can be terminated while the "
        "transfer runs, and a block cannot survive that; the async methods are completion-handler methods too.",
        bad_swift=examples.SWIFT_TASK_MANAGER + "    func fetch(_ url: URL) {\n"
        "        session.downloadTask(with: url) { location, _, _ in print(location as Any) }.resume()\n"
        "    }\n}\n",
        good_swift=examples.SWIFT_TASK_MANAGER
        + "    func fetch(_ url: URL) {\n        session.downloadTask(with: url).resume()\n    }\n}\n",
        bad_objc=examples.OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url completionHandler:^(NSURL *location, NSURLResponse *response,\n"
        "        NSError *error) {}] resume];\n}\n@end\n",
        good_objc=examples.OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n@end\n",
        limits="The session must be recognisable as background: a property, local or call that holds a session "
        "built from a background configuration, or a call to a getter method of the same type that makes and "
        "keeps (or returns) only background sessions; a getter whose body mentions the shared session or a "
        "default or ephemeral configuration may return another kind and is not followed. A session passed in "
        "as a parameter is not followed.",
    ),
    check_completion_handler_task,
    lifecycle=True,
)
