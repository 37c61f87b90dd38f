"""BGS023 download-not-moved-synchronously: didFinishDownloadingTo lets the temporary file escape before it is moved."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_download_not_moved(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for facts in summary.files:
        for callback in facts.downloads:
            if callback.problem and callback.problem_loc:
                yield rule.report(facts.path, callback.problem_loc, f"didFinishDownloadingTo {callback.problem}")


RULE = Rule(
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
        bad_swift="final class Saver: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
        "    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask,\n"
        "                    didFinishDownloadingTo location: URL) {\n"
        "        DispatchQueue.global().async {\n"
        '            try? FileManager.default.moveItem(at: location, to: URL(fileURLWithPath: "/tmp/x"))\n'
        "        }\n    }\n}\n",
        good_swift="final class Saver: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {\n"
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
        "too. AVAssetDownloadDelegate's urlSession(_:assetDownloadTask:didFinishDownloadingTo:) is not this "
        "callback: its location is the downloaded asset, which the app is meant to keep.",
    ),
    check_download_not_moved,
    lifecycle=True,
)
