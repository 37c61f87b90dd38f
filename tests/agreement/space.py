"""The bounded space of app behaviours the agreement test walks: every combination of the knobs.

Each `Knobs` value is both an `AppBehaviour` for the model and the input of the test-only templates
that render it as a small Swift or Objective-C project.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import replace as dc_replace
from enum import Enum

from bgsession.model import behaviour as model


class Handle(Enum):
    ABSENT = "absent"
    STORES = "stores keyed, reconnects the matching session, completes unknown identifiers at once"
    STORES_NO_RECONNECT = "stores keyed, touches no session"
    DROPS = "touches the sessions, drops the handler"
    DROPS_UNKNOWN = "stores keyed for known identifiers, drops unknown ones"
    CALLS_EARLY = "touches the sessions, calls the handler at once"
    IGNORES_IDENTIFIER = "stores in one property, touches every session"


class Finish(Enum):
    ABSENT = "absent"
    NO_CALL = "present, does not call the handler"
    MAIN_CLEARS = "calls on main, clears"
    MAIN_KEEPS = "calls on main, does not clear"
    DIRECT_CLEARS = "calls on the delegate queue, clears"
    DIRECT_KEEPS = "calls on the delegate queue, does not clear"
    MAIN_SOME_PATHS = "calls on main and clears, but only when no task is still listed"


class Identifiers(Enum):
    ONE = "one identifier"
    TWO = "two identifiers"
    TWO_EQUAL = "two sessions, one identifier"
    UNSTABLE = "one identifier made from a UUID"


TASKS = (
    model.TaskKind.DOWNLOAD,
    model.TaskKind.UPLOAD_FILE,
    model.TaskKind.UPLOAD_DATA,
    model.TaskKind.DATA,
    model.TaskKind.CONVENIENCE,
)

IDENTIFIER_A = "com.example.app.alpha"
IDENTIFIER_B = "com.example.app.beta"


@dataclass(frozen=True, slots=True)
class Knobs:
    memoized: bool
    delegate: bool
    handle: Handle
    finish: Finish
    identifiers: Identifiers
    task: model.TaskKind
    launch_events: bool

    def label(self) -> str:
        return (
            f"{'memoized' if self.memoized else 'computed'}, {'delegate' if self.delegate else 'no delegate'}, "
            f"handleEvents {self.handle.name.lower()}, finish {self.finish.name.lower()}, "
            f"{self.identifiers.value}, {self.task.value}, launch events {'on' if self.launch_events else 'off'}"
        )

    def site_identifiers(self) -> list[str]:
        match self.identifiers:
            case Identifiers.ONE | Identifiers.UNSTABLE:
                return [IDENTIFIER_A]
            case Identifiers.TWO:
                return [IDENTIFIER_A, IDENTIFIER_B]
            case Identifiers.TWO_EQUAL:
                return [IDENTIFIER_A, IDENTIFIER_A]

    @property
    def keyed(self) -> bool:
        return self.handle is not Handle.IGNORES_IDENTIFIER


def every_knobs() -> Iterator[Knobs]:
    for values in itertools.product((True, False), (True, False), Handle, Finish, Identifiers, TASKS, (True, False)):
        yield Knobs(*values)


def behaviour(knobs: Knobs) -> model.AppBehaviour:
    """The model's view of the app the templates render for `knobs`."""
    finish = {
        Finish.ABSENT: model.FinishEvents(present=False),
        Finish.NO_CALL: model.FinishEvents(calls_handler=False),
        Finish.MAIN_CLEARS: model.FinishEvents(),
        Finish.MAIN_KEEPS: model.FinishEvents(clears=False),
        Finish.DIRECT_CLEARS: model.FinishEvents(on_main=False),
        Finish.DIRECT_KEEPS: model.FinishEvents(on_main=False, clears=False),
        Finish.MAIN_SOME_PATHS: model.FinishEvents(every_path=False),
    }[knobs.finish]
    sites = tuple(
        model.SessionSite(
            name=f"Manager{index + 1}.session",
            identifier=identifier,
            stable=knobs.identifiers is not Identifiers.UNSTABLE,
            memoized=knobs.memoized,
            delegate=knobs.delegate,
            sends_launch_events=knobs.launch_events,
            created_at_launch=False,
            task_kinds=(knobs.task,),
            finish_events=finish,
        )
        for index, identifier in enumerate(knobs.site_identifiers())
    )
    store = model.HandlerStore.KEYED if knobs.keyed else model.HandlerStore.SINGLE_SLOT
    handle = {
        Handle.ABSENT: model.HandleEvents(present=False),
        Handle.STORES: model.HandleEvents(checks_identifier=True),
        Handle.STORES_NO_RECONNECT: model.HandleEvents(reconnect=model.Reconnect.NONE),
        Handle.DROPS: model.HandleEvents(action=model.HandlerAction.DROP, reconnect=model.Reconnect.ALL),
        Handle.DROPS_UNKNOWN: model.HandleEvents(checks_identifier=True, unknown=model.UnknownIdentifier.DROP),
        Handle.CALLS_EARLY: model.HandleEvents(action=model.HandlerAction.CALL_AT_ONCE, reconnect=model.Reconnect.ALL),
        Handle.IGNORES_IDENTIFIER: model.HandleEvents(store=store, reconnect=model.Reconnect.ALL),
    }[knobs.handle]
    return model.AppBehaviour(sites=sites, handle_events=handle)


