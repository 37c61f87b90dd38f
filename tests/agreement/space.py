"""The bounded space of app behaviours the agreement test walks: every combination of the knobs.

Each `Knobs` value is both an `AppBehaviour` for the model and the input of the test-only templates
that render it as a small Swift or Objective-C project.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
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
