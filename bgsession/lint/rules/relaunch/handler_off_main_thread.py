"""BGS014 handler-off-main-thread: the completion handler is called off the main thread."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import (
    FinishEventsFact,
    HandlerCall,
    Thread,
)
from bgsession.lint.project import CallFlow, ProjectSummary, SessionSite, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def _session_sites_for(summary: ProjectSummary, type_name: str | None) -> list[SessionSite]:
    return [site for site in summary.background_sessions() if site.fact.delegate_type == type_name]


def check_off_main(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary) or not judgements.events_delivered(summary):
        return
    yield from check_script_calls(rule, summary)
    members = judgements.stored_members(summary)
    for path, fact in judgements.finish_implementations(summary):
        # A @MainActor urlSessionDidFinishEvents is no hop: the session calls it on its delegate queue
        # (R8), and Swift 6 rejects the main-actor witness of the nonisolated requirement.
        isolated = " (@MainActor is not a hop: the delegate queue calls this method)"
        for flow in judgements.matching_flows(summary, fact, members):
            if _off_main(summary, fact, flow):
                found = rule.report(
                    path,
                    fact.loc,
                    f"the completion handler `{flow.call.member}` is called off the "
                    f"main thread (line {flow.call.loc.line}); UIKit requires the main thread"
                    + (isolated if fact.on_main_actor and flow.thread is Thread.DIRECT else ""),
                )
                fix = _hop_to_main(fact, flow.call, path.endswith(".swift"))
                yield found if fix is None else found.with_fixes(fix)
                break


def check_script_calls(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    """A kept handler called directly in a method a React Native module exports: JavaScript calls it on the
    module's methodQueue, which is not the main thread unless that method returns the main queue."""
    reported: set[str] = set()
    for path, stores in judgements.kept_handlers(summary):
        for store in stores:
            if store.member in reported:
                continue
            call = next(
                (
                    (helper, call)
                    for facts in summary.files
                    for helper in facts.helpers
                    if helper.entry_thread is Thread.OFF
                    for call in helper.calls
                    if call.member == store.member and call.thread is Thread.DIRECT
                ),
                None,
            )
            if call is None:
                continue
            reported.add(store.member)
            helper, found = call
            yield rule.report(
                path,
                store.loc,
                f"the completion handler kept in `{store.member}` is called by `{helper.method}` (line "
                f"{found.loc.line}), which JavaScript calls on the module's methodQueue, off the main thread; "
                "UIKit requires the main thread",
            )


def _hop_to_main(fact: FinishEventsFact, call: HandlerCall, swift: bool) -> Fix | None:
    """Wrap the call statement in an asynchronous hop to the main queue. The handler then runs a moment
    later, on the thread UIKit requires; nothing else moves: safe."""
    site = call.site
    if site is None or call not in fact.calls:
        return None
    if not site.aliased and call.cleared:
        # `_handler(); _handler = nil;`: the hop would read the stored place after it is cleared, and
        # call nothing (Swift) or a nil block (Objective-C). A local copy is captured by value.
        return None
    if swift:
        edits = (Edit(site.start, site.start, "DispatchQueue.main.async { "), Edit(site.end, site.end, " }"))
    else:
        edits = (
            Edit(site.start, site.start, "dispatch_async(dispatch_get_main_queue(), ^{ "),
            Edit(site.end, site.end, " });"),
        )
    return Fix("call the completion handler on the main queue", "safe", edits)


def _off_main(summary: ProjectSummary, fact: FinishEventsFact, flow: CallFlow) -> bool:
    match flow.thread:
        case Thread.MAIN:
            return False
        case Thread.OFF:
            return True
        case Thread.UNKNOWN:
            # A closure bgsession cannot place (a project helper, a completion block): stay silent.
            return False
        case Thread.DIRECT:
            queues = {site.fact.main_queue for site in _session_sites_for(summary, fact.type_name)}
            return bool(queues) and False in queues and None not in queues
    return False


RULE = Rule(
    "BGS014",
    "handler-off-main-thread",
    Severity.ERROR,
    "the completion handler is called off the main thread",
    RuleDoc(
        finds="urlSessionDidFinishEvents calling the stored handler directly, when the session's delegate queue "
        "is not the main queue, or from a closure sent to another queue.",
        why="Apple: 'Because the provided completion handler is part of UIKit, you must call it on your main "
        "thread'. urlSessionDidFinishEvents runs on the session's delegate queue, a background queue unless "
        "the session was created with `delegateQueue: .main`. Hop with DispatchQueue.main.async, "
        "`Task { @MainActor in }`, MainActor.run, OperationQueue.main or dispatch_get_main_queue(). Marking the "
        "method or its class `@MainActor` is not a hop: the session still calls it on the delegate queue, and "
        "Swift 6 rejects a main-actor method as the witness of URLSessionDelegate's nonisolated requirement. "
        "`MainActor.assumeIsolated` is no hop either: it traps off the main thread.",
        bad_swift=examples.swift_app(
            "        Downloader.shared.backgroundCompletionHandler = completionHandler\n"
            "        _ = Downloader.shared.session\n",
            "    var backgroundCompletionHandler: (() -> Void)?\n"
            "    func urlSessionDidFinishEvents(forBackgroundURLSession session: URLSession) {\n"
            "        // On the session's delegate queue, a background queue here (delegateQueue: nil).\n"
            "        let handler = backgroundCompletionHandler\n"
            "        backgroundCompletionHandler = nil\n"
            "        handler?()\n    }\n",
        ),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app(
            examples.STORE_AND_TOUCH_OBJC,
            "- (void)URLSessionDidFinishEventsForBackgroundURLSession:(NSURLSession *)session {\n"
            "    AppDelegate *appDelegate = (AppDelegate *)[UIApplication sharedApplication].delegate;\n"
            "    void (^handler)(void) = appDelegate.backgroundCompletionHandler;\n"
            "    appDelegate.backgroundCompletionHandler = nil;\n"
            "    if (handler) { handler(); }\n}\n",
        ),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="A React Native module's exported method (RCT_EXPORT_METHOD) runs on the module's methodQueue: a "
        "kept handler called directly there is reported at the store, unless methodQueue returns the main queue; "
        "methods of the new architecture's generated spec are not recognised. "
        "A call inside a closure passed to an unknown function (a project helper) is not reported; name such "
        "helpers in the configuration's main-thread helpers to have them count as hops. A direct call (in a "
        "`@MainActor` method or not) is reported only when the session's delegate queue is known not to be the "
        "main queue.",
        fix="Safe: wraps the call statement in `DispatchQueue.main.async { … }` / "
        "`dispatch_async(dispatch_get_main_queue(), ^{ … });`. Not offered when the handler is handed to a "
        "queue as its work item, called from a helper, or called straight from the stored property and cleared "
        "after (the hop would read the property once it is nil).",
    ),
    check_off_main,
    lifecycle=True,
)
