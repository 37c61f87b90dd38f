"""BGS012 handler-called-early:
handleEventsForBackgroundURLSession calls the handler before the events are delivered.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_called_early(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary):
        return
    for path, fact in judgements.handle_events(summary):
        if fact.async_form and fact.early:
            yield rule.report(
                path,
                fact.loc,
                "the async handleEventsForBackgroundURLSession returns without waiting "
                "for the session's events; the system treats them as handled",
            )
        elif not fact.async_form and summary.store_flow(fact).early:
            where = f" (line {fact.early_loc.line})" if fact.early_loc else ""
            yield rule.report(
                path,
                fact.loc,
                "handleEventsForBackgroundURLSession calls the completion handler "
                f"itself{where}, before the session's events are delivered",
            )


RULE = Rule(
    "BGS012",
    "handler-called-early",
    Severity.ERROR,
    "handleEventsForBackgroundURLSession calls the handler before the events are delivered",
    RuleDoc(
        finds="A direct call of the completion handler inside handleEventsForBackgroundURLSession (or in a method "
        "it passes the handler to) on a path for identifiers the app handles, and the async variant of the "
        "method returning without awaiting the events.",
        why="The events for the session are delivered only after the session is re-created; calling the handler "
        "first tells the system everything is done, so it may suspend the app before urlSessionDidFinishEvents. "
        "Store the handler and call it from urlSessionDidFinishEvents.",
        bad_swift=examples.swift_app("        _ = Downloader.shared.session\n        completionHandler()\n"),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app("    [[Downloader sharedDownloader] session];\n    completionHandler();\n"),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="A call inside a closure (a completion block, DispatchGroup.notify) is assumed to run after the "
        "events; calling the handler at once for identifiers the code does not recognise is correct. A SwiftUI "
        ".backgroundTask(.urlSession) action that awaits a helper which itself stops waiting for the events is not "
        "followed.",
    ),
    check_called_early,
    lifecycle=True,
)
