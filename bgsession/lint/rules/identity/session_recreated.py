"""BGS002 session-recreated: a background session created where that code can run more than once per process."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules.base import Rule, RuleDoc


def check_recreated(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    for site in summary.background_sessions():
        message = judgements.recreation(summary, site)
        if message is not None:
            yield rule.report(site.path, site.fact.loc, message)


RULE = Rule(
    "BGS002",
    "session-recreated",
    Severity.ERROR,
    "a background session created where that code can run more than once per process",
    RuleDoc(
        finds="A background session created in a computed property, in a method that makes a new session each "
        "time it runs, in view-controller lifecycle methods or stored properties of view types, in "
        "handleEventsForBackgroundURLSession unconditionally, or again right after invalidating the previous one.",
        why="The second creation with a live identifier returns the existing session (with its old delegate); "
        "after invalidation, creating the identifier again is safe only once didBecomeInvalidWithError has "
        "arrived (Apple: 'it is not safe to create another background session with the same identifier until "
        "URLSession:didBecomeInvalidWithError: has been issued'). Create the session once per process: a "
        "`static let`, a `lazy var` of a singleton, `dispatch_once`, or a nil check on a stored property.",
        bad_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    var session: URLSession {\n"
        '        URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                   delegate: self, delegateQueue: nil)\n"
        "    }\n"
        "}\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session: URLSession = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                              delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "- (void)startDownload:(NSURL *)url {\n"
        "    NSURLSessionConfiguration *configuration =\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "    NSURLSession *session = [NSURLSession sessionWithConfiguration:configuration\n"
        "                                                          delegate:self delegateQueue:nil];\n"
        "    [[session downloadTaskWithURL:url] resume];\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader {\n    NSURLSession *_session;\n}\n"
        "- (NSURLSession *)session {\n"
        "    if (_session == nil) {\n"
        "        NSURLSessionConfiguration *configuration =\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"];\n'
        "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil];\n"
        "    }\n"
        "    return _session;\n"
        "}\n"
        "@end\n",
        limits="A method that stores the new session in a property is assumed to run once (a setup method). An "
        "initializer of a class that is not a view is assumed to run once, since bgsession does not count "
        "instances. Any check on stored state before the creation (a nil check, a flag, a registry lookup) counts "
        "as memoization, even if it checks something else.",
    ),
    check_recreated,
    lifecycle=True,
)
