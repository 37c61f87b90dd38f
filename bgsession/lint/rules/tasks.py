"""Tasks and delegate callbacks: BGS020-BGS023."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import TaskFact, TaskKind
from bgsession.lint.options import LintOptions
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc
from bgsession.lint.rules.examples import OBJC_MANAGER


def _background_tasks(summary: ProjectSummary, kinds: set[TaskKind]) -> Iterator[tuple[str, TaskFact]]:
    for facts in summary.files:
        for task in facts.tasks:
            if task.kind in kinds and summary.task_is_background(task, facts):
                yield facts.path, task


def check_completion_handler_task(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for path, task in _background_tasks(summary, {TaskKind.CONVENIENCE, TaskKind.ASYNC}):
        what = "an async convenience method" if task.kind is TaskKind.ASYNC else "a completion handler"
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` with {what} on a background session throws at run time; use a delegate-based task",
        )


def check_upload_from_data(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for path, task in _background_tasks(summary, {TaskKind.UPLOAD_DATA, TaskKind.UPLOAD_STREAM}):
        what = "a stream" if task.kind is TaskKind.UPLOAD_STREAM else "in-memory data"
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` uploads from {what}, which background sessions do not "
            "support; write the body to a file and use uploadTask(with:fromFile:)",
        )


def check_data_task(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for path, task in _background_tasks(summary, {TaskKind.DATA}):
        yield rule.report(
            path,
            task.loc,
            f"`{task.method}` on a background session only works while the app is "
            "not suspended; use a download task, or a default session",
        )


def check_download_not_moved(rule: Rule, summary: ProjectSummary, options: LintOptions) -> Iterator[Diagnostic]:
    for facts in summary.files:
        for callback in facts.downloads:
            if callback.problem and callback.problem_loc:
                yield rule.report(facts.path, callback.problem_loc, f"didFinishDownloadingTo {callback.problem}")


_MANAGER = (
    "final class Downloader: NSObject, URLSessionDownloadDelegate {\n"
    "    static let shared = Downloader()\n"
    '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
    "                                  delegate: self, delegateQueue: nil)\n"
    "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
    "                    didFinishDownloadingTo location: URL) {}\n"
)


COMPLETION_HANDLER_TASK = Rule(
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
        bad_swift=_MANAGER + "    func fetch(_ url: URL) {\n"
        "        session.downloadTask(with: url) { location, _, _ in print(location as Any) }.resume()\n"
        "    }\n}\n",
        good_swift=_MANAGER
        + "    func fetch(_ url: URL) {\n        session.downloadTask(with: url).resume()\n    }\n}\n",
        bad_objc=OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url completionHandler:^(NSURL *location, NSURLResponse *response,\n"
        "        NSError *error) {}] resume];\n}\n@end\n",
        good_objc=OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n@end\n",
        limits="The session must be recognisable as background: a property, local or call that holds a session "
        "built from a background configuration. A session passed in as a parameter is not followed.",
    ),
    check_completion_handler_task,
    lifecycle=True,
)

UPLOAD_FROM_DATA = Rule(
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
        bad_swift=_MANAGER + "    func send(_ request: URLRequest, body: Data) {\n"
        "        session.uploadTask(with: request, from: body).resume()\n    }\n}\n",
        good_swift=_MANAGER + "    func send(_ request: URLRequest, file: URL) {\n"
        "        session.uploadTask(with: request, fromFile: file).resume()\n    }\n}\n",
        bad_objc=OBJC_MANAGER + "- (void)send:(NSURLRequest *)request body:(NSData *)body {\n"
        "    [[self.session uploadTaskWithRequest:request fromData:body] resume];\n}\n@end\n",
        good_objc=OBJC_MANAGER + "- (void)send:(NSURLRequest *)request file:(NSURL *)file {\n"
        "    [[self.session uploadTaskWithRequest:request fromFile:file] resume];\n}\n@end\n",
        limits="As for BGS020, the session must be recognisable as background.",
    ),
    check_upload_from_data,
    lifecycle=True,
)

DATA_TASK = Rule(
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
        bad_swift=_MANAGER + "    func fetch(_ url: URL) {\n        session.dataTask(with: url).resume()\n    }\n}\n",
        good_swift=_MANAGER
        + "    func fetch(_ url: URL) {\n        session.downloadTask(with: url).resume()\n    }\n}\n",
        bad_objc=OBJC_MANAGER
        + "- (void)fetch:(NSURL *)url {\n    [[self.session dataTaskWithURL:url] resume];\n}\n@end\n",
        good_objc=OBJC_MANAGER + "- (void)fetch:(NSURL *)url {\n"
        "    [[self.session downloadTaskWithURL:url] resume];\n}\n@end\n",
        limits="As for BGS020, the session must be recognisable as background.",
    ),
    check_data_task,
    lifecycle=True,
)

DOWNLOAD_NOT_MOVED = Rule(
    "BGS023",
    "download-not-moved-synchronously",
    Severity.ERROR,
    "didFinishDownloadingTo lets the temporary file escape before it is moved",
    RuleDoc(
        finds="An implementation of urlSession(_:downloadTask:didFinishDownloadingTo:) that uses `location` inside "
        "asynchronous work (DispatchQueue...async, Task, OperationQueue, dispatch_async, performBackgroundTask) or "
        "stores it in a property.",
        why="Apple: the file 'will be removed when the delegate message returns'. Asynchronous work runs "
        "after the method returns, when the file is gone. Move or open the file inside the method, then hand the "
        "new location to other work.",
        bad_swift="final class Saver: NSObject, URLSessionDownloadDelegate {\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {\n"
        "        DispatchQueue.global().async {\n"
        '            try? FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: "/tmp/x"))\n'
        "        }\n    }\n}\n",
        good_swift="final class Saver: NSObject, URLSessionDownloadDelegate {\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {\n"
        '        let destination = URL(fileURLWithPath: "/tmp/x")\n'
        "        try? FileManager.default.moveItem(at: location, to: destination)\n"
        "        DispatchQueue.global().async { print(destination) }\n    }\n}\n",
        bad_objc="@implementation Saver\n"
        "- (void)URLSession:(NSURLSession *)session downloadTask:(NSURLSessionDownloadTask *)downloadTask\n"
        "    didFinishDownloadingToURL:(NSURL *)location {\n"
        "    dispatch_async(dispatch_get_global_queue(0, 0), ^{\n"
        '        [[NSFileManager defaultManager] moveItemAtURL:location toURL:[NSURL fileURLWithPath:@"/tmp/x"] '
        "error:NULL];\n"
        "    });\n}\n@end\n",
        good_objc="@implementation Saver\n"
        "- (void)URLSession:(NSURLSession *)session downloadTask:(NSURLSessionDownloadTask *)downloadTask\n"
        "    didFinishDownloadingToURL:(NSURL *)location {\n"
        '    NSURL *destination = [NSURL fileURLWithPath:@"/tmp/x"];\n'
        "    [[NSFileManager defaultManager] moveItemAtURL:location toURL:destination error:NULL];\n}\n@end\n",
        limits="Only the listed asynchronous APIs are recognised; passing `location` to your own function that "
        "works asynchronously is not followed. Reported for any session, since foreground sessions delete the file "
        "too.",
    ),
    check_download_not_moved,
    lifecycle=True,
)
