"""The judgements several rules share, and --explain reads: asked of one app's ProjectSummary."""

from __future__ import annotations

import re
from collections.abc import Iterator

from bgsession.lint.facts import (
    FinishEventsFact,
    HandleEventsFact,
    HandlerStore,
    IdKind,
    Memo,
    MethodRef,
    SkippedCall,
    TaskFact,
    TaskKind,
)
from bgsession.lint.ir.vocabulary import HANDLER_LIKE
from bgsession.lint.project import APP, EXTENSION, CallFlow, ProjectSummary, SessionSite


def recreation(summary: ProjectSummary, site: SessionSite) -> str | None:
    """Why `site` can create its session more than once per process while the first is alive, or None
    when it runs once (the model's `memoized`)."""
    fact = site.fact
    owner = fact.owner.member or "this code"
    match fact.memo:
        case Memo.COMPUTED:
            return f"the computed property `{owner}` creates a new background session on every access"
        case Memo.FUNCTION if fact.holder is None or fact.used_for_task:
            return f"`{owner}` creates a new background session every time it runs"
        case Memo.FUNCTION if fact.holder == (fact.owner.member or "").split(":")[0] and used_as_property(
            summary, fact.holder, fact.owner.type_name
        ):
            return f"the getter `{owner}` returns a new background session each time it is called"
        case Memo.VIEW_LIFECYCLE:
            return f"`{owner}` creates a background session for every view instance"
        case Memo.HANDLE_EVENTS:
            return (
                "handleEventsForBackgroundURLSession creates a session each time it runs; when the app is "
                "resumed with that session alive, iOS returns the existing one"
            )
        case Memo.AFTER_INVALIDATE:
            return (
                "the session is created again right after invalidating the previous one, before "
                "didBecomeInvalidWithError; iOS returns the invalidated session"
            )
        case Memo.LAZY | Memo.STORED | Memo.INIT if not summary.single_instance(fact.owner.type_name):
            return per_instance_message(summary, site)
        case Memo.GUARDED:
            return recreated_after_clearing(summary, site) or per_instance(summary, site)
        case Memo.FUNCTION:
            # A method that keeps its session in a property runs once per instance (a setup method): once
            # per process only if the instance is made once.
            return per_instance(summary, site)
    return None


def per_instance(summary: ProjectSummary, site: SessionSite) -> str | None:
    """For a session kept per instance (a nil-guarded getter, a setup method storing it): why a new
    instance is made each time some code runs, or None when the owner is a singleton or not made so."""
    type_name = site.fact.owner.type_name
    if summary.single_instance(type_name) or summary.is_view_controller_or_view(type_name):
        # How many instances of a view controller a storyboard makes is not in the code (a root scene is
        # made once per process): only code that runs per view (viewDidLoad unguarded) is judged per view.
        return None
    return per_instance_message(summary, site)


# Where clearing the holder is right (after invalidation completed) or ends the object's life.
_CLEARED_SAFELY = frozenset({"didBecomeInvalidWithError", "deinit", "dealloc", "applicationWillTerminate"})


def recreated_after_clearing(summary: ProjectSummary, site: SessionSite) -> str | None:
    """A nil-guarded getter (`if (urlSession == nil) { urlSession = … }`) whose holder another method
    invalidates and sets to nil at once: the next call creates the session again with the same
    identifier, possibly before didBecomeInvalidWithError, and iOS returns the invalidated one (R7)."""
    fact = site.fact
    if fact.holder is None or not site.configs:
        return None
    if fact.config_kind != "member" and any(
        config.identifier.kind in (IdKind.UNSTABLE, IdKind.PARAMETER, IdKind.DYNAMIC) for config in site.configs
    ):
        # Made afresh for each creation: a new identifier each time (BGS004's concern), or one this code
        # cannot name. A kept configuration (`sessionConfig`) gives the same identifier every time.
        return None
    for facts in summary.files:
        for invalidation in facts.invalidations:
            method = invalidation.owner.member or ""
            labels = set(re.split(r"[:(]", method))
            if (
                invalidation.clears
                and invalidation.receiver == fact.holder.lstrip("_")
                and invalidation.owner.type_name == fact.owner.type_name
                and not labels & _CLEARED_SAFELY
                and invalidation.loc != fact.loc
            ):
                where = f"{facts.path.rsplit('/', 1)[-1]}:{invalidation.loc.line}"
                return (
                    f"`{method or 'code'}` ({where}) invalidates `{fact.holder}` and sets it to nil at once, so the "
                    "next use creates the session again with the same identifier, possibly before "
                    "didBecomeInvalidWithError, when iOS still returns the invalidated session; clear the "
                    "holder in didBecomeInvalidWithError instead"
                )
    return None


