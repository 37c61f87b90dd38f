"""One step of the iOS background-session lifecycle: which events can happen, and what each does.

Written from Apple's documented behaviour (APPLE.md R1-R25). Where the seed page disagrees with
Apple, Apple wins; each such point is marked "Seed correction" below.

- Seed correction (R8): a background session needs a delegate. A session created without one
  never receives its events, so its handler is never called (BGS003).
- Seed correction (R10): handlers are keyed by the identifier string that handleEvents receives;
  the session does not exist yet when handleEvents runs after a relaunch.
- Seed correction (R6, R7): calling the completion handler does not invalidate the session. It
  stays registered until the app invalidates it and didBecomeInvalidWithError arrives.
- Seed correction (R2, R5): creating a second session with an identifier whose session is still
  registered or invalidating returns the existing object with its old delegate.
- Seed correction (UIKit): didFinishLaunching runs once per process, before handleEvents; bringing
  a background-launched app to the foreground does not run it again.

One defect, one report: after a task the session rejects (BGS020, BGS021) or a data task lost at
suspension (BGS022), the model goes on as if the app had used the supported form, and a site that
re-creates its session with a fresh identifier carries on with the first one. Otherwise a single
defect would hide every other rule behind it, or be reported again through its consequences; the
linter's rules judge each hook's code on its own in the same way, and the agreement test holds the
two to the same verdicts.

Three rules rest on the app's own state, kept here as far as their violation needs it:
- BGS006 (an invalidated session is asked for tasks): Apple, finishTasksAndInvalidate: "Once a session is
  invalidated, new tasks cannot be created in the session ... After invalidation, session objects cannot
  be reused" (NSURLSession.h: "New tasks may not be created"; invalidateAndCancel "acts as" it). Foundation
  raises "Task created in a session that has been invalidated" (reported against apps and libraries, e.g.
  Tiercel issue 156). A holder that keeps the invalidated object (`invalidated_sites`) asks it again.
- BGS018 (a host library's session): iOS hands the relaunch's handler to the app delegate only; the
  library's delegate can call it only once the app delegate handed it over as the library documents.
- BGS040 (tasks not re-attached): a process's per-task state holds the tasks it started; tasks an earlier
  process started (`DaemonSession.unknown_tasks`) are known only to an app that lists the session's tasks.

Two points are inferences, not documented contracts, and are marked "Inference" where used:
the system stops waiting for outstanding handlers when it suspends the app (R11), and while the app
keeps running in the background after handleEvents, each later batch of that session's events is
again followed by urlSessionDidFinishEvents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from dataclasses import replace as dc_replace

from bgsession.model import codes
from bgsession.model.behaviour import (
    AppBehaviour,
    FinishEvents,
    HandlerAction,
    HandlerStore,
    HostLibrary,
    Invalidation,
    Reconnect,
    SessionSite,
    TaskKind,
    UnknownIdentifier,
)
from bgsession.model.codes import Violation
from bgsession.model.events import (
    AppInvalidates,
    BackgroundRelaunch,
    BackgroundResume,
    DeliverEvents,
    DidBecomeInvalid,
    Event,
    ExtensionRuns,
    ForceQuit,
    MoreEvents,
    StartTransfer,
    Suspend,
    SystemTerminates,
    TransferFinishes,
    UserForeground,
    UserLaunch,
)
from bgsession.model.parties import (
    APP_ALONE,
    APP_TO_DAEMON,
    APP_TO_IOS,
    DAEMON_ALONE,
    DAEMON_TO_DELEGATE,
    DELEGATE_ALONE,
    DELEGATE_TO_DAEMON,
    DELEGATE_TO_IOS,
    IOS_TO_APP,
    IOS_TO_DAEMON,
    Move,
    Party,
)
from bgsession.model.world import (
    HANDLE_EVENTS_SITE,
    UNKNOWN_IDENTIFIER,
    DaemonSession,
    LiveSession,
    Process,
    World,
    replace,
)

# Transfers in flight per identifier are capped so that the state space stays finite.
MAX_IN_FLIGHT = 2
_REJECTED_TASKS = {
    TaskKind.CONVENIENCE: (
        codes.COMPLETION_HANDLER_TASK,
        "background sessions reject completion-handler and async tasks: the call throws and the app crashes",
    ),
    TaskKind.UPLOAD_DATA: (
        codes.UPLOAD_FROM_DATA,
        "background sessions reject uploads from in-memory data: the call throws and the app crashes",
    ),
}

_SUPPORTED_FORM = {TaskKind.CONVENIENCE: TaskKind.DOWNLOAD, TaskKind.UPLOAD_DATA: TaskKind.UPLOAD_FILE}


class ImpossibleEventError(ValueError):
    """The event cannot happen in this state (for example a relaunch while the app is running)."""


@dataclass(frozen=True, slots=True)
class State:
    """A point in a run: the app's fixed behaviour and the current world."""

    behaviour: AppBehaviour
    world: World


@dataclass(frozen=True, slots=True)
class Transition:
    """What one step did: the new state, readable sentences (with who acts in each), and the rules it broke."""

    state: State
    sentences: tuple[str, ...]
    violations: tuple[Violation, ...]
    handlers_called: tuple[int, ...] = ()
    moves: tuple[Move, ...] = ()


