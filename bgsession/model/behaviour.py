"""What the app's code does at each lifecycle hook: the model's input, in the linter's vocabulary.

An `AppBehaviour` is deliberately coarse. Every knob corresponds to a fact the linter can read
off source code (DESIGN.md, "Facts"), so a project summary converts into a behaviour and the
model's verdict can be compared with the rules' verdict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class TaskKind(Enum):
    """How the app creates a transfer on a background session."""

    DOWNLOAD = "download task"
    UPLOAD_FILE = "upload task from a file"
    UPLOAD_DATA = "upload task from in-memory data"
    DATA = "data task"
    CONVENIENCE = "completion-handler or async convenience task"


class HandlerAction(Enum):
    """What `application(_:handleEventsForBackgroundURLSession:completionHandler:)` does with the handler."""

    STORE = "stores it"
    DROP = "neither stores nor calls it"
    CALL_AT_ONCE = "calls it at once"


class HandlerStore(Enum):
    """Where a stored completion handler lives."""

    KEYED = "keyed by identifier"
    SINGLE_SLOT = "in a single property"


class Reconnect(Enum):
    """Which sessions `handleEvents` touches (creates or looks up) for the identifier it is given."""

    NONE = "touches no session"
    MATCHING = "touches the session whose identifier matches"
    ALL = "touches every session the app owns"
    FROM_IDENTIFIER = "creates a session from the identifier it is given"


class UnknownIdentifier(Enum):
    """What `handleEvents` does for an identifier it does not recognise (only when it checks)."""

    CALL_AT_ONCE = "calls the handler at once"
    DROP = "drops the handler"


class Invalidation(Enum):
    """Whether, and how, the app invalidates a session and then creates it again."""

    NEVER = "never invalidates"
    RECREATE_AT_ONCE = "invalidates and re-creates at once"
    RECREATE_AFTER_INVALID = "invalidates and re-creates from didBecomeInvalidWithError"
    # The holder keeps the invalidated object for the rest of the process (a lazy or stored property
    # of a singleton) and nothing creates the session again: later tasks are asked of a dead session.
    NOT_RECREATED = "invalidates and keeps the invalidated session"


@dataclass(frozen=True, slots=True)
class FinishEvents:
    """The session delegate's `urlSessionDidFinishEvents(forBackgroundURLSession:)`.

    It looks the handler up where `handleEvents` stored it: by the session's identifier in a keyed
    store, or in the single property. `every_path` False: some path through it returns without
    calling the handler (on a condition such as "no uploads pending"), which the app may take.
    """

    present: bool = True
    calls_handler: bool = True
    on_main: bool = True
    clears: bool = True
    every_path: bool = True


@dataclass(frozen=True, slots=True)
class HostLibrary:
    """A dependency that runs its own background session (a React Native or Capacitor plugin, a Swift
    download manager). Its delegate calls only a completion handler the app delegate handed it, in the
    way the library's documentation gives; `forwarded` says whether the app delegate does."""

    name: str
    forwarded: bool = True


@dataclass(frozen=True, slots=True)
class SessionSite:
    """One place in the code that creates a background session, and the session's configuration.

    `identifier` is the identifier's stable value, or a base name when `stable` is False (each
    creation then gets a fresh value, as `UUID().uuidString` does).

    `keeps_task_state`: the delegate finds what to do with a task's events in in-memory state the app
    filled when it started the task (a map keyed by taskIdentifier, the task or its URL);
    `lists_tasks`: after creating the session the app asks it for its tasks (getAllTasks) and rebuilds
    that state. `library`: the session is a host library's, not the app's own code; the site's other
    knobs then describe the library's code, which is taken to be correct.
    """

    name: str
    identifier: str
    stable: bool = True
    memoized: bool = True
    delegate: bool = True
    delegate_queue_main: bool = False
    sends_launch_events: bool = True
    in_extension: bool = False
    shared_container: bool = False
    created_at_launch: bool = True
    task_kinds: tuple[TaskKind, ...] = (TaskKind.DOWNLOAD,)
    moves_download_synchronously: bool = True
    invalidation: Invalidation = Invalidation.NEVER
    finish_events: FinishEvents = field(default_factory=FinishEvents)
    keeps_task_state: bool = False
    lists_tasks: bool = False
    library: HostLibrary | None = None


@dataclass(frozen=True, slots=True)
class HandleEvents:
    """The app delegate's `application(_:handleEventsForBackgroundURLSession:completionHandler:)`.

    `checks_identifier` says whether the code branches on the identifier; only then does an
    identifier it does not know take the `unknown` path. `creates_unconditionally` is the seed
    page's pattern: a fresh session made in `handleEvents` every time it runs, which
    `invalidates_created` then invalidates after its events are delivered.
    """

    present: bool = True
    action: HandlerAction = HandlerAction.STORE
    store: HandlerStore = HandlerStore.KEYED
    reconnect: Reconnect = Reconnect.MATCHING
    checks_identifier: bool = False
    unknown: UnknownIdentifier = UnknownIdentifier.CALL_AT_ONCE
    creates_unconditionally: bool = False
    invalidates_created: bool = False


@dataclass(frozen=True, slots=True)
class AppBehaviour:
    """The whole app: its session sites and its `handleEvents` implementation."""

    sites: tuple[SessionSite, ...]
    handle_events: HandleEvents = field(default_factory=HandleEvents)

    def __post_init__(self) -> None:
        names = [site.name for site in self.sites]
        if len(set(names)) != len(names):
            raise ValueError(f"session site names must be unique: {names}")
        if not self.sites:
            raise ValueError("an app behaviour needs at least one session site")

    def app_sites(self) -> tuple[SessionSite, ...]:
        return tuple(site for site in self.sites if not site.in_extension)

    def extension_sites(self) -> tuple[SessionSite, ...]:
        return tuple(site for site in self.sites if site.in_extension)

    def site(self, name: str) -> SessionSite:
        for candidate in self.sites:
            if candidate.name == name:
                return candidate
        raise KeyError(name)
