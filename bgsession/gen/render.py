"""Render a GenSpec into Swift or Objective-C files, or into one named snippet, with strict jinja2."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cache
from typing import Any

import jinja2

from bgsession import __version__
from bgsession.gen.escape import comment_text, objc_string, swift_string
from bgsession.gen.marker import stamp
from bgsession.gen.names import upper_camel
from bgsession.gen.spec import GenSpec, Lang, SessionOptions, SpecError, Style, SwiftUIVariant


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    """One output file: its name relative to the output folder, and its text."""

    name: str
    text: str


@cache
def environment() -> jinja2.Environment:
    """One strict environment: an undefined value is an error, never an empty string in Swift."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("bgsession", "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


# Snippet name -> macro in the language's parts.j2, per language and style.
_SWIFT_SNIPPETS = {
    "manager": "manager",
    "events-protocol": "events_protocol",
    "delegate": "delegate",
    "did-finish-events": "did_finish_events",
}
_SWIFT_HANDLER_SNIPPETS = {"handler-store": "handler_store", "handle-events": "handle_events"}
_SWIFT_TASK_SNIPPETS = {"waiters": "waiters", "scene": "scene", "app": "app"}
_SWIFT_ADAPTOR_SNIPPETS = {"app-delegate": "adaptor_delegate", "app": "app"}
_SWIFT_UIKIT_SNIPPETS = {"app-delegate": "app_delegate_extension"}
_SWIFT_WATCH_SNIPPETS = {"refresh-tasks": "refresh_store", "handle-background-tasks": "handle_background_tasks"}
_OBJC_WATCH_SNIPPETS = {
    "refresh-tasks-interface": "refresh_store_interface",
    "refresh-tasks": "refresh_store_implementation",
    "handle-background-tasks": "handle_background_tasks",
    "app-delegate": "app_delegate_category",
}
_OBJC_SNIPPETS = {
    "manager-interface": "manager_interface",
    "manager": "manager_implementation",
    "did-finish-events": "did_finish_events",
    "handler-store-interface": "handler_store_interface",
    "handler-store": "handler_store_implementation",
    "handle-events": "handle_events",
    "app-delegate": "app_delegate_category",
}


def snippet_names(spec: GenSpec) -> dict[str, str]:
    """The snippets available for this language and style, each mapped to its macro."""
    if spec.lang is Lang.OBJC:
        if spec.style is Style.WATCHOS:
            common = {k: v for k, v in _OBJC_SNIPPETS.items() if not k.startswith(("handle", "app-delegate"))}
            return common | _OBJC_WATCH_SNIPPETS
        return dict(_OBJC_SNIPPETS)
    names = dict(_SWIFT_SNIPPETS)
    if spec.style is Style.WATCHOS:
        return names | _SWIFT_WATCH_SNIPPETS
    if spec.style is Style.SWIFTUI and spec.swiftui_variant is SwiftUIVariant.TASK:
        names.update(_SWIFT_TASK_SNIPPETS)
    else:
        names.update(_SWIFT_HANDLER_SNIPPETS)
        if spec.style is Style.SWIFTUI and not spec.own_adaptor:
            names.update(_SWIFT_ADAPTOR_SNIPPETS)
        else:
            names.update(_SWIFT_UIKIT_SNIPPETS)
            if spec.style is Style.SWIFTUI:
                names["app"] = "app"
    return names


def render_files(spec: GenSpec) -> list[GeneratedFile]:
    """Every file for the spec's language and style, in a fixed order."""
    ctx = build_context(spec)
    templates = environment()
    return [
        GeneratedFile(name, stamp(templates.get_template(template).render(ctx=ctx)))
        for name, template in _file_plan(spec, ctx)
    ]


def render_snippet(spec: GenSpec, part: str) -> str:
    """One named part, for pasting into an existing project."""
    names = snippet_names(spec)
    if part not in names:
        raise SpecError(
            f"unknown snippet {part!r} for {spec.lang.value}/{spec.style.value}; choose one of "
            + ", ".join(sorted(names))
        )
    ctx = build_context(spec)
    module = environment().get_template(f"{spec.lang.value}/parts.j2").module
    macro = getattr(module, names[part])
    body = textwrap.dedent(str(macro(ctx))).strip("\n")
    return f"{getattr(module, 'header')(ctx)}\n\n{body}\n"