@dataclass(slots=True)
class _Step:
    """Mutable scratch space for one step; frozen into a Transition at the end."""

    behaviour: AppBehaviour
    world: World
    sentences: list[str] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    handlers_called: list[int] = field(default_factory=list)

    @property
    def process(self) -> Process:
        if self.world.process is None:
            raise AssertionError("no process")
        return self.world.process

    def set_process(self, process: Process | None) -> None:
        self.world = replace(self.world, process=process)

    def say(self, sentence: str, move: Move) -> None:
        self.sentences.append(sentence)
        self.moves.append(move)

    def violate(self, code: str, message: str) -> None:
        # The step that breaks the rule is the last one said; a violation found before this event's
        # first sentence (a re-creation returning the old session) belongs to that first sentence.
        self.violations.append(Violation(code, message, max(len(self.sentences) - 1, 0)))


def initial_state(behaviour: AppBehaviour) -> State:
    """The app is installed and not running. The daemon may hold a session the current code does not know."""
    world = World()
    if behaviour.handle_events.present and behaviour.handle_events.checks_identifier:
        # Earlier versions of the app configured their sessions as this one does: if no session of
        # the current code sends launch events, neither did the old one.
        launch_events = any(site.sends_launch_events for site in behaviour.sites)
        world = world.with_daemon_session(
            DaemonSession(UNKNOWN_IDENTIFIER, in_flight=(), finished=(TaskKind.DOWNLOAD,), launch_events=launch_events)
        )
    return State(behaviour, world)


def enabled_events(state: State) -> list[Event]:
    """Every event that can happen next, in a fixed order (so exploration is deterministic)."""
    behaviour, world = state.behaviour, state.world
    process = world.process
    events: list[Event] = []
    if process is None:
        events.append(UserLaunch())
        if not world.force_quit:
            events.extend(BackgroundRelaunch(s.identifier) for s in world.daemon if _wants_launch(s))
    else:
        if process.suspended and not world.force_quit:
            events.extend(BackgroundResume(s.identifier) for s in world.daemon if _wants_launch(s))
        if process.running and not process.foreground:
            events.extend(
                MoreEvents(s.identifier)
                for s in world.daemon
                if _wants_launch(s) and s.identifier not in process.finish_due
            )
        if process.running and process.foreground:
            for site in behaviour.app_sites():
                events.extend(StartTransfer(site.name, kind) for kind in site.task_kinds)
        if process.running:
            for daemon_session in world.daemon:
                live = process.live_session(daemon_session.identifier)
                if daemon_session.finished and live is not None and live.delegate:
                    events.append(DeliverEvents(daemon_session.identifier))
                    if daemon_session.identifier in process.finish_due and _may_skip(_site_of(behaviour, live)):
                        events.append(DeliverEvents(daemon_session.identifier, skips_handler=True))
            for site in behaviour.app_sites():
                if site.invalidation is not Invalidation.NEVER and process.session_of_site(site.name):
                    events.append(AppInvalidates(site.name))
            events.extend(DidBecomeInvalid(s.identifier) for s in process.sessions if s.invalidating)
            events.append(Suspend())
        else:
            events.append(SystemTerminates())
        if not process.foreground or process.suspended:
            events.append(UserForeground())
        events.append(ForceQuit())
    events.extend(TransferFinishes(s.identifier) for s in world.daemon if s.in_flight)
    if behaviour.extension_sites() and not _extension_busy(state):
        events.append(ExtensionRuns())
    return events


def step(state: State, event: Event) -> Transition:
    """Apply one event. Raises ImpossibleEventError when the event cannot happen in this state."""
    if event not in enabled_events(state):
        raise ImpossibleEventError(f"{describe_event(event)} cannot happen now")
    return apply_enabled(state, event)


def apply_enabled(state: State, event: Event) -> Transition:
    """`step` without re-checking that `event` is enabled: for callers that just asked `enabled_events`."""
    scratch = _Step(state.behaviour, state.world)
    _APPLY[type(event)](scratch, event)
    _check_undeliverable(scratch)
    return Transition(
        State(state.behaviour, scratch.world),
        tuple(scratch.sentences),
        tuple(scratch.violations),
        tuple(scratch.handlers_called),
        tuple(scratch.moves),
    )


def describe_event(event: Event) -> str:
    """A short sentence naming the event, for traces and error messages."""
    match event:
        case UserLaunch():
            return "the user launches the app"
        case BackgroundRelaunch(identifier):
            return f"the system relaunches the app in the background for {identifier}"
        case BackgroundResume(identifier):
            return f"the system resumes the suspended app in the background for {identifier}"
        case MoreEvents(identifier):
            return f"the system calls handleEvents for {identifier} while the app runs in the background"
        case StartTransfer(site, kind):
            return f"the app starts {_a(kind.value)} on {site}"
        case TransferFinishes(identifier):
            return f"a transfer of {identifier} finishes in the transfer daemon"
        case DeliverEvents(identifier, skips_handler):
            return f"{identifier}'s task events are delivered to the session's delegate" + (
                ", and urlSessionDidFinishEvents takes a path that does not call the handler" if skips_handler else ""
            )
        case AppInvalidates(site):
            return f"the app invalidates the session of {site}"
        case DidBecomeInvalid(identifier):
            return f"the session for {identifier} receives didBecomeInvalidWithError"
        case ExtensionRuns():
            return "the app extension runs and starts its transfers"
        case Suspend():
            return "the system suspends the app"
        case SystemTerminates():
            return "the system terminates the suspended app"
        case ForceQuit():
            return "the user force-quits the app"
        case UserForeground():
            return "the user brings the app to the foreground"
    raise AssertionError(event)


