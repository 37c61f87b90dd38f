"""BGS021 upload-from-data: uploads from in-memory data or a stream on a background session."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import (
    TaskKind,
)
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_upload_from_data(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for path, task in judgements.background_tasks(summary, {TaskKind.UPLOAD_DATA, TaskKind.UPLOAD_STREAM}):
        what = "a stream" if task.kind is TaskKind.UPLOAD_STREAM else "in-memory data"
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` uploads from {what}, which background sessions do not "
            "support; write the body to a file and use uploadTask(with:fromFile:)",
        )


RULE = Rule(
    "BGS021",
    "upload-from-data",
    Severity.ERROR,
    "uploads from in-memory data or a stream on a background session",
    RuleDoc(
        finds="`uploadTask(with:from:)`, `uploadTask(withStreamedRequest:)`, `uploadTaskWithRequest:fromData:` and "
        "`uploadTaskWithStreamedRequest:` on a background session.",
        why="Apple: 'Only upload tasks from a file are supported (uploads from data instances or a stream fail "
        "after the app exits)'; uploads from data throw 'Upload tasks from NSData are not supported in background "
        "sessions.'. Write the body to a file and upload from it.",
        bad_swift=examples.SWIFT_TASK_MANAGER + "    func send(_ request: URLRequest, body: Data) {\n"
        "        session.uploadTask(with: request, from: body).resume()\n    }\n}\n",
        good_swift=examples.SWIFT_TASK_MANAGER + "    func send(_ request: URLRequest, file: URL) {\n"
        "        session.uploadTask(with: request, fromFile: file).resume()\n    }\n}\n",
        bad_objc=examples.OBJC_MANAGER + "- (void)send:(NSURLRequest *)request body:(NSData *)body {\n"
        "    [[self.session uploadTaskWithRequest:request fromData:body] resume];\n}\n@end\n",
        good_objc=examples.OBJC_MANAGER + "- (void)send:(NSURLRequest *)request file:(NSURL *)file {\n"
        "    [[self.session uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end\n",
        limits="As for BGS020, the session must be recognisable as background.",
    ),
    check_upload_from_data,
    lifecycle=True,
)
