"""The project summary as the reference model's `AppBehaviour`: what the app's code does at each hook.

This is the bridge DESIGN.md describes: the rules never call the model, but the model explains their
lifecycle findings (`lint --explain`) and, in the tests, checks them. Each knob is read from the same
facts the rules read; where the code does something the model has no knob for, the closest knob is
chosen and the choice is commented.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bgsession.lint import facts as lint_facts
from bgsession.lint.facts import FinishEventsFact, HandleEventsFact, IdKind, Memo, Thread
from bgsession.lint.project import APP, EXTENSION, ProjectSummary, SessionSite
from bgsession.lint.project.forwarding import forwarded, forwarding_anchor, required_libraries
from bgsession.lint.project.invalidation import invalidated_and_reused
from bgsession.lint.project.judgements import (
    handle_events,
    handler_flows,
    recreation,
    skipped_paths,
    stored_members,
    touches,
)
from bgsession.lint.project.task_state import lists_tasks, task_state_keys
from bgsession.model import behaviour as model

# explore() is exponential in the number of sites; real apps rarely have more background sessions.
MAX_SITES = 3
# A host library's session is one more site: one is enough to show what a missing forwarding does.
MAX_LIBRARY_SITES = 1

_TASK_KINDS = {
    lint_facts.TaskKind.DOWNLOAD: model.TaskKind.DOWNLOAD,
    lint_facts.TaskKind.UPLOAD_FILE: model.TaskKind.UPLOAD_FILE,
    lint_facts.TaskKind.UPLOAD_DATA: model.TaskKind.UPLOAD_DATA,
    lint_facts.TaskKind.UPLOAD_STREAM: model.TaskKind.UPLOAD_DATA,
    lint_facts.TaskKind.DATA: model.TaskKind.DATA,
    lint_facts.TaskKind.CONVENIENCE: model.TaskKind.CONVENIENCE,
    lint_facts.TaskKind.ASYNC: model.TaskKind.CONVENIENCE,
}


@dataclass(frozen=True, slots=True)
class Conversion:
    """A behaviour and, for each model site, the session site it came from."""

    behaviour: model.AppBehaviour
    sources: dict[str, SessionSite]


def app_behaviour(summary: ProjectSummary) -> Conversion | None:
    """The app's behaviour, or None when the project has no background session in app or extension code."""
    sessions = [site for site in summary.background_sessions() if site.target in (APP, EXTENSION)]
    libraries = _library_sites(summary)
    if not sessions and not libraries and not any(config.target in (APP, EXTENSION) for config in summary.config_sites):
        return None
    handle = _handle_events(summary)
    sites: list[model.SessionSite] = []
    sources: dict[str, SessionSite] = {}
    for session in _one_per_configuration(summary, sessions)[:MAX_SITES]:
        name = _site_name(session, sources)
        sources[name] = session
        sites.append(_site(summary, session, name))
    taken = {site.name for site in sites}
    sites.extend(site for site in libraries if site.name not in taken)
    return Conversion(model.AppBehaviour(sites=tuple(sites), handle_events=handle), sources)


def _library_sites(summary: ProjectSummary) -> list[model.SessionSite]:
    """The sessions of host libraries that need the app delegate's forwarding, the ones it does not
    forward to first. The library's own code is taken to be correct: it creates its session when the
    app launches, downloads, and calls the handler it was handed. Without app code in view nothing
    says what the app delegate does, and BGS018 judges nothing either."""
    if forwarding_anchor(summary) is None:
        return []
    found = [
        model.SessionSite(
            name=dependency.name,
            identifier=f"<{dependency.name}'s identifier>",
            library=model.HostLibrary(dependency.name, forwarded=forwarded(summary, library) is not False),
        )
        for library, dependency in required_libraries(summary)
    ]
    found.sort(key=lambda site: site.library is not None and site.library.forwarded)
    return found[:MAX_LIBRARY_SITES]


def _one_per_configuration(summary: ProjectSummary, sessions: list[SessionSite]) -> list[SessionSite]:
    """A session made from a parameter is one site per call that passes a configuration; and a
    configuration no session in view uses is taken to make a session of its own, with a delegate."""
    expanded: list[SessionSite] = []
    for session in sessions:
        if len(session.configs) > 1:
            expanded.extend(replace(session, configs=(config,)) for config in session.configs)
        else:
            expanded.append(session)
    used = {id(config.fact) for session in sessions for config in session.configs}
    for config in summary.config_sites:
        if id(config.fact) not in used and config.target in (APP, EXTENSION):
            stand_in = lint_facts.SessionFact(
                loc=config.loc,
                config_kind="inline",
                config_ref="",
                config_index=None,
                delegate="self",
                delegate_type=config.fact.owner.type_name,
                main_queue=False,
                memo=Memo.STATIC if config.fact.owner.static else Memo.LAZY,
                owner=config.fact.owner,
                holder=config.fact.holder,
                holder_type=config.fact.owner.type_name,
            )
            expanded.append(SessionSite(config.path, stand_in, True, (config,), config.target))
    return expanded