def _holds_invalidated(process: Process, site: SessionSite) -> bool:
    """The site's holder keeps a session the app invalidated and never replaces (BGS006)."""
    if site.invalidation is not Invalidation.NOT_RECREATED or not site.memoized:
        return False
    held = process.session_of_site(site.name, invalidating=True)
    return (held is not None and held.invalidating) or site.name in process.invalidated_sites


def _tracks_tasks(behaviour: AppBehaviour) -> bool:
    """Whether some delegate keeps per-task state that a relaunch can leave stale (BGS040)."""
    return any(site.keeps_task_state and not site.lists_tasks for site in behaviour.app_sites())


def _library_of(behaviour: AppBehaviour, identifier: str) -> HostLibrary | None:
    for site in behaviour.app_sites():
        if site.library is not None and site.identifier == identifier:
            return site.library
    return None


def _may_skip(site: SessionSite) -> bool:
    """Whether the site's urlSessionDidFinishEvents has a path that returns without calling the handler."""
    finish = site.finish_events
    return finish.present and finish.calls_handler and not finish.every_path


def _wants_launch(session: DaemonSession) -> bool:
    return bool(session.finished) and session.launch_events


def _extension_busy(state: State) -> bool:
    """The extension is modelled as running once its transfers are done, to keep runs finite."""
    for site in state.behaviour.extension_sites():
        for daemon_session in state.world.daemon:
            own = daemon_session.identifier == site.identifier or (
                not site.stable and daemon_session.identifier.startswith(f"{site.identifier}#")
            )
            if own and (daemon_session.in_flight or daemon_session.finished):
                return True
    return False


# --- the events ---------------------------------------------------------------------------------


def _user_launch(scratch: _Step, _: Event) -> None:
    scratch.world = replace(scratch.world, force_quit=False)
    scratch.set_process(Process(launched_for=None, foreground=True))
    scratch.say("the user launches the app", IOS_TO_APP)
    _did_finish_launching(scratch)


def _background_relaunch(scratch: _Step, event: Event) -> None:
    assert isinstance(event, BackgroundRelaunch)
    scratch.set_process(Process(launched_for=event.identifier, foreground=False))
    scratch.say(f"the system relaunches the app in the background for {event.identifier}", IOS_TO_APP)
    _did_finish_launching(scratch)
    _handle_events(scratch, event.identifier)


def _background_resume(scratch: _Step, event: Event) -> None:
    assert isinstance(event, BackgroundResume)
    scratch.set_process(replace(scratch.process, suspended=False, foreground=False))
    scratch.say(f"the system resumes the suspended app in the background for {event.identifier}", IOS_TO_APP)
    _handle_events(scratch, event.identifier)


def _more_events(scratch: _Step, event: Event) -> None:
    assert isinstance(event, MoreEvents)
    scratch.say(
        f"the system calls handleEvents for {event.identifier} while the app runs in the background", IOS_TO_APP
    )
    _handle_events(scratch, event.identifier)


def _start_transfer(scratch: _Step, event: Event) -> None:
    assert isinstance(event, StartTransfer)
    site = scratch.behaviour.site(event.site)
    if _holds_invalidated(scratch.process, site):
        scratch.say(f"the app asks {site.name}'s invalidated session for {_a(event.kind.value)}", APP_TO_DAEMON)
        scratch.violate(
            codes.INVALIDATED_SESSION_REUSED,
            f"{site.name} still holds the session it invalidated, and nothing created it again: an invalidated "
            "session cannot create tasks (Foundation raises 'Task created in a session that has been "
            "invalidated'), so the transfer never starts",
        )
        return
    session = _access_site(scratch, site, f"to start {_a(event.kind.value)}")
    rejected = _REJECTED_TASKS.get(event.kind)
    scratch.say(f"the app starts {_a(event.kind.value)} on {session.identifier}", APP_TO_DAEMON)
    kind = event.kind
    if rejected is not None:
        scratch.violate(*rejected)
        # One defect must not hide the others: from here on the model assumes the supported form
        # (a delegate-based download, an upload from a file), as a linter reports each independently.
        kind = _SUPPORTED_FORM[kind]
    daemon_session = scratch.world.daemon_session(session.identifier)
    assert daemon_session is not None
    if len(daemon_session.in_flight) < MAX_IN_FLIGHT:
        scratch.world = scratch.world.with_daemon_session(
            replace(daemon_session, in_flight=(*daemon_session.in_flight, kind))
        )
        if kind is TaskKind.DATA:
            process = scratch.process
            scratch.set_process(replace(process, data_tasks=(*process.data_tasks, session.identifier)))


