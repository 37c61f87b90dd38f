"""The values this package hands out: targets, apps and problems, small and immutable."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class TargetKind(Enum):
    APP = "app"
    EXTENSION = "extension"
    WATCH_APP = "watch-app"
    WATCH_EXTENSION = "watch-extension"
    APP_CLIP = "app-clip"
    FRAMEWORK = "framework"
    TEST = "test"
    OTHER = "other"


class Origin(Enum):
    """What decided the target: a project file, a package convention, or the nearest Info.plist."""

    XCODE = "Xcode project"
    SWIFTPM = "Swift package"
    PLIST = "nearest Info.plist"
    DEFAULT = "no project, package or Info.plist"


# A watchOS app's own extension: its events go to the watch app it is part of, not to a containing iOS
# app, so the "app extension hands events to its containing app" requirements do not apply to it.
WATCHKIT_EXTENSION_POINT = "com.apple.watchkit"


@dataclass(frozen=True, slots=True)
class Problem:
    """A project or lock file that could not be read, in one line naming it."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True, slots=True)
class Target:
    """One thing Xcode or SwiftPM builds. `ident` is unique across projects (path of the project plus
    the target's object identifier); `embeds` and `depends` hold other targets' `ident`s.

    `app_groups` is None when they cannot be known (an entitlements file that could not be read, or a
    value with a build setting that could not be expanded); `()` when the target has no app groups."""

    ident: str
    name: str
    kind: TargetKind
    origin: Origin
    project: str
    product_type: str = ""
    extension_point: str | None = None
    info_plists: tuple[str, ...] = ()
    entitlements: tuple[str, ...] = ()
    app_groups: tuple[str, ...] | None = ()
    embeds: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()

    @property
    def hands_events_to_app(self) -> bool:
        """An app extension whose background events are delivered to its containing app (share, widget,
        notification service, ...): not a watchOS app's WatchKit extension."""
        return self.kind is TargetKind.EXTENSION and self.extension_point != WATCHKIT_EXTENSION_POINT


@dataclass(frozen=True, slots=True)
class App:
    """An application target and the targets that ship inside it: embedded extensions, its watch app
    and that app's extension, and the frameworks any of them depend on. `members` starts with `app`."""

    app: Target
    members: tuple[Target, ...]

    @property
    def name(self) -> str:
        return self.app.name
