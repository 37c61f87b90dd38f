"""BGS003 missing-delegate: a background session created without a delegate."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary
from bgsession.lint.rules.base import Rule, RuleDoc


def check_missing_delegate(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    # Factories whose result is invalidated at once (`Creator.sessionWithoutDelegate(for: id)
    # .invalidateAndCancel()`, zotero): a session made to cancel another launch's tasks needs no delegate.
    cancel_factories = {
        invalidation.on_result_of for facts in summary.files for invalidation in facts.invalidations
    } - {None}
    for site in summary.background_sessions():
        factory = (site.fact.owner.member or "").split(":", 1)[0].split("(", 1)[0]
        if site.fact.owner.kind in ("method", "function") and factory in cancel_factories:
            continue
        if site.fact.delegate in ("none", "nil") and not site.fact.cancel_only:
            how = "without a delegate" if site.fact.delegate == "none" else "with a nil delegate"
            yield rule.report(
                site.path,
                site.fact.loc,
                f"background session created {how}; its events can only be delivered to a delegate",
            )


RULE = Rule(
    "BGS003",
    "missing-delegate",
    Severity.ERROR,
    "a background session created without a delegate",
    RuleDoc(
        finds="`URLSession(configuration:)`, `[NSURLSession sessionWithConfiguration:]`, or a nil delegate, for a "
        "background configuration.",
        why="Apple: 'The session must provide a delegate for event delivery.' Without one, finished transfers are "
        "never reported, urlSessionDidFinishEvents never runs, and the completion handler from "
        "handleEventsForBackgroundURLSession is never called. (The seed page's Swift example makes exactly this "
        "mistake.)",
        bad_swift='let configuration = URLSessionConfiguration.background(withIdentifier: "com.example.bg")\n'
        "let session = URLSession(configuration: configuration)\n",
        good_swift="final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        bad_objc="@implementation Downloader\n"
        "+ (NSURLSession *)session {\n"
        "    static NSURLSession *session;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{\n"
        "        session = [NSURLSession sessionWithConfiguration:\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]];\n'
        "    });\n"
        "    return session;\n"
        "}\n"
        "@end\n",
        good_objc="@implementation Downloader\n"
        "+ (NSURLSession *)session {\n"
        "    static NSURLSession *session;\n"
        "    static dispatch_once_t once;\n"
        "    dispatch_once(&once, ^{\n"
        "        session = [NSURLSession sessionWithConfiguration:\n"
        '            [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
        "                                                delegate:[Downloader new] delegateQueue:nil];\n"
        "    });\n"
        "    return session;\n"
        "}\n"
        "@end\n",
        limits="A delegate expression that is not nil is accepted whatever it is; whether it implements the "
        "right protocol is the compiler's job. A session made only to be invalidated at once (to cancel a previous "
        "launch's transfers for an identifier the app no longer wants) needs no events and is not reported.",
    ),
    check_missing_delegate,
    lifecycle=True,
)