def _transfer_finishes(scratch: _Step, event: Event) -> None:
    assert isinstance(event, TransferFinishes)
    daemon_session = scratch.world.daemon_session(event.identifier)
    assert daemon_session is not None and daemon_session.in_flight
    kind, *rest = daemon_session.in_flight
    scratch.world = scratch.world.with_daemon_session(
        replace(daemon_session, in_flight=tuple(rest), finished=(*daemon_session.finished, kind))
    )
    process = scratch.world.process
    if kind is TaskKind.DATA and process is not None and event.identifier in process.data_tasks:
        remaining = list(process.data_tasks)
        remaining.remove(event.identifier)
        scratch.set_process(replace(process, data_tasks=tuple(remaining)))
    where = (
        "while the app is not running"
        if process is None
        else ("while the app is suspended" if process.suspended else "while the app runs")
    )
    scratch.say(f"{_a(kind.value)} of {event.identifier} finishes {where}", DAEMON_ALONE)


def _deliver_events(scratch: _Step, event: Event) -> None:
    assert isinstance(event, DeliverEvents)
    identifier = event.identifier
    daemon_session = scratch.world.daemon_session(identifier)
    live = scratch.process.live_session(identifier)
    assert daemon_session is not None and live is not None
    site = _site_of(scratch.behaviour, live)
    scratch.say(f"{identifier}'s task events are delivered to the session's delegate", DAEMON_TO_DELEGATE)
    if TaskKind.DOWNLOAD in daemon_session.finished and not site.moves_download_synchronously:
        scratch.violate(
            codes.DOWNLOAD_NOT_MOVED,
            "didFinishDownloadingTo hands the temporary file to asynchronous work; "
            "the file is deleted when the method returns",
        )
    if daemon_session.unknown_tasks and site.keeps_task_state and not site.lists_tasks:
        scratch.violate(
            codes.TASKS_NOT_REATTACHED,
            f"{site.name}'s delegate looks the finished task up in the state the app keeps per task, but the "
            "task was started by the process the system terminated and nothing listed the session's tasks "
            "(getAllTasks) in this one: its events find nothing, and the app starts the transfer again",
        )
    unknown = max(0, daemon_session.unknown_tasks - len(daemon_session.finished))
    scratch.world = scratch.world.with_daemon_session(replace(daemon_session, finished=(), unknown_tasks=unknown))
    if identifier in scratch.process.finish_due:
        _did_finish_events(scratch, live, site.finish_events, skips=event.skips_handler)


def _app_invalidates(scratch: _Step, event: Event) -> None:
    assert isinstance(event, AppInvalidates)
    site = scratch.behaviour.site(event.site)
    live = scratch.process.session_of_site(site.name)
    assert live is not None
    _mark_invalidating(scratch, live)
    scratch.say(f"the app invalidates the session for {live.identifier} (finishTasksAndInvalidate)", APP_TO_DAEMON)
    if site.invalidation is Invalidation.RECREATE_AT_ONCE:
        _access_site(scratch, site, "right after invalidating the previous one", recreate=True)


def _did_become_invalid(scratch: _Step, event: Event) -> None:
    assert isinstance(event, DidBecomeInvalid)
    process = scratch.process
    gone = next(s for s in process.sessions if s.identifier == event.identifier and s.invalidating)
    scratch.set_process(replace(process, sessions=tuple(s for s in process.sessions if s != gone)))
    scratch.say(
        f"the session for {event.identifier} receives didBecomeInvalidWithError and is gone", DAEMON_TO_DELEGATE
    )
    if gone.site != HANDLE_EVENTS_SITE:
        site = scratch.behaviour.site(gone.site)
        if site.invalidation is Invalidation.NOT_RECREATED:
            process = scratch.process
            scratch.set_process(replace(process, invalidated_sites=process.invalidated_sites | {site.name}))
            # didBecomeInvalidWithError comes once the session's tasks are over: cancelled by
            # invalidateAndCancel, or finished and delivered after finishTasksAndInvalidate (R7). The app
            # meant to end the session, so nothing of it is left waiting in the daemon.
            daemon_session = scratch.world.daemon_session(gone.identifier)
            if daemon_session is not None:
                scratch.world = scratch.world.with_daemon_session(
                    replace(daemon_session, in_flight=(), finished=(), unknown_tasks=0)
                )
        if site.invalidation is Invalidation.RECREATE_AFTER_INVALID:
            _access_site(scratch, site, "from didBecomeInvalidWithError", recreate=True, actor="delegate")


