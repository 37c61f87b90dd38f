"""The state of the system the model steps through: the transfer daemon and the app process.

Everything here is immutable and hashable so that `explore` can keep a set of visited states.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from bgsession.model.behaviour import TaskKind

# The site name of sessions that `handleEvents` creates from the identifier it is given.
HANDLE_EVENTS_SITE = "handleEvents"

# An identifier the daemon still knows from an earlier version of the app, which the current code
# does not create. It only matters when `handleEvents` branches on the identifier.
UNKNOWN_IDENTIFIER = "an identifier from an earlier version of the app"


class DaemonSession(NamedTuple):
    """The transfer daemon's session for one identifier. It outlives the app process (R4)."""

    identifier: str
    in_flight: tuple[TaskKind, ...] = ()
    finished: tuple[TaskKind, ...] = ()
    launch_events: bool = True
    # How many of the oldest tasks (finished first, then in flight) the app process's own per-task
    # state does not know: tasks an earlier process started. Counted only for behaviours that keep
    # such state without listing the session's tasks, so that other behaviours' state spaces stay as
    # they are.
    unknown_tasks: int = 0


class LiveSession(NamedTuple):
    """A URLSession object in the app process.

    `invalidating` is the window between `finishTasksAndInvalidate`/`invalidateAndCancel` and
    `didBecomeInvalidWithError`, during which creating the identifier again returns this object (R7).
    """

    site: str
    identifier: str
    delegate: bool
    main_queue: bool
    invalidating: bool = False


class Process(NamedTuple):
    """The app process. `launched_for` is None when the user launched it."""

    launched_for: str | None
    foreground: bool
    suspended: bool = False
    sessions: tuple[LiveSession, ...] = ()
    keyed_handlers: tuple[tuple[str, int], ...] = ()
    slot_handler: int | None = None
    # Handlers the system handed over and is still waiting for, as (identifier, handler) pairs.
    awaiting: tuple[tuple[str, int], ...] = ()
    # Identifiers whose handleEvents ran during this background run: their delegate receives
    # urlSessionDidFinishEvents after each delivery.
    finish_due: frozenset[str] = frozenset()
    data_tasks: tuple[str, ...] = ()
    # Sites whose holder keeps a session the app invalidated, for the rest of this process.
    invalidated_sites: frozenset[str] = frozenset()

    def live_session(self, identifier: str) -> LiveSession | None:
        for session in self.sessions:
            if session.identifier == identifier:
                return session
        return None

    def session_of_site(self, site: str, *, invalidating: bool = False) -> LiveSession | None:
        """The site's session; one still invalidating counts only when asked for."""
        for session in self.sessions:
            if session.site == site and (invalidating or not session.invalidating):
                return session
        return None

    @property
    def running(self) -> bool:
        return not self.suspended

    def keyed_handler(self, identifier: str) -> int | None:
        for key, handler in self.keyed_handlers:
            if key == identifier:
                return handler
        return None


class World(NamedTuple):
    """The daemon, the process (None when the app is not running) and the system's bookkeeping."""

    daemon: tuple[DaemonSession, ...] = ()
    process: Process | None = None
    force_quit: bool = False
    next_handler: int = 1
    next_unique: int = 1
    called_handlers: frozenset[int] = frozenset()

    def daemon_session(self, identifier: str) -> DaemonSession | None:
        for session in self.daemon:
            if session.identifier == identifier:
                return session
        return None

    def with_daemon_session(self, session: DaemonSession) -> World:
        others = tuple(s for s in self.daemon if s.identifier != session.identifier)
        ordered = tuple(sorted((*others, session), key=lambda s: s.identifier))
        return replace(self, daemon=ordered)


_State = TypeVar("_State", DaemonSession, LiveSession, Process, World)


def replace(obj: _State, **changes: Any) -> _State:
    """A copy of a state value with some fields changed. The state classes are NamedTuples rather
    than dataclasses because `explore` makes hundreds of thousands of these copies and hashes every
    state it reaches; tuples do both several times faster."""
    return obj._replace(**changes)