# --- the lifecycle rules the app's own state decides (BGS006, BGS018, BGS040) ------------------------
# Each has a space of its own: a few base apps, correct or with one common defect, times that rule's
# knob. Crossing them with the space above would multiply it for no new question.


class Invalidate(Enum):
    NONE = "never invalidated"
    SIGN_OUT = "invalidated on sign-out and kept"
    TEARDOWN = "invalidated in deinit/dealloc"
    RECREATED = "invalidated on sign-out, re-created from didBecomeInvalidWithError"


class TaskState(Enum):
    NONE = "no per-task state"
    KEYED = "per-task state by taskIdentifier"
    LISTED = "per-task state by taskIdentifier, rebuilt from getAllTasks"


class Library(Enum):
    NONE = "no host library"
    FORWARDED = "Tiercel, handler forwarded"
    NOT_FORWARDED = "Tiercel, handler not forwarded"


TIERCEL = "Tiercel"


@dataclass(frozen=True, slots=True)
class Extras:
    base: Knobs
    invalidation: Invalidate = Invalidate.NONE
    task_state: TaskState = TaskState.NONE
    library: Library = Library.NONE

    def label(self) -> str:
        return f"{self.base.label()}; {self.invalidation.value}; {self.task_state.value}; {self.library.value}"


def _bases() -> Iterator[Knobs]:
    for memoized, delegate, handle in itertools.product((True, False), (True, False), (Handle.STORES, Handle.ABSENT)):
        yield Knobs(memoized, delegate, handle, Finish.MAIN_CLEARS, Identifiers.ONE, model.TaskKind.DOWNLOAD, True)


def extras_space(code: str) -> list[Extras]:
    """The space of one of the three codes."""
    found: list[Extras] = []
    for base in _bases():
        match code:
            case "BGS006":
                # Re-creating a computed session from didBecomeInvalidWithError is not code anyone writes.
                found.extend(
                    Extras(base, invalidation=value)
                    for value in Invalidate
                    if base.memoized or value is not Invalidate.RECREATED
                )
            case "BGS040":
                found.extend(Extras(base, task_state=value) for value in TaskState)
            case "BGS018":
                # Forwarding needs a handleEvents to forward from.
                found.extend(
                    Extras(base, library=value)
                    for value in Library
                    if base.handle is not Handle.ABSENT or value is not Library.FORWARDED
                )
            case _:
                raise ValueError(code)
    return found


def extras_behaviour(extras: Extras) -> model.AppBehaviour:
    """The model's view of the app the templates render for `extras`."""
    app = behaviour(extras.base)
    site = app.sites[0]
    if extras.invalidation is Invalidate.RECREATED:
        # The session is made by a factory, which didBecomeInvalidWithError calls again.
        site = dc_replace(site, name=site.name.replace(".session", ".makeSession"))
    if extras.base.memoized:
        site = dc_replace(
            site,
            invalidation={
                Invalidate.NONE: model.Invalidation.NEVER,
                Invalidate.SIGN_OUT: model.Invalidation.NOT_RECREATED,
                Invalidate.TEARDOWN: model.Invalidation.NEVER,
                Invalidate.RECREATED: model.Invalidation.RECREATE_AFTER_INVALID,
            }[extras.invalidation],
        )
    if extras.task_state is not TaskState.NONE and extras.base.delegate:
        # Without a delegate no callback runs, so nothing is looked up.
        site = dc_replace(site, keeps_task_state=True, lists_tasks=extras.task_state is TaskState.LISTED)
    sites: tuple[model.SessionSite, ...] = (site,)
    if extras.library is not Library.NONE:
        library = model.HostLibrary(TIERCEL, forwarded=extras.library is Library.FORWARDED)
        sites += (model.SessionSite(TIERCEL, f"<{TIERCEL}'s identifier>", library=library),)
    return dc_replace(app, sites=sites)