def _extension_runs(scratch: _Step, _: Event) -> None:
    scratch.say("the app extension runs and starts its transfers", APP_TO_DAEMON)
    created: dict[str, str] = {}
    for declared in scratch.behaviour.extension_sites():
        site = declared
        # The extension's own process: the same rules about creating sessions hold there.
        if not site.delegate:
            scratch.violate(
                codes.MISSING_DELEGATE,
                f"the extension's {site.name} creates its background session without a delegate",
            )
        if not site.memoized and len(site.task_kinds) > 1:
            scratch.violate(
                codes.SESSION_RECREATED,
                f"the extension's {site.name} creates another session for each transfer it starts, "
                "while the first one is alive",
            )
        if site.stable and site.identifier in created:
            scratch.violate(
                codes.DUPLICATE_IDENTIFIER,
                f"the extension's {site.name} creates a session for {site.identifier}, which "
                f"{created[site.identifier]} already uses",
            )
            continue
        created[site.identifier] = site.name
        identifier = site.identifier
        if not site.stable:
            identifier = f"{site.identifier}#{scratch.world.next_unique}"
            scratch.world = replace(scratch.world, next_unique=scratch.world.next_unique + 1)
            site = dc_replace(site, identifier=identifier)
        if not site.shared_container:
            scratch.violate(
                codes.EXTENSION_MISSING_SHARED_CONTAINER,
                f"the extension's session for {site.identifier} has no sharedContainerIdentifier, "
                "so it is invalidated on creation and its transfers fail",
            )
            continue
        process = scratch.world.process
        app_session = process.live_session(site.identifier) if process is not None else None
        # The app reconnecting the extension's identifier from handleEvents is the documented
        # design; the app's own site using the same identifier is the defect.
        if app_session is not None and app_session.site != HANDLE_EVENTS_SITE:
            scratch.violate(
                codes.DUPLICATE_IDENTIFIER,
                f"the app and its extension both connect to {site.identifier}; only one process "
                "can use a background session at a time",
            )
            continue
        kinds = [_SUPPORTED_FORM.get(kind, kind) for kind in site.task_kinds]
        for kind in site.task_kinds:
            if kind in _REJECTED_TASKS:
                scratch.violate(*_REJECTED_TASKS[kind])
        _ensure_daemon_session(scratch, site.identifier, site.sends_launch_events)
        daemon_session = scratch.world.daemon_session(site.identifier)
        assert daemon_session is not None
        scratch.world = scratch.world.with_daemon_session(
            replace(daemon_session, in_flight=tuple(kinds[:MAX_IN_FLIGHT]))
        )


def _suspend(scratch: _Step, _: Event) -> None:
    process = scratch.process
    scratch.say("the system suspends the app", IOS_TO_APP)
    if process.data_tasks:
        identifier = process.data_tasks[0]
        scratch.violate(
            codes.DATA_TASK_IN_BACKGROUND,
            f"a data task of {identifier} is still in flight when the app is suspended, so it fails",
        )
        # As with rejected tasks, the model goes on as if the app had used a download task, so that
        # this defect does not hide what the rest of the code does with the session's events.
        for data_identifier in sorted(set(process.data_tasks)):
            daemon_session = scratch.world.daemon_session(data_identifier)
            if daemon_session is not None:
                kept = tuple(TaskKind.DOWNLOAD if k is TaskKind.DATA else k for k in daemon_session.in_flight)
                scratch.world = scratch.world.with_daemon_session(replace(daemon_session, in_flight=kept))
    # Inference (R11): once the app is suspended, the system no longer waits for its handlers.
    scratch.set_process(
        replace(process, suspended=True, foreground=False, awaiting=(), finish_due=frozenset(), data_tasks=())
    )


def _system_terminates(scratch: _Step, _: Event) -> None:
    scratch.set_process(None)
    scratch.say("the system terminates the suspended app; its transfers go on in the daemon", IOS_TO_APP)
    if _tracks_tasks(scratch.behaviour):
        # The process's per-task state is gone with it: every task the daemon still holds is unknown
        # to the next process.
        forgotten = tuple(replace(s, unknown_tasks=len(s.finished) + len(s.in_flight)) for s in scratch.world.daemon)
        scratch.world = replace(scratch.world, daemon=forgotten)


def _force_quit(scratch: _Step, _: Event) -> None:
    # R21: a force quit cancels the transfers, and the system relaunches nothing until the user does.
    scratch.set_process(None)
    cancelled = tuple(replace(s, in_flight=(), finished=(), unknown_tasks=0) for s in scratch.world.daemon)
    scratch.world = replace(scratch.world, daemon=cancelled, force_quit=True)
    scratch.say("the user force-quits the app; the system cancels its transfers", IOS_TO_DAEMON)


def _user_foreground(scratch: _Step, _: Event) -> None:
    # Seed correction: this does not run didFinishLaunching again.
    scratch.set_process(replace(scratch.process, foreground=True, suspended=False, finish_due=frozenset()))
    scratch.say("the user brings the app to the foreground", IOS_TO_APP)


_APPLY = {
    UserLaunch: _user_launch,
    BackgroundRelaunch: _background_relaunch,
    BackgroundResume: _background_resume,
    MoreEvents: _more_events,
    StartTransfer: _start_transfer,
    TransferFinishes: _transfer_finishes,
    DeliverEvents: _deliver_events,
    AppInvalidates: _app_invalidates,
    DidBecomeInvalid: _did_become_invalid,
    ExtensionRuns: _extension_runs,
    Suspend: _suspend,
    SystemTerminates: _system_terminates,
    ForceQuit: _force_quit,
    UserForeground: _user_foreground,
}


# --- the app's hooks ------------------------------------------------------------------------------


def _did_finish_launching(scratch: _Step) -> None:
    for site in scratch.behaviour.app_sites():
        if site.created_at_launch:
            _access_site(scratch, site, "in didFinishLaunching")