def used_as_property(summary: ProjectSummary, name: str | None, type_name: str | None) -> bool:
    """A method that reads like a property (`[self session]`, `self.session`) and is used for tasks."""
    return any(
        task.receiver_kind == "member" and task.receiver == name and task.receiver_type in (None, type_name)
        for facts in summary.files
        for task in facts.tasks
    )


def per_instance_message(summary: ProjectSummary, site: SessionSite) -> str | None:
    type_name = site.fact.owner.type_name
    if summary.is_view_controller_or_view(type_name):
        return f"every instance of `{type_name}` creates its own background session"
    if site.fact.memo is Memo.LAZY and summary.is_struct(type_name):
        return f"`{type_name}` is a struct: every copy that reads this lazy property creates its own background session"
    if any(config.key is None for config in site.configs):
        # Each instance may get its own identifier (from an initializer's parameter): no conflict to report.
        return None
    repeated = summary.repeated_instance(type_name)
    if repeated is None:
        return None
    path, instance = repeated
    return (
        f"a new `{type_name}` is made each time {path}:{instance.loc.line} runs ({instance.memo.value}), and each "
        "instance creates its own background session"
    )


def relaunches(summary: ProjectSummary) -> bool:
    """Whether iOS can relaunch the app for its sessions: some background configuration keeps launch events on."""
    sites = [site for site in summary.config_sites if site.target in (APP, EXTENSION)]
    return any(site.fact.launch_events is not False for site in sites)


def handle_events(summary: ProjectSummary) -> list[tuple[str, HandleEventsFact]]:
    return [(facts.path, fact) for facts in summary.files for fact in facts.handle_events]


def stored_members(summary: ProjectSummary) -> dict[str, HandlerStore]:
    members: dict[str, HandlerStore] = {}
    for _, fact in handle_events(summary):
        for store in summary.store_flow(fact).stores:
            members.setdefault(store.member, store)
    return members


def delegate_types(summary: ProjectSummary) -> tuple[set[str], bool]:
    """Background sessions' delegate classes, and whether every such delegate is known."""
    names: set[str] = set()
    complete = True
    for site in summary.background_sessions():
        if site.fact.delegate in ("self", "type") and site.fact.delegate_type:
            names.add(site.fact.delegate_type)
        elif site.fact.delegate not in ("none", "nil"):
            complete = False
    return names, complete


_FINISH_NAMES = frozenset({"urlSessionDidFinishEvents", "URLSessionDidFinishEventsForBackgroundURLSession:"})


def finish_implementations(summary: ProjectSummary) -> list[tuple[str, FinishEventsFact]]:
    delegates, _ = delegate_types(summary)
    every = [(facts.path, fact) for facts in summary.files for fact in facts.finish_events]
    own = [(path, fact) for path, fact in every if fact.type_name in delegates or not delegates]
    if any(ref.method in _FINISH_NAMES for _, fact in own for ref in fact.helpers):
        # A forwarding delegate (`BackgroundSessionDelegate(forwardingDelegate: self)`, zotero) hands the
        # call to an object it was given: any type implementing the method may be the one.
        return every
    return own


def events_delivered(summary: ProjectSummary) -> bool:
    """Some background session has a delegate, so its events can arrive at all (else BGS003 is the cause)."""
    return any(site.fact.delegate not in ("none", "nil") for site in summary.background_sessions())