def extension_target_files(spec: GenSpec) -> list[str]:
    """The generated files that also go into the app extension's target (extension style only)."""
    if spec.style is not Style.EXTENSION:
        return []
    files = build_context(spec)["files"]
    if spec.lang is Lang.OBJC:
        return [files["manager_h"], files["manager_m"], files["handlers_h"], files["handlers_m"]]
    return [files["sessions"]]


def _file_plan(spec: GenSpec, ctx: dict[str, Any]) -> list[tuple[str, str]]:
    files: dict[str, str] = ctx["files"]
    if spec.lang is Lang.OBJC and spec.style is Style.WATCHOS:
        return [
            (files["manager_h"], "objc/manager.h.j2"),
            (files["manager_m"], "objc/manager.m.j2"),
            (files["refresh_h"], "objc/refresh.h.j2"),
            (files["refresh_m"], "objc/refresh.m.j2"),
            (files["app_delegate"], "objc/app_delegate_category.m.j2"),
        ]
    if spec.lang is Lang.OBJC:
        return [
            (files["manager_h"], "objc/manager.h.j2"),
            (files["manager_m"], "objc/manager.m.j2"),
            (files["handlers_h"], "objc/handlers.h.j2"),
            (files["handlers_m"], "objc/handlers.m.j2"),
            (files["app_delegate"], "objc/app_delegate_category.m.j2"),
        ]
    plan = [(files["sessions"], "swift/sessions.swift.j2")]
    if spec.style is Style.WATCHOS:
        plan += [
            (files["refresh"], "swift/refresh.swift.j2"),
            (files["app_delegate"], "swift/app_delegate_extension.swift.j2"),
        ]
    elif spec.style is Style.UIKIT:
        plan += [
            (files["handlers"], "swift/handlers.swift.j2"),
            (files["app_delegate"], "swift/app_delegate_extension.swift.j2"),
        ]
    elif spec.style is Style.EXTENSION:
        plan += [(files["app_delegate"], "swift/app_delegate_extension.swift.j2")]
    elif spec.swiftui_variant is SwiftUIVariant.TASK:
        plan += [(files["waiters"], "swift/waiters.swift.j2"), (files["scene"], "swift/scene.swift.j2")]
    elif spec.own_adaptor:
        plan += [
            (files["handlers"], "swift/handlers.swift.j2"),
            (files["app_delegate"], "swift/app_delegate_extension.swift.j2"),
        ]
    else:
        plan += [(files["handlers"], "swift/handlers.swift.j2"), (files["adaptor"], "swift/adaptor_delegate.swift.j2")]
    return plan


def build_context(spec: GenSpec) -> dict[str, Any]:
    """Every name and escaped value the templates use, computed here so templates stay simple."""
    p = spec.prefix
    types = {
        "manager": f"{p}BackgroundSessionManager",
        "delegate": f"{p}BackgroundSessionDelegate",
        "events": f"{p}BackgroundTransferEvents",
        "handlers": f"{p}BackgroundCompletionHandlers",
        "waiters": f"{p}BackgroundSessionEvents",
        "adaptor": f"{p}BackgroundSessionsAppDelegate",
        "app": f"{p}BackgroundSessionsApp",
        "category": f"{p}BackgroundSessions",
        "refresh": f"{p}BackgroundRefreshTasks",
    }
    if spec.lang is Lang.OBJC:
        files = {
            "manager_h": f"{types['manager']}.h",
            "manager_m": f"{types['manager']}.m",
            "handlers_h": f"{types['handlers']}.h",
            "handlers_m": f"{types['handlers']}.m",
            "refresh_h": f"{types['refresh']}.h",
            "refresh_m": f"{types['refresh']}.m",
            "app_delegate": f"{spec.app_delegate}+{types['category']}.m",
        }
    else:
        files = {
            "sessions": f"{p}BackgroundSessions.swift",
            "handlers": f"{types['handlers']}.swift",
            "app_delegate": f"{spec.app_delegate}+{types['category']}.swift",
            "adaptor": f"{types['adaptor']}.swift",
            "waiters": f"{types['waiters']}.swift",
            "scene": f"{p}BackgroundSessionScene.swift",
            "refresh": f"{types['refresh']}.swift",
        }
    uses_waiters = spec.style is Style.SWIFTUI and spec.swiftui_variant is SwiftUIVariant.TASK
    launch = _LAUNCH_HOOKS[spec.lang][spec.style]
    return {
        "tool": "bgsession",
        "version": __version__,
        "command_line": spec.command_line(),
        "style": spec.style.value,
        "swiftui_variant": spec.swiftui_variant.value,
        "app_delegate": spec.app_delegate,
        "types": types,
        "files": files,
        "completion": "waiters" if uses_waiters else "refresh" if spec.style is Style.WATCHOS else "handlers",
        # An extension's session must be created by the containing app only when iOS wakes it for
        # that session (one process at a time), so extension output has no reconnect-all helper.
        "reconnect_at_launch": spec.style is not Style.EXTENSION,
        "configure_when": f"{launch}, before anything touches a manager",
        "reconnect_when": launch,
        # With --app-delegate, a SwiftUI app's own adaptor class gets an extension (SwiftUI allows one).
        "adaptor_class": spec.app_delegate if spec.own_adaptor else types["adaptor"],
        "scene_method": "backgroundURLSessionTasks",
        "sessions": [_session_context(spec, s.identifier, s.name, s.options) for s in spec.sessions],
    }