def _handle_events(scratch: _Step, identifier: str) -> None:
    handle_events = scratch.behaviour.handle_events
    handler = scratch.world.next_handler
    process = scratch.process
    scratch.world = replace(scratch.world, next_handler=handler + 1)
    scratch.set_process(
        replace(
            process,
            awaiting=(*process.awaiting, (identifier, handler)),
            finish_due=process.finish_due | {identifier},
        )
    )
    library = _library_of(scratch.behaviour, identifier)
    if library is not None:
        _hand_to_library(scratch, identifier, handler, library)
        return
    if not handle_events.present:
        scratch.violate(
            codes.MISSING_HANDLE_EVENTS,
            "the app delegate does not implement handleEventsForBackgroundURLSession, so the "
            f"completion handler for {identifier} is never called",
        )
        return
    if handle_events.checks_identifier and not _code_knows(scratch, identifier):
        made_here = [s for s in scratch.behaviour.sites if not s.stable and identifier.startswith(f"{s.identifier}#")]
        if made_here:
            scratch.violate(
                codes.UNSTABLE_IDENTIFIER,
                f"{identifier} was made at run time by {made_here[0].name}; handleEvents cannot recognise it, "
                "so its events are never delivered",
            )
        if handle_events.unknown is UnknownIdentifier.DROP:
            scratch.violate(
                codes.HANDLER_DROPPED,
                f"handleEvents does not recognise {identifier} and drops its completion handler",
            )
        else:
            scratch.say(f"handleEvents does not recognise {identifier} and calls the handler at once", APP_TO_IOS)
            _call_handler(scratch, identifier, handler, on_main=True)
        return
    match handle_events.action:
        case HandlerAction.DROP:
            scratch.violate(
                codes.HANDLER_DROPPED,
                f"handleEvents neither stores nor calls the completion handler for {identifier}",
            )
        case HandlerAction.CALL_AT_ONCE:
            scratch.say("handleEvents calls the completion handler at once", APP_TO_IOS)
            daemon_session = scratch.world.daemon_session(identifier)
            if daemon_session is not None and daemon_session.finished:
                scratch.violate(
                    codes.HANDLER_CALLED_EARLY,
                    f"handleEvents calls the completion handler before {identifier}'s events are delivered",
                )
            _call_handler(scratch, identifier, handler, on_main=True)
        case HandlerAction.STORE:
            _store_handler(scratch, identifier, handler)
    _reconnect(scratch, identifier)
    if handle_events.action is HandlerAction.STORE:
        _check_reconnected(scratch, identifier)


def _hand_to_library(scratch: _Step, identifier: str, handler: int, library: HostLibrary) -> None:
    """The relaunch is for a host library's session: only the library knows when its events are done."""
    if library.forwarded:
        process = scratch.process
        kept = tuple(entry for entry in process.keyed_handlers if entry[0] != identifier)
        scratch.set_process(replace(process, keyed_handlers=(*kept, (identifier, handler))))
        scratch.say(
            f"handleEvents hands the completion handler for {identifier} to {library.name}, as {library.name} "
            "documents",
            Move("app", "delegate"),
        )
        return
    what = (
        f"handleEvents does not hand the completion handler for {identifier} to {library.name}"
        if scratch.behaviour.handle_events.present
        else "the app delegate does not implement handleEventsForBackgroundURLSession, so the completion handler "
        f"for {identifier} never reaches {library.name}"
    )
    scratch.violate(
        codes.HOST_FORWARDING_MISSING,
        f"{what}; {library.name}'s delegate calls only a handler it was given, so the handler is never called "
        "and the system keeps waiting",
    )


def _store_handler(scratch: _Step, identifier: str, handler: int) -> None:
    process = scratch.process
    if scratch.behaviour.handle_events.store is HandlerStore.KEYED:
        kept = tuple(entry for entry in process.keyed_handlers if entry[0] != identifier)
        scratch.set_process(replace(process, keyed_handlers=(*kept, (identifier, handler))))
        scratch.say(f"handleEvents stores the completion handler under {identifier}", APP_ALONE)
        return
    previous = process.slot_handler
    if previous is not None and any(waiting == previous for _, waiting in process.awaiting):
        other = next(key for key, waiting in process.awaiting if waiting == previous)
        scratch.violate(
            codes.SINGLE_HANDLER_SLOT,
            f"handleEvents stores the handler for {identifier} in the single handler property, "
            f"replacing the one for {other}, which is now never called",
        )
    scratch.set_process(replace(process, slot_handler=handler))
    scratch.say("handleEvents stores the completion handler in its handler property", APP_ALONE)


def _reconnect(scratch: _Step, identifier: str) -> None:
    handle_events = scratch.behaviour.handle_events
    match handle_events.reconnect:
        case Reconnect.NONE:
            return
        case Reconnect.MATCHING:
            for site in scratch.behaviour.app_sites():
                if site.stable and site.identifier == identifier:
                    _access_site(scratch, site, "in handleEvents")
        case Reconnect.ALL:
            for site in scratch.behaviour.app_sites():
                if site.library is None:  # a library's session is the library's to create
                    _access_site(scratch, site, "in handleEvents")
        case Reconnect.FROM_IDENTIFIER:
            existing = scratch.process.live_session(identifier)
            if existing is not None and not handle_events.creates_unconditionally:
                scratch.say(f"handleEvents finds the existing session for {identifier}", APP_ALONE)
                return
            template = scratch.behaviour.app_sites()[0] if scratch.behaviour.app_sites() else None
            _create_session(
                scratch,
                HANDLE_EVENTS_SITE,
                identifier,
                delegate=template.delegate if template else True,
                main_queue=template.delegate_queue_main if template else False,
                launch_events=True,
                why="in handleEvents, from the identifier it receives",
            )