def touches(summary: ProjectSummary, mentions: frozenset[str], calls: tuple[MethodRef, ...], names: set[str]) -> bool:
    """Whether code that mentions `mentions` and calls `calls` reaches one of `names`, directly or
    through the methods it calls."""
    if mentions & names:
        return True
    waiting = summary.waiting_owners()
    for ref in calls:
        found = summary.functions_named(ref.method)
        if any(inner & names for inner in found):
            return True
        if not found and ref.type_name in waiting:
            return True  # a method of the session's owner whose body is not in view: it may make it
    return False


def matching_flows(summary: ProjectSummary, fact: FinishEventsFact, members: dict[str, HandlerStore]) -> list[CallFlow]:
    if not members and (handle_events(summary) or summary.app_entry_groups()):
        # The app's side is in view and keeps no handler (BGS010, BGS011, BGS012 say why): there is
        # no stored handler for urlSessionDidFinishEvents to get wrong.
        return []
    return handler_flows(summary, fact, members)


def handler_flows(summary: ProjectSummary, fact: FinishEventsFact, members: dict[str, HandlerStore]) -> list[CallFlow]:
    """The completion-handler calls urlSessionDidFinishEvents makes: of the stored members, or, when
    nothing is known to be stored, of whatever looks like a handler."""
    flows = summary.finish_calls(fact)
    if members:
        return [flow for flow in flows if flow.call.member in members]
    return [flow for flow in flows if HANDLER_LIKE.search(flow.call.member)]


def skipped_paths(
    summary: ProjectSummary, fact: FinishEventsFact, members: dict[str, HandlerStore]
) -> list[SkippedCall]:
    """Paths of urlSessionDidFinishEvents that return without calling a stored handler which its other
    paths call (BGS019). A path that calls a project method which itself calls the handler is not one."""
    called = {flow.call.member for flow in handler_flows(summary, fact, members)}
    skipped: list[SkippedCall] = []
    for found in fact.skipped:
        skip = found
        if found.via_method is not None:
            # The type's own method the other paths call: the stored handler it calls, if one.
            own = MethodRef(fact.type_name, found.via_method)
            through = summary.finish_calls(fact._replace(calls=(), helpers=(own,)))
            member = next((flow.call.member for flow in through if flow.call.member in called), None)
            if member is None:
                continue
            skip = found._replace(member=member)
        if skip.member not in called:
            continue
        elsewhere = summary.finish_calls(fact._replace(calls=(), helpers=skip.methods))
        if any(flow.call.member == skip.member for flow in elsewhere):
            continue
        skipped.append(skip)
    return skipped


def background_tasks(summary: ProjectSummary, kinds: set[TaskKind]) -> Iterator[tuple[str, TaskFact]]:
    for facts in summary.files:
        for task in facts.tasks:
            if task.kind in kinds and summary.task_is_background(task, facts):
                yield facts.path, task


def adaptor_types(summary: ProjectSummary) -> set[str]:
    return {adaptor.delegate_type for facts in summary.files for adaptor in facts.adaptors}


def kept_handlers(summary: ProjectSummary) -> Iterator[tuple[str, tuple[HandlerStore, ...]]]:
    """Where the handler iOS hands the app is kept: by each handleEvents (through its helpers), or, in
    a library (no handleEvents in view: the app's side is elsewhere, or lacks one, BGS010), by each public
    method that takes it with the session's identifier."""
    for path, fact in handle_events(summary):
        flow = summary.store_flow(fact)
        if not (flow.unresolved or flow.early):
            yield path, flow.stores
    if handle_events(summary):
        return
    for facts in summary.files:
        for helper in facts.helpers:
            if _HAND_OFF.search(helper.selector or helper.method):
                yield facts.path, tuple(store for _, store in helper.stores)


# A library's hand-off method names the session it keeps the handler for
# (`setCompletionHandlerForIdentifier:completionHandler:`, `handleEventsForBackgroundURLSession(_:completionHandler:)`).
# Not any method taking a block and an identifier (`downloadFile(withIdentifier:completionHandler:)` keeps a
# per-download callback): the name says it keeps the relaunch's handler.
_HAND_OFF = re.compile(
    r"(?i)handler\W*(?:for|with)\W*identifier|background\w*session|handleevents|background\w*completionhandler"
)
