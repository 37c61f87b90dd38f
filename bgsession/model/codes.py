"""The rule codes from RULES.md that the model can violate, and why the others are out of its reach."""

from __future__ import annotations

from dataclasses import dataclass, field

DUPLICATE_IDENTIFIER = "BGS001"
SESSION_RECREATED = "BGS002"
MISSING_DELEGATE = "BGS003"
UNSTABLE_IDENTIFIER = "BGS004"
INVALIDATED_SESSION_REUSED = "BGS006"
MISSING_HANDLE_EVENTS = "BGS010"
HANDLER_DROPPED = "BGS011"
HANDLER_CALLED_EARLY = "BGS012"
HANDLER_NEVER_CALLED = "BGS013"
HANDLER_OFF_MAIN_THREAD = "BGS014"
HANDLER_NOT_CLEARED = "BGS015"
SINGLE_HANDLER_SLOT = "BGS016"
SESSION_NOT_RECONNECTED = "BGS017"
HOST_FORWARDING_MISSING = "BGS018"
HANDLER_CALLED_ON_SOME_PATHS = "BGS019"
COMPLETION_HANDLER_TASK = "BGS020"
UPLOAD_FROM_DATA = "BGS021"
DATA_TASK_IN_BACKGROUND = "BGS022"
DOWNLOAD_NOT_MOVED = "BGS023"
EXTENSION_MISSING_SHARED_CONTAINER = "BGS030"
TASKS_NOT_REATTACHED = "BGS040"

COVERED_CODES: tuple[str, ...] = (
    DUPLICATE_IDENTIFIER,
    SESSION_RECREATED,
    MISSING_DELEGATE,
    UNSTABLE_IDENTIFIER,
    INVALIDATED_SESSION_REUSED,
    MISSING_HANDLE_EVENTS,
    HANDLER_DROPPED,
    HANDLER_CALLED_EARLY,
    HANDLER_NEVER_CALLED,
    HANDLER_OFF_MAIN_THREAD,
    HANDLER_NOT_CLEARED,
    SINGLE_HANDLER_SLOT,
    SESSION_NOT_RECONNECTED,
    HOST_FORWARDING_MISSING,
    HANDLER_CALLED_ON_SOME_PATHS,
    COMPLETION_HANDLER_TASK,
    UPLOAD_FROM_DATA,
    DATA_TASK_IN_BACKGROUND,
    DOWNLOAD_NOT_MOVED,
    EXTENSION_MISSING_SHARED_CONTAINER,
    TASKS_NOT_REATTACHED,
)

# Codes the model does not decide, each with the reason. They are static facts about the source,
# not consequences of an event sequence, or they rest on behaviour Apple does not document.
UNCOVERED_CODES: dict[str, str] = {
    "BGS000": "a parse error is a fact about the source text, not about the lifecycle",
    "BGS005": (
        "the deprecated factory behaves like background(withIdentifier:) at run time; only its API status differs"
    ),
    "BGS025": (
        "Alamofire's Session(configuration:) stops the app with a precondition in the client's own initializer, "
        "before any URLSession exists: a fact about the client's API, the same in every event sequence, with no "
        "lifecycle state before or after it to model"
    ),
    "BGS031": "watchOS refresh tasks follow WatchKit's lifecycle, which this iOS model does not simulate",
    "BGS032": (
        "which of the delegate adaptor and the scene's backgroundTask receives the events is "
        "undocumented (APPLE.md R25), so no event sequence can be stated"
    ),
    "BGS034": (
        "whether the named app group is in the target's entitlements is fixed by the build before any event; "
        "what iOS does with a session naming a container the process is not entitled to is not documented "
        "(R20 documents only the property left unset, BGS030), so no event sequence can be stated"
    ),
    "BGS033": ("the failed cast is a fact about SwiftUI's delegate object, the same in every event sequence"),
    "BGS035": (
        "which of two category implementations the Objective-C runtime installs is undefined, decided at load "
        "time before any lifecycle event, so no event sequence can be stated"
    ),
}


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule broken by one step, with a sentence saying what went wrong. `step` is the index, among
    the sentences of the event that broke it, of the one at which it broke (the failing step a trace
    marks); it does not take part in comparisons."""

    code: str
    message: str
    step: int = field(default=0, compare=False)