def _check_reconnected(scratch: _Step, identifier: str) -> None:
    if scratch.process.live_session(identifier) is not None:
        return
    unstable = [s for s in scratch.behaviour.app_sites() if not s.stable and identifier.startswith(s.identifier)]
    if unstable and scratch.behaviour.handle_events.reconnect is not Reconnect.NONE:
        scratch.violate(
            codes.UNSTABLE_IDENTIFIER,
            f"{unstable[0].name} makes a new identifier in every launch, so no session for "
            f"{identifier} is ever created again and its handler is never called",
        )
        return
    scratch.violate(
        codes.SESSION_NOT_RECONNECTED,
        f"nothing creates or touches the session for {identifier} during the relaunch, so its "
        "events are never delivered and its handler is never called",
    )


def _did_finish_events(scratch: _Step, live: LiveSession, finish: FinishEvents, *, skips: bool = False) -> None:
    identifier = live.identifier
    process = scratch.process
    # A host library keeps the handler it was given under its own session's identifier.
    library = _library_of(scratch.behaviour, identifier) is not None
    store = HandlerStore.KEYED if library else scratch.behaviour.handle_events.store
    held = process.keyed_handler(identifier) if store is HandlerStore.KEYED else process.slot_handler
    waiting_here = [handler for key, handler in process.awaiting if key == identifier]
    if not finish.present or not finish.calls_handler:
        what = "is not implemented" if not finish.present else "does not call the completion handler"
        scratch.say(f"urlSessionDidFinishEvents {what}", DELEGATE_ALONE)
        if held is not None and held in waiting_here:
            scratch.violate(
                codes.HANDLER_NEVER_CALLED,
                f"nothing calls the stored completion handler for {identifier}, so the system keeps waiting",
            )
        return
    if held is None:
        scratch.say("urlSessionDidFinishEvents finds no stored handler", DELEGATE_ALONE)
        return
    if skips:
        # The handler stays stored and the system keeps waiting for it: no snapshot is taken, and the
        # app stays awake in the background until iOS suspends it (R9, R10; the wait ends at R11).
        scratch.say("urlSessionDidFinishEvents returns on a path that does not call the stored handler", DELEGATE_ALONE)
        if held in waiting_here:
            scratch.violate(
                codes.HANDLER_CALLED_ON_SOME_PATHS,
                f"urlSessionDidFinishEvents returns without calling the stored completion handler for {identifier} "
                "on one of its paths, so the system keeps waiting and takes no new snapshot",
            )
        return
    if store is HandlerStore.SINGLE_SLOT:
        owner = next((key for key, handler in process.awaiting if handler == held), identifier)
        if owner != identifier:
            scratch.violate(
                codes.SINGLE_HANDLER_SLOT,
                f"urlSessionDidFinishEvents for {identifier} calls the handler stored for {owner}, "
                f"before {owner}'s events are delivered",
            )
    on_main = finish.on_main or live.main_queue
    scratch.say(
        "urlSessionDidFinishEvents calls the stored handler"
        + (" on the main thread" if on_main else " on the delegate queue"),
        DELEGATE_TO_IOS,
    )
    _call_handler(scratch, identifier, held, on_main=on_main)
    if finish.clears:
        process = scratch.process
        if store is HandlerStore.KEYED:
            kept = tuple(entry for entry in process.keyed_handlers if entry[0] != identifier)
            scratch.set_process(replace(process, keyed_handlers=kept))
        else:
            scratch.set_process(replace(process, slot_handler=None))
    if live.site == HANDLE_EVENTS_SITE and scratch.behaviour.handle_events.invalidates_created:
        _mark_invalidating(scratch, live)
        scratch.say(f"the app invalidates the session handleEvents created for {identifier}", DELEGATE_TO_DAEMON)


def _call_handler(scratch: _Step, identifier: str, handler: int, *, on_main: bool) -> None:
    if handler in scratch.world.called_handlers:
        scratch.violate(
            codes.HANDLER_NOT_CLEARED,
            f"the completion handler for {identifier} is called a second time: it was not cleared after the first call",
        )
    elif not on_main:
        scratch.violate(
            codes.HANDLER_OFF_MAIN_THREAD,
            f"the completion handler for {identifier} is called off the main thread; UIKit requires the main thread",
        )
    scratch.handlers_called.append(handler)
    process = scratch.process
    scratch.world = replace(scratch.world, called_handlers=scratch.world.called_handlers | {handler})
    awaiting = tuple(entry for entry in process.awaiting if entry[1] != handler)
    scratch.set_process(replace(process, awaiting=awaiting))


# --- sessions ---------------------------------------------------------------------------------------


