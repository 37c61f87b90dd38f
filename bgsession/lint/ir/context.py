"""Where an anchor sits, in both languages' terms, and how often that place can run (memoization).

The language extractors walk up from a call to fill a Context; `memo_of` turns it into a Memo. The
idioms come from RULES.md: `lazy var`, `static let`, stored `let` of a singleton, a computed property
backed by a cached optional, `dispatch_once`, an ivar nil check, `@synchronized`, a registry keyed by
identifier, a guard flag, and re-creation from didBecomeInvalidWithError are once; a computed property
that builds per access, a plain method, view lifecycle methods and handleEvents creating
unconditionally are not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bgsession.lint.facts import Memo, Owner, OwnerKind, closed
from bgsession.lint.ir.vocabulary import ASYNC_WORK, IN_LINE_CLOSURE_CALLS

VIEW_LIFECYCLE = frozenset(
    {
        "viewDidLoad",
        "viewWillAppear",
        "viewDidAppear",
        "viewWillDisappear",
        "viewDidDisappear",
        "loadView",
        "viewWillLayoutSubviews",
        "viewDidLayoutSubviews",
        "awakeFromNib",
        "layoutSubviews",
        "didMoveToWindow",
        "didMoveToSuperview",
        "prepareForReuse",
        "onAppear",
        "task",
        "body",
        "makeUIView",
        "updateUIView",
        "makeUIViewController",
        "updateUIViewController",
        "cellForRowAt",
        "tableView",
        "collectionView",
    }
)
LAUNCH_METHODS = frozenset(
    {"didFinishLaunchingWithOptions", "willFinishLaunchingWithOptions", "applicationDidFinishLaunching"}
)
# App extensions' one-shot entry points: each extension process runs them once (RULES.md, BGS002).
EXTENSION_ENTRY_POINTS = frozenset(
    {
        "didSelectPost",
        "beginRequest",
        "beginRequestWithExtensionContext",
        "didReceive",
        "didReceiveNotificationRequest",
        "serviceExtensionTimeWillExpire",
        "isContentValid",
    }
)
# Host frameworks' plugin set-up, run once per engine or bridge: Flutter's `register(with:)` /
# `registerWithRegistrar:`, Capacitor's `capacitorDidLoad`, Cordova's `pluginInitialize`.
PLUGIN_SET_UP = frozenset({"registerWithRegistrar", "capacitorDidLoad", "pluginInitialize"})
# Classes a host framework's script side drives (Dart, JavaScript): what they do at launch is decided by
# code outside the Swift and Objective-C the linter reads.
HOST_PLUGIN_TYPES = frozenset(
    {"FlutterPlugin", "FlutterStreamHandler", "RCTBridgeModule", "RCTEventEmitter", "CAPPlugin", "CDVPlugin"}
)
VIEW_TYPES = frozenset(
    {
        "UIViewController",
        "UITableViewController",
        "UICollectionViewController",
        "UINavigationController",
        "UITabBarController",
        "UIView",
        "UITableViewCell",
        "UICollectionViewCell",
        "View",
        "UIPageViewController",
        "UISplitViewController",
        "NSViewController",
        "NSView",
        "WKInterfaceController",
    }
)

_STATE_TEST = re.compile(
    r"\bnil\b|^\s*!|\blet\b|\bvar\b|\[|isEmpty|contains|first\b|\?\?|==\s*false|!=\s*true|"
    # Possessive quantifiers: `\s*` on both sides of an optional `)` made a long run of blanks quadratic.
    r"^\s*+\(?\s*+!?\s*+[_A-Za-z][\w.]*+\s*+(?:\)\s*+)?$|==\s*NULL|\bNULL\b"
)
_AVAILABILITY = re.compile(
    r"#available|@available|respondsToSelector|__IPHONE|IPHONE_OS_VERSION|swift\(|compiler\("
    r"|NSFoundationVersionNumber|kCFCoreFoundationVersionNumber|systemVersion|isOperatingSystemAtLeast"
)


@dataclass(slots=True)
class Context:
    """The surroundings of an anchor: its type, member, closures and conditions."""

    type_name: str | None = None
    type_kind: str | None = None
    member: str | None = None
    member_kind: str = "global"  # "property", "method", "init", "global", "function"
    static: bool = False
    lazy: bool = False
    computed: bool = False
    in_property_value: bool = False
    function_name: str | None = None
    function_labels: tuple[str, ...] = ()
    in_dispatch_once: bool = False
    in_synchronized: bool = False
    closure_calls: list[str] = field(default_factory=list)
    state_guarded: bool = False
    identifier_guarded: bool = False
    availability_guarded: bool = False
    nil_coalescing: bool = False
    branch: tuple[int, int] | None = None
    handle_events: bool = False
    after_invalidate: bool = False

    @property
    def owner(self) -> Owner:
        return Owner(self.type_name, self.member, closed(self.member_kind, OwnerKind), self.static)


_INIT_IDIOM = re.compile(r"^\(?\s*+(self|\(self\s*+=\s*+\[super init\w*+[^]]*+\]\))\s*+(!=\s*+nil)?\s*+\)?$")


# Calls that run their closure once per call of the code around them (a hop to a queue, a lock, a task,
# an in-line iteration): how often the closure's code runs is how often the enclosing code runs.
_CLOSURE_RUNS_WITH_CALLER = (
    ASYNC_WORK
    | {name.split(":", 1)[0] for name in ASYNC_WORK}
    | {name.split(":", 1)[0] for name in IN_LINE_CLOSURE_CALLS}
    | {
        "sync",
        "asyncAndWait",
        "dispatch_sync",
        "dispatch_barrier_async",
        "dispatch_barrier_sync",
        "Task",
        "detached",
        "run",
        "withLock",
        "performAndWait",
        "autoreleasepool",
        "withCheckedContinuation",
        "withCheckedThrowingContinuation",
        "withUnsafeContinuation",
        "withUnsafeThrowingContinuation",
        "withTaskGroup",
        "withThrowingTaskGroup",
        "addTask",
        "addOperationWithBlock",
        "filter",
        "reduce",
        "first",
        "contains",
        "sorted",
        "getAllTasks",
        "getTasksWithCompletionHandler",
        "getAllTasksWithCompletionHandler",
    }
)


def _called_name(call: str) -> str:
    """`Cache.shared.session(for:)` -> `session`; helpers are configured by their base name or in full."""
    return call.split("(", 1)[0].split(":", 1)[0].rsplit(".", 1)[-1]


def tests_state(condition: str) -> bool:
    """Whether an if/guard condition checks stored state (a cached value, a flag), making code below run once."""
    if _AVAILABILITY.search(condition) or _INIT_IDIOM.match(condition.strip()):
        return False
    return bool(_STATE_TEST.search(condition.strip()))


def is_availability(condition: str) -> bool:
    return bool(_AVAILABILITY.search(condition))


# `identifier == kID`, `kID != session.configuration.identifier`, `[identifier isEqualToString:kID]`,
# `[kID isEqualToString:identifier]`, `identifier.hasPrefix(kPrefix)`: the word is the handleEvents
# parameter or the configuration's property, the session's identifier in Apple's API (a `taskIdentifier`
# is a task's, not the session's). Whole words, taken possessively: each byte is looked at a bounded
# number of times however long the condition.
_IDENTIFIER_TEST = re.compile(
    r"\bidentifier\s*+[!=]=|[!=]=\s*+(?:\w++\.)*+identifier\b"
    r"|\bidentifier(?:\s++|\.)(?:isEqual|hasPrefix|hasSuffix|starts)"
    r"|(?:isEqual\w*+|hasPrefix|hasSuffix):\s*+(?:\w++\.)*+identifier\b"
)


def compares_identifier(condition: str) -> bool:
    """Whether a condition compares the session's identifier to a known one. An early return behind it
    picks the session the code below serves, every time that session's events arrive: dispatch by
    identifier, not a guard that makes the code below run once."""
    return bool(_IDENTIFIER_TEST.search(condition))


def memo_of(context: Context, *, view_type: bool = False, memo_helpers: frozenset[str] = frozenset()) -> Memo:
    """How often the code at `context` can run in one process."""
    if context.in_dispatch_once:
        return Memo.ONCE
    if memo_helpers and any(_called_name(call) in memo_helpers for call in context.closure_calls):
        return Memo.GUARDED
    if any(_called_name(call) not in _CLOSURE_RUNS_WITH_CALLER for call in context.closure_calls):
        # A closure handed to a dependency or a project function (`Factory(type:) { X() }`, a DI
        # container's `register { … }`, a cache's `value(for:) { … }`) runs as often as that code decides:
        # once for a cached scope, per resolution for another. Unknown, so nothing is judged from it.
        return Memo.UNKNOWN
    if context.after_invalidate:
        return Memo.AFTER_INVALIDATE
    if context.nil_coalescing or context.state_guarded:
        return Memo.GUARDED
    if context.member_kind == "property" and context.in_property_value:
        if context.static:
            return Memo.STATIC
        if context.lazy:
            return Memo.LAZY
        return Memo.STORED
    if context.member_kind == "global":
        return Memo.GLOBAL if context.in_property_value else Memo.UNKNOWN
    if context.member_kind == "property" and context.computed:
        return Memo.COMPUTED
    if context.member_kind == "init":
        return Memo.INIT
    name = context.function_name or ""
    labels = set(context.function_labels)
    if context.handle_events:
        return Memo.HANDLE_EVENTS
    if labels & LAUNCH_METHODS or name in LAUNCH_METHODS:
        return Memo.LAUNCH
    if "didBecomeInvalidWithError" in labels or name.startswith("URLSession:didBecomeInvalidWithError"):
        return Memo.INVALIDATION
    if name in EXTENSION_ENTRY_POINTS or labels & EXTENSION_ENTRY_POINTS:
        return Memo.ONE_SHOT
    if name.split(":", 1)[0] in PLUGIN_SET_UP or (name == "register" and context.static and "with" in labels):
        return Memo.REGISTRATION
    if name in VIEW_LIFECYCLE and (view_type or name.startswith(("view", "loadView", "awakeFromNib"))):
        return Memo.VIEW_LIFECYCLE
    if context.member_kind in ("method", "function"):
        return Memo.FUNCTION
    return Memo.UNKNOWN