def _site_name(session: SessionSite, taken: dict[str, SessionSite]) -> str:
    owner = session.fact.owner
    member = session.fact.holder or owner.member
    if owner.type_name and member:
        name = f"{owner.type_name}.{member.split(':', 1)[0]}"
    else:
        name = f"the session at {session.path.rsplit('/', 1)[-1]}:{session.fact.loc.line}"
    if name not in taken:
        return name
    config = session.configs[0] if session.configs else None
    path, line = (config.path, config.loc.line) if config else (session.path, session.fact.loc.line)
    unique = f"{name} ({path.rsplit('/', 1)[-1]}:{line})"
    counter = 2
    while unique in taken:
        unique = f"{name} ({path.rsplit('/', 1)[-1]}:{line}, {counter})"
        counter += 1
    return unique


def _site(summary: ProjectSummary, session: SessionSite, name: str) -> model.SessionSite:
    config = session.configs[0]
    value = config.identifier
    fact = session.fact
    # Without a delegate nothing is called, but the owner's methods are what a delegate would run.
    delegate_type = fact.delegate_type or fact.owner.type_name
    # Listing the tasks matters only to a delegate keeping per-task state (BGS040).
    keeps_task_state = bool(task_state_keys(summary, session.delegate_type))
    return model.SessionSite(
        name=name,
        identifier=_identifier(value),
        stable=not (value.kind is IdKind.UNSTABLE and not value.persisted),
        memoized=fact.memo is Memo.AFTER_INVALIDATE or recreation(summary, session) is None,
        delegate=fact.delegate not in ("none", "nil"),
        delegate_queue_main=fact.main_queue is True,
        sends_launch_events=config.fact.launch_events is not False,
        in_extension=session.target == EXTENSION,
        shared_container=config.fact.shared_container,
        created_at_launch=_created_at_launch(summary, session),
        task_kinds=_task_kinds(summary, session),
        moves_download_synchronously=_moves_downloads(summary, delegate_type),
        invalidation=_invalidation(summary, session),
        finish_events=_finish_events(summary, delegate_type),
        keeps_task_state=keeps_task_state,
        lists_tasks=keeps_task_state and lists_tasks(summary),
    )


def _identifier(value: lint_facts.IdentifierValue) -> str:
    match value.kind:
        case IdKind.LITERAL | IdKind.CONSTANT:
            return value.text
        case IdKind.BUNDLE:
            return f"<bundle identifier>{value.text}"
        case _:
            return f"<{value.describe()}>"


def _created_at_launch(summary: ProjectSummary, session: SessionSite) -> bool:
    fact = session.fact
    if fact.memo is Memo.LAUNCH:
        return True
    if fact.owner.type_name in summary.app_delegates() and fact.memo in (Memo.STORED, Memo.INIT):
        return True
    names = {name for name in (fact.holder, fact.owner.type_name) if name}
    return any(
        touches(summary, launch.mentions, launch.calls_methods, names)
        for facts in summary.files
        for launch in facts.launches
    )


def _task_kinds(summary: ProjectSummary, session: SessionSite) -> tuple[model.TaskKind, ...]:
    kinds: list[model.TaskKind] = []
    for facts in summary.files:
        for task in facts.tasks:
            if _task_uses(summary, task, facts, session):
                kind = _TASK_KINDS[task.kind]
                if kind not in kinds:
                    kinds.append(kind)
    # A session whose tasks are started elsewhere (through a helper) is assumed to download.
    return tuple(kinds) or (model.TaskKind.DOWNLOAD,)


def _task_uses(
    summary: ProjectSummary, task: lint_facts.TaskFact, facts: lint_facts.FileFacts, session: SessionSite
) -> bool:
    if task.receiver_kind == "session" and task.session_index is not None:
        return facts.path == session.path and facts.sessions[task.session_index] is session.fact
    if task.receiver_kind != "member" or task.receiver is None or task.receiver != session.fact.holder:
        return False
    return summary.task_is_background(task, facts) is True and task.receiver_type in (
        None,
        session.fact.holder_type,
        session.fact.owner.type_name,
    )


def _moves_downloads(summary: ProjectSummary, delegate_type: str | None) -> bool:
    return not any(
        download.problem is not None and download.type_name in (delegate_type, None)
        for facts in summary.files
        for download in facts.downloads
    )