# Where each style's launch-time setup goes (the comments name it; the code cannot check it).
_LAUNCH_HOOKS = {
    Lang.SWIFT: {
        Style.UIKIT: "early in `application(_:didFinishLaunchingWithOptions:)`",
        Style.SWIFTUI: "in your App's `init()`",
        Style.EXTENSION: "when the extension starts and early in the containing app's launch",
        Style.WATCHOS: "early in `applicationDidFinishLaunching()`",
    },
    Lang.OBJC: {
        Style.UIKIT: "early in application:didFinishLaunchingWithOptions:",
        Style.SWIFTUI: "in your App's init()",
        Style.EXTENSION: "when the extension starts and early in the containing app's launch",
        Style.WATCHOS: "early in applicationDidFinishLaunching",
    },
}


def _session_context(spec: GenSpec, identifier: str, name: str, options: SessionOptions) -> dict[str, Any]:
    title = upper_camel(name)
    return {
        "name": name,
        "identifier_swift": swift_string(identifier),
        "identifier_objc": objc_string(identifier),
        "identifier_comment": comment_text(identifier),
        "constant": f"{spec.prefix}{title}SessionIdentifier",
        # "shared" keeps the getter out of ARC's alloc/new/copy/init method families.
        "objc_getter": f"shared{title}Manager",
        "swift_option_lines": _swift_options(options),
        "objc_option_lines": _objc_options(options),
    }


def _swift_options(options: SessionOptions) -> list[str]:
    lines = []
    if options.discretionary is not None:
        lines.append(f"configuration.isDiscretionary = {_swift_bool(options.discretionary)}")
    if options.launch_events is not None:
        lines.append(f"configuration.sessionSendsLaunchEvents = {_swift_bool(options.launch_events)}")
    if options.cellular is not None:
        lines.append(f"configuration.allowsCellularAccess = {_swift_bool(options.cellular)}")
    if options.resource_timeout is not None:
        lines.append(f"configuration.timeoutIntervalForResource = {_number(options.resource_timeout)}")
    if options.max_connections is not None:
        lines.append(f"configuration.httpMaximumConnectionsPerHost = {options.max_connections}")
    if options.shared_container is not None:
        lines.append(f"configuration.sharedContainerIdentifier = {swift_string(options.shared_container)}")
    return lines


def _objc_options(options: SessionOptions) -> list[str]:
    lines = []
    if options.discretionary is not None:
        lines.append(f"configuration.discretionary = {_objc_bool(options.discretionary)};")
    if options.launch_events is not None:
        lines.append(f"configuration.sessionSendsLaunchEvents = {_objc_bool(options.launch_events)};")
    if options.cellular is not None:
        lines.append(f"configuration.allowsCellularAccess = {_objc_bool(options.cellular)};")
    if options.resource_timeout is not None:
        lines.append(f"configuration.timeoutIntervalForResource = {_number(options.resource_timeout)};")
    if options.max_connections is not None:
        lines.append(f"configuration.HTTPMaximumConnectionsPerHost = {options.max_connections};")
    if options.shared_container is not None:
        lines.append(f"configuration.sharedContainerIdentifier = {objc_string(options.shared_container)};")
    return lines


def _swift_bool(value: bool) -> str:
    return "true" if value else "false"


def _objc_bool(value: bool) -> str:
    return "YES" if value else "NO"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
