"""Info.plist and entitlements: the extension point, watchOS markers and app groups.

plistlib reads XML and binary plists; it refuses XML entity declarations, so a hostile plist cannot
expand entities, and the size cap bounds the rest.
"""

from __future__ import annotations

from collections.abc import Mapping

from bgsession.lint.targets.safe import MIB, read_capped
from bgsession.lint.targets.values import Problem

PLIST_LIMIT = 1 * MIB
APP_GROUPS_KEY = "com.apple.security.application-groups"


def read_plist(path: str) -> dict[str, object] | Problem:
    """The plist's top-level dictionary, or a problem naming the file."""
    data = read_capped(path, PLIST_LIMIT)
    if isinstance(data, Problem):
        return data
    import plistlib  # only a project with an Info.plist or entitlements needs it

    try:
        value = plistlib.loads(data)
    except RecursionError:
        return Problem(path, "is nested too deeply to read")
    except Exception as error:  # plistlib raises several unrelated types on malformed input
        return Problem(path, f"is not a valid property list ({type(error).__name__})")
    if not isinstance(value, dict):
        return Problem(path, "is a property list without a top-level dictionary")
    return {str(key): item for key, item in value.items()}


def extension_point(info: Mapping[str, object]) -> str | None:
    """`NSExtension.NSExtensionPointIdentifier` (app extensions) or, for ExtensionKit extensions,
    `EXAppExtensionAttributes.EXExtensionPointIdentifier`."""
    for outer, inner in (
        ("NSExtension", "NSExtensionPointIdentifier"),
        ("EXAppExtensionAttributes", "EXExtensionPointIdentifier"),
    ):
        section = info.get(outer)
        if isinstance(section, dict):
            point = section.get(inner)
            if isinstance(point, str) and point:
                return point
    return None


def is_watch_app(info: Mapping[str, object]) -> bool:
    return any(bool(info.get(key)) for key in ("WKApplication", "WKWatchKitApp", "WKWatchOnly"))


def app_groups(entitlements: Mapping[str, object]) -> tuple[str, ...]:
    """The groups as written (build settings in them are expanded by the caller)."""
    value = entitlements.get(APP_GROUPS_KEY)
    if not isinstance(value, list):
        return ()
    return tuple(item for item in value if isinstance(item, str))
