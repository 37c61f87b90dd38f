"""The events that move the model: what the user, the system and the app's own code paths do."""

from __future__ import annotations

from dataclasses import dataclass

from bgsession.model.behaviour import TaskKind


@dataclass(frozen=True, slots=True)
class UserLaunch:
    """The user launches the app; UIKit calls didFinishLaunching."""


@dataclass(frozen=True, slots=True)
class BackgroundRelaunch:
    """The system launches the app in the background for `identifier`: didFinishLaunching, then handleEvents."""

    identifier: str


@dataclass(frozen=True, slots=True)
class BackgroundResume:
    """The system resumes a suspended app in the background for `identifier` and calls handleEvents."""

    identifier: str


@dataclass(frozen=True, slots=True)
class MoreEvents:
    """While the app runs in the background, the system calls handleEvents for another identifier."""

    identifier: str


@dataclass(frozen=True, slots=True)
class StartTransfer:
    """A foreground code path of the app (the user's action) starts a task on a session site."""

    site: str
    kind: TaskKind


@dataclass(frozen=True, slots=True)
class TransferFinishes:
    """The daemon finishes one of `identifier`'s transfers; its events wait for delivery."""

    identifier: str


@dataclass(frozen=True, slots=True)
class DeliverEvents:
    """The session's task events reach its delegate, then urlSessionDidFinishEvents if handleEvents ran.
    With `skips_handler`, urlSessionDidFinishEvents takes a path of the app's code that does not call
    the handler (only possible when the code has one: FinishEvents.every_path is False)."""

    identifier: str
    skips_handler: bool = False


@dataclass(frozen=True, slots=True)
class AppInvalidates:
    """A code path of the app invalidates the session of a site (finishTasksAndInvalidate)."""

    site: str


@dataclass(frozen=True, slots=True)
class DidBecomeInvalid:
    """The delegate receives didBecomeInvalidWithError; the identifier is free again (R7)."""

    identifier: str


@dataclass(frozen=True, slots=True)
class ExtensionRuns:
    """The app extension's one-shot entry point runs in its own process and starts its transfers."""


@dataclass(frozen=True, slots=True)
class Suspend:
    """The system suspends the app (it left the foreground, or its background time is over)."""


@dataclass(frozen=True, slots=True)
class SystemTerminates:
    """The system terminates the suspended app to reclaim memory; transfers continue (R4)."""


@dataclass(frozen=True, slots=True)
class ForceQuit:
    """The user force-quits the app from the app switcher: transfers are cancelled (R21)."""


@dataclass(frozen=True, slots=True)
class UserForeground:
    """The user brings a suspended or background-launched app to the foreground."""


Event = (
    UserLaunch
    | BackgroundRelaunch
    | BackgroundResume
    | MoreEvents
    | StartTransfer
    | TransferFinishes
    | DeliverEvents
    | AppInvalidates
    | DidBecomeInvalid
    | ExtensionRuns
    | Suspend
    | SystemTerminates
    | ForceQuit
    | UserForeground
)
