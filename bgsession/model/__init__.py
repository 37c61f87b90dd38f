"""The reference model of the iOS background-session lifecycle: the rules' oracle and `--explain`'s traces.

Plain Python with no dependency on the rest of the package (an import-linter contract checks it).
"""

from __future__ import annotations

from bgsession.model.behaviour import (
    AppBehaviour,
    FinishEvents,
    HandleEvents,
    HandlerAction,
    HandlerStore,
    HostLibrary,
    Invalidation,
    Reconnect,
    SessionSite,
    TaskKind,
    UnknownIdentifier,
)
from bgsession.model.codes import COVERED_CODES, UNCOVERED_CODES, Violation
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
from bgsession.model.explore import DEFAULT_BOUND, Trace, explore
from bgsession.model.lifecycle import (
    ImpossibleEventError,
    State,
    Transition,
    describe_event,
    enabled_events,
    initial_state,
    step,
)
from bgsession.model.parties import PARTIES, Move, Party
from bgsession.model.world import DaemonSession, LiveSession, Process, World

__all__ = [
    "COVERED_CODES",
    "DEFAULT_BOUND",
    "PARTIES",
    "UNCOVERED_CODES",
    "AppBehaviour",
    "AppInvalidates",
    "BackgroundRelaunch",
    "BackgroundResume",
    "DaemonSession",
    "DeliverEvents",
    "DidBecomeInvalid",
    "Event",
    "ExtensionRuns",
    "FinishEvents",
    "ForceQuit",
    "HandleEvents",
    "HandlerAction",
    "HandlerStore",
    "HostLibrary",
    "ImpossibleEventError",
    "Invalidation",
    "LiveSession",
    "MoreEvents",
    "Move",
    "Party",
    "Process",
    "Reconnect",
    "SessionSite",
    "StartTransfer",
    "State",
    "Suspend",
    "SystemTerminates",
    "TaskKind",
    "Trace",
    "TransferFinishes",
    "Transition",
    "UnknownIdentifier",
    "UserForeground",
    "UserLaunch",
    "Violation",
    "World",
    "describe_event",
    "enabled_events",
    "explore",
    "initial_state",
    "step",
]