def _access_site(
    scratch: _Step, site: SessionSite, why: str, *, recreate: bool = False, actor: Party = "app"
) -> LiveSession:
    """The app's code reaches a site: a memoized site returns the object it holds, even one still
    invalidating; any other site, or explicit re-creation, creates a session."""
    existing = scratch.process.session_of_site(site.name, invalidating=True)
    if site.memoized and existing is not None and not recreate:
        return existing
    if site.memoized and site.name in scratch.process.invalidated_sites and not recreate:
        # The holder returns the object it invalidated: no session is created, and iOS no longer knows it.
        return LiveSession(site.name, site.identifier, site.delegate, site.delegate_queue_main, invalidating=True)
    if site.stable:
        identifier = site.identifier
    else:
        if _check_unstable(scratch, site, existing, recreate):
            assert existing is not None
            return existing
        identifier = f"{site.identifier}#{scratch.world.next_unique}"
        scratch.world = replace(scratch.world, next_unique=scratch.world.next_unique + 1)
    return _create_session(
        scratch,
        site.name,
        identifier,
        delegate=site.delegate,
        main_queue=site.delegate_queue_main,
        launch_events=site.sends_launch_events,
        why=why,
        actor=actor,
    )


def _create_session(
    scratch: _Step,
    site: str,
    identifier: str,
    *,
    delegate: bool,
    main_queue: bool,
    launch_events: bool,
    why: str,
    actor: Party = "app",
) -> LiveSession:
    process = scratch.process
    existing = process.live_session(identifier)
    if existing is not None:
        # R2/R7: iOS returns the object it already has, with the old delegate and configuration.
        state = "still invalidating" if existing.invalidating else "still alive"
        if existing.site == site or HANDLE_EVENTS_SITE in (site, existing.site):
            scratch.violate(
                codes.SESSION_RECREATED,
                f"{_site_label(site)} creates another session for {identifier} {why}, while the previous "
                f"one is {state}; iOS returns the previous object",
            )
        else:
            scratch.violate(
                codes.DUPLICATE_IDENTIFIER,
                f"{_site_label(site)} creates a session for {identifier}, which {_site_label(existing.site)} "
                "already uses; iOS returns that session with its delegate",
            )
        return existing
    if not delegate:
        # R8: the delegate is required; without one the session's events can never be delivered.
        scratch.violate(
            codes.MISSING_DELEGATE,
            f"{_site_label(site)} creates the background session for {identifier} without a delegate, "
            "so its events can never be delivered",
        )
    live = LiveSession(site, identifier, delegate, main_queue)
    scratch.set_process(replace(process, sessions=(*process.sessions, live)))
    _ensure_daemon_session(scratch, identifier, launch_events)
    delegate_note = "" if delegate else " without a delegate"
    scratch.say(f"{_site_label(site)} creates the session for {identifier}{delegate_note} {why}", Move(actor, "daemon"))
    return live


def _check_unstable(scratch: _Step, site: SessionSite, existing: LiveSession | None, recreate: bool) -> bool:
    """A site whose identifier changes on every creation (R3): it never finds its earlier sessions.
    True when the site already has a live session: the model then carries on with that one, so that
    the re-creation (BGS002) is reported once rather than through its consequences."""
    if existing is not None and not existing.invalidating and not recreate:
        scratch.violate(
            codes.SESSION_RECREATED,
            f"{site.name} creates another background session (with a new identifier) while its "
            f"session {existing.identifier} is still alive",
        )
        return True
    live = {session.identifier for session in scratch.process.sessions}
    orphans = [
        daemon_session.identifier
        for daemon_session in scratch.world.daemon
        if daemon_session.identifier.startswith(f"{site.identifier}#") and daemon_session.identifier not in live
    ]
    if orphans:
        scratch.violate(
            codes.UNSTABLE_IDENTIFIER,
            f"{site.name} makes a new identifier, so the session {orphans[0]} from an earlier launch, "
            "and its transfers, are never reconnected",
        )
    return False


def _ensure_daemon_session(scratch: _Step, identifier: str, launch_events: bool) -> None:
    daemon_session = scratch.world.daemon_session(identifier)
    if daemon_session is None:
        daemon_session = DaemonSession(identifier)
    scratch.world = scratch.world.with_daemon_session(replace(daemon_session, launch_events=launch_events))


def _mark_invalidating(scratch: _Step, live: LiveSession) -> None:
    process = scratch.process
    sessions = tuple(replace(s, invalidating=True) if s == live else s for s in process.sessions)
    scratch.set_process(replace(process, sessions=sessions))


def _check_undeliverable(scratch: _Step) -> None:
    """R8: a session without a delegate cannot receive its events; the rest of the chain stalls."""
    process = scratch.world.process
    if process is None or process.suspended:
        return
    for daemon_session in scratch.world.daemon:
        live = process.live_session(daemon_session.identifier)
        if daemon_session.finished and live is not None and not live.delegate:
            scratch.violate(
                codes.MISSING_DELEGATE,
                f"{daemon_session.identifier}'s events are waiting, but its session has no delegate to "
                "receive them, so urlSessionDidFinishEvents never comes",
            )


def _code_knows(scratch: _Step, identifier: str) -> bool:
    stable = {site.identifier for site in scratch.behaviour.sites if site.stable}
    return identifier in stable or scratch.process.live_session(identifier) is not None


def _site_of(behaviour: AppBehaviour, live: LiveSession) -> SessionSite:
    if live.site == HANDLE_EVENTS_SITE:
        return behaviour.app_sites()[0] if behaviour.app_sites() else behaviour.sites[0]
    return behaviour.site(live.site)


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _site_label(site: str) -> str:
    return "handleEvents" if site == HANDLE_EVENTS_SITE else site