def _invalidation(summary: ProjectSummary, session: SessionSite) -> model.Invalidation:
    # A holder that keeps the session it invalidated, with tasks created through it (BGS006's judgement).
    if any(reuse.site.fact is session.fact and reuse.tasks for reuse in invalidated_and_reused(summary)):
        return model.Invalidation.NOT_RECREATED
    memo = session.fact.memo
    if _recreated_from_callback(summary, session):
        return model.Invalidation.RECREATE_AFTER_INVALID
    if memo is Memo.AFTER_INVALIDATE:
        return model.Invalidation.RECREATE_AT_ONCE
    if memo is Memo.INVALIDATION:
        return model.Invalidation.RECREATE_AFTER_INVALID
    return model.Invalidation.NEVER


def _recreated_from_callback(summary: ProjectSummary, session: SessionSite) -> bool:
    """The type invalidates a session it holds and one of its URLSession callbacks calls the method that
    creates this session: the re-creation from didBecomeInvalidWithError that Apple's header asks for.
    The callbacks are not told apart by their labels here; creating a session is what only
    didBecomeInvalidWithError does among them."""
    owner = session.fact.owner
    if owner.kind != "method" or owner.type_name is None or owner.member is None:
        return False
    factory = owner.member.split("(", 1)[0].split(":", 1)[0]
    invalidates = any(
        invalidation.owner.type_name == owner.type_name and invalidation.receiver is not None
        for facts in summary.files
        for invalidation in facts.invalidations
    )
    return invalidates and any(
        function.type_name == owner.type_name
        and function.name in ("urlSession", "URLSession")
        and any(call.method.split(":", 1)[0] == factory for call in function.calls_methods)
        for facts in summary.files
        for function in facts.functions
    )


def _finish_events(summary: ProjectSummary, delegate_type: str | None) -> model.FinishEvents:
    implementations = [
        fact for facts in summary.files for fact in facts.finish_events if fact.type_name == delegate_type
    ]
    if not implementations:
        return model.FinishEvents(present=False)
    fact: FinishEventsFact = implementations[0]
    flows = handler_flows(summary, fact, stored_members(summary))
    if not flows:
        return model.FinishEvents(calls_handler=False)
    # The model's "on main" is the hop; a call made directly on a main delegate queue is the site's
    # delegate_queue_main. A closure bgsession cannot place (Thread.UNKNOWN) is given the benefit of
    # the doubt, as BGS014 gives it.
    # A @MainActor urlSessionDidFinishEvents is not a hop: the delegate queue still calls it.
    on_main = all(flow.thread in (Thread.MAIN, Thread.UNKNOWN) for flow in flows)
    return model.FinishEvents(
        on_main=on_main,
        clears=all(flow.call.cleared for flow in flows),
        every_path=not skipped_paths(summary, fact, stored_members(summary)),
    )


def _handle_events(summary: ProjectSummary) -> model.HandleEvents:
    app_paths = {facts.path for facts in summary.files if summary.target_of(facts) == APP}
    implementations = [(path, fact) for path, fact in handle_events(summary) if path in app_paths]
    if not implementations:
        if any(facts.background_tasks for facts in summary.files):
            # SwiftUI's .backgroundTask(.urlSession) keeps the handler for the system: keyed, matched.
            return model.HandleEvents(checks_identifier=True)
        return model.HandleEvents(present=False)
    fact: HandleEventsFact = implementations[0][1]
    flow = summary.store_flow(fact)
    if flow.early or (fact.async_form and fact.early):
        action = model.HandlerAction.CALL_AT_ONCE
    elif fact.drops and not fact.drops_unknown_only:
        action = model.HandlerAction.DROP
    elif flow.stores or flow.unresolved:
        action = model.HandlerAction.STORE
    else:
        action = model.HandlerAction.DROP
    single = any(not store.keyed and not store.matched for store in flow.stores)
    return model.HandleEvents(
        action=action,
        store=model.HandlerStore.SINGLE_SLOT if single else model.HandlerStore.KEYED,
        reconnect=_reconnect(summary, fact),
        checks_identifier=fact.checks_identifier,
        unknown=model.UnknownIdentifier.DROP if fact.drops_unknown_only else model.UnknownIdentifier.CALL_AT_ONCE,
        creates_unconditionally=any(site.fact.memo is Memo.HANDLE_EVENTS for site in summary.background_sessions()),
    )


def _reconnect(summary: ProjectSummary, fact: HandleEventsFact) -> model.Reconnect:
    if any(site.fact.memo is Memo.HANDLE_EVENTS for site in summary.background_sessions()):
        return model.Reconnect.FROM_IDENTIFIER
    if not touches(summary, fact.mentions, fact.calls_methods, summary.touch_names()):
        return model.Reconnect.NONE
    return model.Reconnect.MATCHING if fact.checks_identifier else model.Reconnect.ALL
