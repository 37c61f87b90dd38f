"""What one app unit knows of the project as Xcode builds it: the app (when a project decided it),
each file's targets inside that app, and the host app's dependencies.

Rules that need targets, entitlements or host frameworks ask this; when no project file decided the
app (`app is None`) they must stay silent rather than guess from folder names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bgsession.lint.targets.hosts import Dependency, HostLibrary, libraries_used
from bgsession.lint.targets.values import App, Origin, Target


@dataclass(frozen=True)
class AppContext:
    """`app`: the application target and its members, or None when no Xcode project decided the unit.
    `files`: each file's targets, restricted to the app's members when it is in any of them.
    `dependencies`: from the lock and manifest files of the linted folder the app was found in."""

    app: App | None = None
    files: Mapping[str, tuple[Target, ...]] = field(default_factory=dict)
    dependencies: tuple[Dependency, ...] = ()

    def targets_of(self, path: str) -> tuple[Target, ...]:
        """The targets that build `path` in this app; `()` when unknown."""
        return self.files.get(path, ())

    def declared_targets_of(self, path: str) -> tuple[Target, ...]:
        """The targets a project file (not the Info.plist fallback) says build `path`."""
        return tuple(target for target in self.targets_of(path) if target.origin is Origin.XCODE)

    def libraries(self) -> list[tuple[HostLibrary, Dependency]]:
        """The background-transfer libraries of `host_libraries.toml` this app depends on."""
        return libraries_used(self.dependencies)


UNKNOWN = AppContext()
