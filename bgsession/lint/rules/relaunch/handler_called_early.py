"""BGS012 handler-called-early:
handleEventsForBackgroundURLSession calls the handler before the events are delivered.
"""

from __future__ import annotations

from collections.abc import Iterator

from bgsession.diagnostics import Diagnostic, Edit, Fix, Severity
from bgsession.lint.facts import HandleEventsFact
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
            found = rule.report(
                path,
                fact.loc,
                "handleEventsForBackgroundURLSession calls the completion handler "
                f"itself{where}, before the session's events are delivered",
            )
            fix = _defer(summary, fact, path.endswith(".swift"))
            yield found if fix is None else found.with_fixes(fix)


def _finish_reads(summary: ProjectSummary, type_name: str | None) -> set[str]:
    """The members of `type_name` that some urlSessionDidFinishEvents calls as the stored handler."""
    return {
        flow.call.member
        for _, finish in judgements.finish_implementations(summary)
        for flow in summary.finish_calls(finish)
        if flow.call.type_name == type_name and not flow.call.every
    }


def _defer(summary: ProjectSummary, fact: HandleEventsFact, swift: bool) -> Fix | None:
    """Leave the call to urlSessionDidFinishEvents: drop it where the handler is already stored, or store
    it in the one property of this type that urlSessionDidFinishEvents calls. Unsafe: the handler now
    runs later (and not at all if the events never come)."""
    site = fact.early_site
    if site is None or not fact.handler_param:
        return None
    read = _finish_reads(summary, fact.type_name)
    stored = {store.member for store in fact.stores}
    if stored:
        # Only when every path stores it: else the paths that do not would drop it (BGS011).
        if not fact.stores_unconditionally or not stored <= read:
            return None
        span = site.line or (site.start, site.end)
        edit = Edit(span[0], span[1], "")
        return Fix("remove the early call: urlSessionDidFinishEvents calls the stored handler", "unsafe", (edit,))
    merged = summary.types.get(fact.type_name or "")
    candidates = sorted(member for member in read if merged is not None and member in merged.properties)
    if len(candidates) != 1:
        return None
    store = f"self.{candidates[0]} = {fact.handler_param}" + ("" if swift else ";")
    title = f"store the handler in {candidates[0]} for urlSessionDidFinishEvents instead of calling it now"
    return Fix(title, "unsafe", (Edit(site.start, site.end, store),))


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
        fix="Unsafe: where the method's body stores the handler (on every path), removes the early call; "
        "otherwise replaces it with storing the handler in the one property of the same type that "
        "urlSessionDidFinishEvents calls (`self.backgroundCompletionHandler = completionHandler`). The "
        "handler then runs after the events, so the app stays awake longer. Not offered when the call is "
        "inside a branch or closure, when there is no such property, or for the async variant.",
    ),
    check_called_early,
    lifecycle=True,
)
