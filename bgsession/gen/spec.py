"""What to generate, validated: languages, styles, identifiers and the configuration options."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum
from typing import TypeVar

from bgsession.errors import UsageError
from bgsession.gen.escape import INVISIBLE, comment_text
from bgsession.gen.names import is_valid_name, member_names

_E = TypeVar("_E", bound=Enum)


class Lang(Enum):
    SWIFT = "swift"
    OBJC = "objc"


class Style(Enum):
    UIKIT = "uikit"
    SWIFTUI = "swiftui"
    EXTENSION = "extension"
    WATCHOS = "watchos"


class SwiftUIVariant(Enum):
    """How a SwiftUI app receives the events: the scene's backgroundTask, or a delegate adaptor."""

    TASK = "task"
    ADAPTOR = "adaptor"


class SpecError(UsageError):
    """The generator's input is invalid; the message names the value and the problem."""


@dataclass(frozen=True, slots=True)
class SessionOptions:
    """URLSessionConfiguration options. None leaves the system default (and emits no line)."""

    discretionary: bool | None = None
    launch_events: bool | None = None
    cellular: bool | None = None
    resource_timeout: float | None = None
    max_connections: int | None = None
    shared_container: str | None = None


@dataclass(frozen=True, slots=True)
class SessionSpec:
    identifier: str
    name: str
    options: SessionOptions


@dataclass(frozen=True, slots=True)
class GenSpec:
    lang: Lang
    style: Style
    sessions: tuple[SessionSpec, ...]
    prefix: str = ""
    app_delegate: str = "AppDelegate"
    swiftui_variant: SwiftUIVariant = SwiftUIVariant.TASK
    warnings: tuple[str, ...] = field(default=(), compare=False)
    # --app-delegate was given (for a SwiftUI adaptor app: the class to extend instead of a new one).
    app_delegate_given: bool = False
    # The command that writes these files again, for their header; empty: the options' own flags.
    regenerate: str = field(default="", compare=False)

    @property
    def own_adaptor(self) -> bool:
        """A SwiftUI adaptor app that names its own delegate class: the output extends that class."""
        return (
            self.style is Style.SWIFTUI and self.swiftui_variant is SwiftUIVariant.ADAPTOR and self.app_delegate_given
        )

    def command_line(self) -> str:
        """The options that reproduce this output, for the generated files' headers."""
        if self.regenerate:
            return self.regenerate
        words = ["bgsession gen", f"--lang {self.lang.value}", f"--style {self.style.value}"]
        if self.style is Style.SWIFTUI:
            words.append(f"--swiftui-variant {self.swiftui_variant.value}")
        if self.prefix:
            words.append(f"--prefix {self.prefix}")
        if self.app_delegate_given or self.app_delegate != "AppDelegate":
            words.append(f"--app-delegate {self.app_delegate}")
        words.extend(f"--identifier {comment_text(s.identifier)}" for s in self.sessions)
        shared = {s.options for s in self.sessions}
        if len(shared) == 1:
            words.extend(option_words(self.sessions[0].options))
        else:
            words.append("(per-session options from a config file)")
        return " ".join(words)


def option_words(options: SessionOptions) -> list[str]:
    words: list[str] = []
    for flag, value in (
        ("discretionary", options.discretionary),
        ("launch-events", options.launch_events),
        ("cellular", options.cellular),
    ):
        if value is not None:
            words.append(f"--{flag}" if value else f"--no-{flag}")
    if options.resource_timeout is not None:
        words.append(f"--resource-timeout {options.resource_timeout:g}")
    if options.max_connections is not None:
        words.append(f"--max-connections {options.max_connections}")
    if options.shared_container is not None:
        words.append(f"--shared-container {comment_text(options.shared_container)}")
    return words


_REVERSE_DNS = re.compile(r"[A-Za-z0-9-]+(\.[A-Za-z0-9_-]+)+\Z")


def check_identifier_text(value: str, what: str) -> None:
    """Reject what cannot be a session or container identifier: empty, whitespace, control characters."""
    if not value:
        raise SpecError(f"{what} must not be empty")
    for char in value:
        category = unicodedata.category(char)
        if char.isspace() or category in {"Cc", "Cs", "Zl", "Zp"}:
            raise SpecError(f"{what} {value!r} contains {_describe(char)}; identifiers cannot contain it")
        if category == "Cf":
            raise SpecError(f"{what} {value!r} contains the invisible format character {_describe(char)}")
        if char in INVISIBLE:
            raise SpecError(f"{what} {value!r} contains the invisible character {_describe(char)}")


