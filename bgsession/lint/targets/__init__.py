"""The project as Xcode and SwiftPM build it: targets, apps, and the host app's dependencies.

The lint pipeline reads them once per linted folder (`project/apps.py`); rules see them through
`ProjectSummary.context` (`context.py`).
"""

from __future__ import annotations

from bgsession.lint.targets.apps import TargetMap, build_map
from bgsession.lint.targets.hosts import (
    Dependency,
    Ecosystem,
    Forwarding,
    HostLibrary,
    libraries_used,
    load_libraries,
    read_dependencies,
)
from bgsession.lint.targets.values import WATCHKIT_EXTENSION_POINT, App, Origin, Problem, Target, TargetKind

__all__ = [
    "WATCHKIT_EXTENSION_POINT",
    "App",
    "Dependency",
    "Ecosystem",
    "Forwarding",
    "HostLibrary",
    "Origin",
    "Problem",
    "Target",
    "TargetKind",
    "TargetMap",
    "build_map",
    "libraries_used",
    "load_libraries",
    "read_dependencies",
]
