"""Test-only templates: a `Knobs` value rendered as a small Swift or Objective-C app project."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jinja2

from tests.agreement.space import Extras, Finish, Handle, Identifiers, Knobs, Library

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class Group:
    """The managers handleEvents reconnects when the identifier equals `compare`."""

    compare: str
    managers: list[str]


def _identifier_expr(lang: str, identifier: str, unstable: bool) -> str:
    if lang == "swift":
        return f'"{identifier}." + UUID().uuidString' if unstable else f'"{identifier}"'
    return f'[@"{identifier}." stringByAppendingString:[NSUUID UUID].UUIDString]' if unstable else f'@"{identifier}"'


def _groups(lang: str, knobs: Knobs, managers: list[str]) -> list[Group]:
    if knobs.identifiers is Identifiers.UNSTABLE:
        # The code cannot name an identifier made at run time: it compares with its live session's.
        live = (
            f"{managers[0]}.shared.session.configuration.identifier"
            if lang == "swift"
            else f"[{managers[0]} sharedManager].session.configuration.identifier"
        )
        return [Group(live, managers)]
    by_identifier: dict[str, list[str]] = {}
    for manager, identifier in zip(managers, knobs.site_identifiers(), strict=True):
        by_identifier.setdefault(identifier, []).append(manager)
    return [
        Group(f'"{identifier}"' if lang == "swift" else f'@"{identifier}"', names)
        for identifier, names in by_identifier.items()
    ]


def render_project(knobs: Knobs, lang: str, extras: Extras | None = None) -> dict[str, str]:
    """File name -> source text of the app `knobs` describes, in `lang` ("swift" or "objc"), with the
    invalidation, per-task state and host library of `extras` when given (its base is `knobs`)."""
    assert extras is None or extras.base == knobs
    identifiers = knobs.site_identifiers()
    managers = [f"Manager{index + 1}" for index in range(len(identifiers))]
    common = {
        "keyed": knobs.keyed,
        "handle": knobs.handle.name,
        "finish": knobs.finish.name,
        "managers": managers,
        "groups": _groups(lang, knobs, managers),
        "memoized": knobs.memoized,
        "delegate": knobs.delegate,
        "launch_events": knobs.launch_events,
        "task": knobs.task.name,
        "on_main": knobs.finish in (Finish.MAIN_CLEARS, Finish.MAIN_KEEPS, Finish.MAIN_SOME_PATHS),
        "clears": knobs.finish in (Finish.MAIN_CLEARS, Finish.DIRECT_CLEARS, Finish.MAIN_SOME_PATHS),
        "some_paths": knobs.finish is Finish.MAIN_SOME_PATHS,
        "invalidation": extras.invalidation.name if extras else "NONE",
        "task_state": extras.task_state.name if extras else "NONE",
        "library": extras.library.name if extras else "NONE",
    }
    unstable = knobs.identifiers is Identifiers.UNSTABLE
    files: dict[str, str] = {}
    if lang == "swift":
        files["AppDelegate.swift"] = _ENV.get_template("AppDelegate.swift.j2").render(common)
        for manager, identifier in zip(managers, identifiers, strict=True):
            files[f"{manager}.swift"] = _ENV.get_template("Manager.swift.j2").render(
                common, manager=manager, identifier=_identifier_expr(lang, identifier, unstable)
            )
    else:
        files["main.m"] = _ENV.get_template("main.m.j2").render(common)
        files["AppDelegate.h"] = _ENV.get_template("AppDelegate.h.j2").render(common)
        files["AppDelegate.m"] = _ENV.get_template("AppDelegate.m.j2").render(common)
        for manager, identifier in zip(managers, identifiers, strict=True):
            values = {"manager": manager, "identifier": _identifier_expr(lang, identifier, unstable)}
            files[f"{manager}.h"] = _ENV.get_template("Manager.h.j2").render(common, **values)
            files[f"{manager}.m"] = _ENV.get_template("Manager.m.j2").render(common, **values)
    if extras is not None and extras.library is not Library.NONE:
        files["Podfile.lock"] = _ENV.get_template("Podfile.lock.j2").render()
        if lang == "swift":
            files["Library.swift"] = _ENV.get_template("Library.swift.j2").render()
        else:
            files["DownloadManager.h"] = _ENV.get_template("DownloadManager.h.j2").render()
    return files


__all__ = ["Handle", "render_project"]
