"""BGS017 session-not-reconnected: a background relaunch does not re-create or touch the session."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bgsession.diagnostics import Diagnostic, Severity
from bgsession.lint.facts import (
    Memo,
)
from bgsession.lint.project import ProjectSummary, SessionSite, judgements
from bgsession.lint.rules import examples
from bgsession.lint.rules.base import Rule, RuleDoc


def reconnected(summary: ProjectSummary, process: str = "") -> bool | None:
    """Whether a relaunch reaches a background session (False: BGS017), or None when there is nothing to judge.

    `process` is the one whose relaunch is asked about (`summary.groups`: "ios", "watch"); code of another
    process (a watch app's reconnect beside the phone app's handleEvents) neither makes nor touches its
    sessions. "" asks about every file at once."""

    def inside(path: str) -> bool:
        return not process or summary.groups.get(path, "") in (process, "")

    sites = [site for site in summary.background_sessions() if inside(site.path)]
    if not sites:
        return None
    if any(summary.is_host_plugin(site.fact.owner.type_name) for site in sites):
        # A plugin's sessions are created when its Dart or JavaScript side calls it (an initialize
        # call, a stream listener, a method channel): whether that happens at launch is not in view.
        return None
    if any(_made_by_outside_call(summary, site, inside) for site in sites):
        # A method another type calls makes the session: whether that caller runs at launch (an object the
        # app's entry makes, a view model a SwiftUI App keeps) is more than the facts show.
        return None
    names = summary.touch_names()
    handlers = [fact for path, fact in judgements.handle_events(summary) if inside(path)]
    if (
        created_at_launch(summary, sites)
        or summary.made_at_launch(names)
        or any(judgements.touches(summary, fact.mentions, fact.calls_methods, names) for fact in handlers)
    ):
        return True
    if any(site.fact.memo is Memo.HANDLE_EVENTS for site in sites):
        return True
    for facts in summary.files:
        if not inside(facts.path):
            continue
        for launch in facts.launches:
            if judgements.touches(summary, launch.mentions, launch.calls_methods, names):
                return True
        for task in facts.background_tasks:
            if task.mentions & names:
                return True
    return any(summary.store_flow(fact).unresolved for fact in handlers)


def _made_by_outside_call(summary: ProjectSummary, site: SessionSite, inside: Callable[[str], bool]) -> bool:
    """Whether the method that makes `site`'s session on first use is called from outside its type's files
    (in the process asked about)."""
    fact = site.fact
    if fact.memo not in (Memo.GUARDED, Memo.FUNCTION) or fact.owner.kind != "method" or not fact.owner.member:
        return False
    method = fact.owner.member.split(":", 1)[0].split("(", 1)[0]
    owner = summary.types.get(fact.owner.type_name or "")
    own_files = owner.paths if owner is not None else {site.path}
    return any(
        method in facts.called_methods for facts in summary.files if facts.path not in own_files and inside(facts.path)
    )


def created_at_launch(summary: ProjectSummary, sites: list[SessionSite]) -> bool:
    """A session created when the app delegate or the app launches needs no reconnecting."""
    delegates = summary.app_delegates()
    for site in sites:
        if site.fact.memo is Memo.LAUNCH:
            return True
        if site.fact.owner.type_name in delegates and site.fact.memo in (Memo.STORED, Memo.INIT):
            return True
    return False


def check_not_reconnected(rule: Rule, summary: ProjectSummary) -> Iterator[Diagnostic]:
    if not judgements.relaunches(summary):
        return
    handlers = judgements.handle_events(summary)
    verdicts = {process: reconnected(summary, process) for process in {summary.groups.get(p, "") for p, _ in handlers}}
    if not handlers and reconnected(summary) is not False:
        return
    for path, fact in handlers:
        if verdicts[summary.groups.get(path, "")] is not False:
            continue
        flow = summary.store_flow(fact)
        # The async form has no handler to keep: its return is the completion, and the session still has
        # to be made for the events to arrive.
        if (flow.stores and not flow.early) or fact.async_form:
            yield rule.report(
                path,
                fact.loc,
                "handleEventsForBackgroundURLSession does not create or touch any "
                "background session, and neither does launch code; the relaunched app never "
                "reconnects, so its events are not delivered and the handler is never called",
            )
    if not handlers and any(facts.background_tasks for facts in summary.files):
        first = min(summary.background_sessions(), key=lambda site: (site.path, site.fact.loc.line))
        yield rule.report(
            first.path,
            first.fact.loc,
            "no .backgroundTask(.urlSession) action or launch code creates or "
            "touches this background session, so a relaunch never reconnects it",
        )


RULE = Rule(
    "BGS017",
    "session-not-reconnected",
    Severity.ERROR,
    "a background relaunch does not re-create or touch the session",
    RuleDoc(
        finds="An app whose handleEventsForBackgroundURLSession stores the handler but neither it nor the launch "
        "code (didFinishLaunching, the App's init, a backgroundTask action) creates or touches any background "
        "session, typically a lazy session that only the UI reaches.",
        why="After a relaunch the session's events are delivered only once a session with that identifier exists "
        "in the process; a lazy session nobody touches never exists, so urlSessionDidFinishEvents never "
        "runs and the handler is never called. Touch the session in handleEvents, as Apple recommends.",
        bad_swift=examples.swift_app("        backgroundCompletionHandler = completionHandler\n"),
        good_swift=examples.swift_app(examples.STORE_AND_TOUCH_SWIFT),
        bad_objc=examples.objc_app("    self.backgroundCompletionHandler = completionHandler;\n"),
        good_objc=examples.objc_app(examples.STORE_AND_TOUCH_OBJC),
        limits="A mention of the session's holder or its accessor in handleEvents or launch code (or in methods "
        "they call) counts as touching it; a mention of its owner's type (`Uploader.shared`) counts only when "
        "making the owner makes the session (a stored property, the initializer, or a method the initializer "
        "calls), not for a lazy var or a nil-guarded getter. A call to a method of a lazy session's owner whose "
        "body is not in view, and a handler passed to a method bgsession cannot find, are assumed to reach the "
        "session. A session made on first use by a method that another type's file calls (`appModel.init` calling "
        "`uploads.ensureSessions()`) is not judged: whether that caller runs at launch is not in the facts. "
        "Sessions of a host framework's plugin class are not judged: its script side decides when they are made. "
        "Each process is judged on its own code: a watch app's code neither makes nor touches the phone app's "
        "sessions (code no project target covers counts for both).",
    ),
    check_not_reconnected,
    lifecycle=True,
)
