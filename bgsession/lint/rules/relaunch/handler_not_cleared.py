"""BGS015 handler-not-cleared: the completion handler is called but not cleared."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.project import ProjectSummary, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def check_not_cleared(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary) or not judgements.events_delivered(summary):
        return
    members = judgements.stored_members(summary)
    for path, fact in judgements.finish_implementations(summary):
        for flow in judgements.matching_flows(summary, fact, members):
            if not flow.call.cleared:
                yield rule.report(
                    path,
                    fact.loc,
                    f"the completion handler `{flow.call.member}` is called but not "
                    "cleared, so a later urlSessionDidFinishEvents can call it a second time",
                )
                break


RULE = Rule(
    "BGS015",
    "handler-not-cleared",
    Severity.WARNING,
    "the completion handler is called but not cleared",
    RuleDoc(
        finds="urlSessionDidFinishEvents calling the stored handler without setting the property to nil or "
        "removing the dictionary entry.",
        why="A handler must be called once. While the app keeps running in the background after a relaunch, "
        "another batch of the session's events is followed by another urlSessionDidFinishEvents, which would call "
        "the same handler again. Clear it where you call it.",
        bad_swift=examples.swift_app(
            examples.STORE_AND_TOUCH_SWIFT,
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            "        DispatchQueue.main.async {\n"
            "            (UIApplication.shared.delegate as? AppDelegate)?.backgroundCompletionHandler?()\n"
            "        }\n    }\n",
        ),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app(
            examples.STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            "    dispatch_async(dispatch_get_main_queue(), ^{\n"
            "        AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
            "        if (appDelegate.backgroundCompletionHandler) { appDelegate.backgroundCompletionHandler(); }\n"
            "    });\n}\n",
        ),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="Clearing is looked for in the same method, or in the helper that calls the handler.",
    ),
    check_not_cleared,
    lifecycle=True,
)
