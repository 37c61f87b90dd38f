"""The state of the system the model steps through: the transfer daemon and the app process.

Everything here is immutable and hashable so that `explore` can keep a set of visited states.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bgsession.model.behaviour import TaskKind

# The site name of sessions that `handleEvents` creates from the identifier it is given.
HANDLE_EVENTS_SITE = "handleEvents"

# An identifier the daemon still knows from an earlier version of the app, which the current code
# does not create. It only matters when `handleEvents` branches on the identifier.
UNKNOWN_IDENTIFIER = "an identifier from an earlier version of the app"


@dataclass(frozen=True, slots=True)
class DaemonSession:
    """The transfer daemon's session for one identifier. It outlives the app process (R4)."""

    identifier: str
    in_flight: tuple[TaskKind, ...] = ()
    finished: tuple[TaskKind, ...] = ()
    launch_events: bool = True


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A URLSession object in the app process.

    `invalidating` is the window between `finishTasksAndInvalidate`/`invalidateAndCancel` and
    `didBecomeInvalidWithError`, during which creating the identifier again returns this object (R7).
    """

    site: str
    identifier: str
    delegate: bool
    main_queue: bool
    invalidating: bool = False


@dataclass(frozen=True, slots=True)
class Process:
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


@dataclass(frozen=True, slots=True)
class World:
    """The daemon, the process (None when the app is not running) and the system's bookkeeping."""

    daemon: tuple[DaemonSession, ...] = ()
    process: Process | None = None
    force_quit: bool = False
    next_handler: int = 1
    next_unique: int = 1
    called_handlers: frozenset[int] = field(default_factory=frozenset)

    def daemon_session(self, identifier: str) -> DaemonSession | None:
        for session in self.daemon:
            if session.identifier == identifier:
                return session
        return None

    def with_daemon_session(self, session: DaemonSession) -> World:
        others = tuple(s for s in self.daemon if s.identifier != session.identifier)
        ordered = tuple(sorted((*others, session), key=lambda s: s.identifier))
        return replace(self, daemon=ordered)
