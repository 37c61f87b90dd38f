"""BGS010 missing-handle-events:
background sessions, but no handleEventsForBackgroundURLSession and no SwiftUI backgroundTask.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import IdKind
from bgsession.lint.project import APP, ConfigSite, ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_missing_handle_events(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    entries = summary.app_entry_groups()
    if not entries or not judgements.relaunches(summary):
        return
    app_sites = [
        site
        for site in summary.config_sites
        if site.target == APP and summary.same_app(site.path, entries) and not _on_request(site)
    ]
    if not app_sites or judgements.handle_events(summary):
        return
    if any(facts.background_tasks for facts in summary.files):
        return
    first = min(app_sites, key=lambda site: (site.path, site.loc.line, site.loc.column))
    yield rule.report(
        first.path,
        first.loc,
        "the app creates background sessions, but no app delegate implements "
        "application(_:handleEventsForBackgroundURLSession:completionHandler:) and no scene has "
        ".backgroundTask(.urlSession); a relaunch for finished transfers is never completed",
    )


def _on_request(site: ConfigSite) -> bool:
    """A configuration whose identifier is only known at run time and that no call in view hands one to
    (AFNetworking re-creating a decoded manager's session): whether the app ever makes it is not in the
    code, so it is no evidence that the app creates background sessions."""
    return site.key is None and site.via_call is None and site.identifier.kind is IdKind.DYNAMIC


RULE = Rule(
    "BGS010",
    "missing-handle-events",
    Severity.ERROR,
    "background sessions, but no handleEventsForBackgroundURLSession and no SwiftUI backgroundTask",
    RuleDoc(
        finds="An iOS app that creates background sessions (with launch events on, the default) whose app delegate "
        "does not implement application(_:handleEventsForBackgroundURLSession:completionHandler:) and that has no "
        "SwiftUI `.backgroundTask(.urlSession...)`. Reported at the first background configuration.",
        why="When transfers finish while the app is not running, iOS relaunches it in the background and calls this "
        "method with a completion handler that tells the system the events are handled and a snapshot can be "
        "taken. Without it, nothing ever completes the relaunch.",
        bad_swift="@main\nfinal class AppDelegate: UIResponder, UIApplicationDelegate {}\n"
        "final class Downloader: NSObject, URLSessionDelegate, @unchecked Sendable {\n"
        "    static let shared = Downloader()\n"
        '    lazy var session = URLSession(configuration: .background(withIdentifier: "com.example.bg"),\n'
        "                                  delegate: self, delegateQueue: nil)\n"
        "}\n",
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc="@interface AppDelegate : UIResponder <UIApplicationDelegate>\n@end\n"
        "@implementation AppDelegate\n@end\n"
        "@interface Downloader : NSObject <NSURLSessionDelegate>\n@end\n"
        "@implementation Downloader {\n    NSURLSession *_session;\n}\n"
        "- (void)start {\n"
        "    _session = [NSURLSession sessionWithConfiguration:\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.bg"]\n'
        "        delegate:self delegateQueue:nil];\n"
        "}\n"
        "@end\n",
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="Only judged when the app's entry point or delegate is among the linted files (an editor linting "
        "one manager file cannot know). Not reported for watchOS code, app extensions, or when every background "
        "configuration sets sessionSendsLaunchEvents to false. Configurations whose identifier is only known at run "
        "time (decoded from an archive, read from storage) with no call in view handing one in are no evidence: "
        "whether the app ever makes one is not in the code.",
    ),
    check_missing_handle_events,
    lifecycle=True,
)