def _describe(char: str) -> str:
    name = unicodedata.name(char, "")
    return f"U+{ord(char):04X}" + (f" {name}" if name else "")


def build_spec(
    *,
    lang: str,
    style: str,
    identifiers: list[str],
    prefix: str = "",
    app_delegate: str | None = None,
    swiftui_variant: str = "task",
    options: SessionOptions | None = None,
    per_session: list[SessionOptions] | None = None,
) -> GenSpec:
    """Validate everything the user chose; raise SpecError naming the first problem found."""
    lang_value = _choice(Lang, lang, "--lang")
    style_value = _choice(Style, style, "--style")
    variant = _choice(SwiftUIVariant, swiftui_variant, "--swiftui-variant")
    if style_value is Style.SWIFTUI and lang_value is Lang.OBJC:
        raise SpecError("--style swiftui needs --lang swift: SwiftUI apps are written in Swift")
    if not identifiers:
        raise SpecError("give at least one --identifier")
    # Swift compares strings by canonical equivalence: `café` precomposed and decomposed are one
    # identifier there, so they are one here (written in NFC), and giving both is a duplicate.
    given = identifiers
    identifiers = [unicodedata.normalize("NFC", identifier) for identifier in identifiers]
    if len(set(identifiers)) != len(identifiers):
        index = next(n for n, i in enumerate(identifiers) if identifiers.count(i) > 1)
        same = "" if given.count(given[index]) > 1 else " (the same text once Unicode-normalised)"
        raise SpecError(
            f"identifier {identifiers[index]!r} is given twice{same}; each background session needs its own identifier"
        )
    warnings: list[str] = []
    for identifier in identifiers:
        check_identifier_text(identifier, "identifier")
        if not _REVERSE_DNS.match(identifier):
            warnings.append(
                f"identifier {identifier!r} is not in reverse-DNS style (for example com.example.app.downloads)"
            )
    if lang_value is Lang.OBJC and not prefix:
        warnings.append(
            "Objective-C class names share one namespace: give a three-letter --prefix (for example ACM) "
            "so the generated classes cannot collide with another library's"
        )
    if prefix and not is_valid_name(prefix):
        raise SpecError(
            f"prefix {prefix!r} must be an ASCII identifier valid in Swift and Objective-C and not a reserved word"
        )
    app_delegate_given = app_delegate is not None
    app_delegate = app_delegate or "AppDelegate"
    if not is_valid_name(app_delegate):
        raise SpecError(f"app delegate class name {app_delegate!r} is not a valid class name")
    session_options = per_session or [options or SessionOptions()] * len(identifiers)
    if len(session_options) != len(identifiers):
        raise SpecError("internal: one set of options per identifier is needed")
    for identifier, chosen in zip(identifiers, session_options, strict=True):
        _check_options(identifier, chosen, style_value)
    names = member_names(identifiers)
    sessions = tuple(
        SessionSpec(identifier, name, chosen)
        for identifier, name, chosen in zip(identifiers, names, session_options, strict=True)
    )
    return GenSpec(
        lang=lang_value,
        style=style_value,
        sessions=sessions,
        prefix=prefix,
        app_delegate=app_delegate,
        app_delegate_given=app_delegate_given,
        swiftui_variant=variant,
        warnings=tuple(warnings),
    )


def _choice(enum: type[_E], value: str, flag: str) -> _E:
    for member in enum:
        if member.value == value:
            return member
    allowed = "|".join(str(m.value) for m in enum)
    raise SpecError(f"{flag} must be one of {allowed}, not {value!r}")


def _check_options(identifier: str, options: SessionOptions, style: Style) -> None:
    if options.resource_timeout is not None and not (0 < options.resource_timeout < 1e9):
        raise SpecError(f"resource timeout for {identifier!r} must be a positive number of seconds")
    if options.max_connections is not None and not (0 < options.max_connections <= 1024):
        raise SpecError(f"maximum connections per host for {identifier!r} must be between 1 and 1024")
    if options.shared_container is not None:
        check_identifier_text(options.shared_container, "shared container identifier")
    if style is Style.EXTENSION and options.shared_container is None:
        raise SpecError(
            f"--style extension needs --shared-container for {identifier!r}: an app extension's background "
            "session fails without a shared container"
        )
