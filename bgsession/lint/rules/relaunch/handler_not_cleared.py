"""BGS015 handler-not-cleared: the completion handler is called but not cleared."""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import FinishEventsFact, HandlerCall
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
                found = rule.report(
                    path,
                    fact.loc,
                    f"the completion handler `{flow.call.member}` is called but not "
                    "cleared, so a later urlSessionDidFinishEvents can call it a second time",
                )
                fix = _clear(summary, fact, flow.call, path.endswith(".swift"))
                yield found if fix is None else found.with_fixes(fix)
                break


def _clear(summary: ProjectSummary, fact: FinishEventsFact, call: HandlerCall, swift: bool) -> Fix | None:
    """Set the stored place to nil: where the local copy is made when a copy is called (so the handler
    is cleared before it runs, and a handler stored later is never the one cleared), right after the
    call when the place itself is called (a copy would need a name and a type). Either way on the same
    thread as the read, so nothing can run in between: safe."""
    site = call.site
    if site is None or call not in fact.calls or site.place is None or not site.place_text or call.every:
        return None
    place = site.place_text
    if swift and place.isidentifier():
        # An implicit member: spelled `self.x`, since the clear may land in an escaping closure (where
        # Swift requires it), and only when it is a property of the type (not a global of that name).
        merged = summary.types.get(call.type_name or "")
        if merged is None or place not in merged.properties:
            return None
        place = f"self.{place}"
    clear = f"{place} = nil" + ("" if swift else ";")
    beside = "; " if swift else " "
    if site.aliased:
        # Cleared where the copy is made: clearing later (in a closure) could clear a newer handler.
        if site.copy is None:
            return None
        separator = f"\n{site.copy_indent}" if site.copy_indent is not None else beside
        if site.copy_before:
            edit = Edit(site.copy.start, site.copy.start, clear + separator)
        else:
            edit = Edit(site.copy.end, site.copy.end, separator + clear)
    else:
        # On a line of its own when the call has one, else beside it on the same line.
        separator = f"\n{site.indent}" if site.indent is not None else beside
        edit = Edit(site.end, site.end, separator + clear)
    return Fix(f"set {place} to nil", "safe", (edit,))


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
        fix="Safe: sets the stored place to nil (`appDelegate.backgroundCompletionHandler = nil`, "
        "`completionHandlers[identifier] = nil`) right where a local copy of the handler is made (after the "
        "`let` or `guard`, at the top of the `if let` body), or right after the call when the place itself is "
        "called. Not offered when the call is in a helper or reads the handler from something other than a "
        "property, ivar or dictionary entry.",
    ),
    check_not_cleared,
    lifecycle=True,
)
