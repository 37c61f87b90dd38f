"""Language-neutral facts about one source file: what the rules and the project summary read.

Facts are small immutable values with source positions, so a file's facts can be computed in a worker
process and cached by content hash. They are NamedTuples rather than dataclasses because Python creates
those classes several times faster, which matters for a linter started on every editor save. Names of
types and members are plain strings; they are joined across files in project.py.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal, NamedTuple, get_args

from bgsession.diagnostics import Loc

# The closed sets of values some facts take (checked by mypy; the values are the whole contract).
OwnerKind = Literal["property", "method", "init", "global", "closure", "function"]
ConfigKind = Literal["inline", "local", "member", "call", "param", "unknown", "default"]
DelegateKind = Literal["none", "nil", "self", "type", "unknown"]
ReceiverKind = Literal["member", "session", "shared", "call", "unknown"]
PropertyKind = Literal["stored", "lazy", "computed"]
TypeKind = Literal[
    "class", "struct", "enum", "actor", "extension", "protocol", "interface", "implementation", "category"
]
IdentifierMatch = Literal["identifier", "all", "matching"]
EntryKind = Literal["main", "UIApplicationMain", "app", "watch"]


def closed(value: str, kind: Any) -> Any:
    """`value` checked against a Literal alias above: extraction turns syntax into these values, and a
    value outside the set is a bug to surface (the per-file safety net reports it), never a silent str."""
    if value not in get_args(kind):
        raise ValueError(f"{value!r} is not one of {get_args(kind)}")
    return value


class IdKind(Enum):
    LITERAL = "literal"
    CONSTANT = "constant"
    BUNDLE = "bundle"
    PARAMETER = "parameter"
    DYNAMIC = "dynamic"
    UNSTABLE = "unstable"


class IdentifierValue(NamedTuple):
    """A symbolic identifier: a literal, a constant to resolve, `<bundle id>` + suffix, a parameter,
    a run-time value, or one that changes every launch (`text` then says why)."""

    kind: IdKind
    text: str = ""
    scope: str | None = None
    persisted: bool = False

    def describe(self) -> str:
        match self.kind:
            case IdKind.LITERAL:
                return f'"{self.text}"'
            case IdKind.BUNDLE:
                return f"<bundle identifier>{self.text and ' + ' + repr(self.text).replace(chr(39), chr(34))}"
            case IdKind.CONSTANT:
                return self.text
            case IdKind.PARAMETER:
                return f"the parameter {self.text}"
            case _:
                return self.text


class TaskKind(Enum):
    DOWNLOAD = "download task"
    UPLOAD_FILE = "upload task from a file"
    UPLOAD_DATA = "upload task from in-memory data"
    UPLOAD_STREAM = "streamed upload task"
    DATA = "data task"
    CONVENIENCE = "completion-handler task"
    ASYNC = "async convenience call"


class Memo(Enum):
    """How often the code that creates a session can run in one process."""

    STATIC = "static property"
    GLOBAL = "global"
    ONCE = "dispatch_once"
    GUARDED = "guarded by a check"
    LAUNCH = "app launch"
    INVALIDATION = "didBecomeInvalidWithError"
    ONE_SHOT = "extension entry point"
    REGISTRATION = "plugin registration"
    LAZY = "lazy property"
    STORED = "stored property"
    INIT = "initializer"
    COMPUTED = "computed property"
    FUNCTION = "method"
    HANDLE_EVENTS = "handleEventsForBackgroundURLSession"
    VIEW_LIFECYCLE = "view lifecycle method"
    AFTER_INVALIDATE = "right after invalidating"
    UNKNOWN = "unknown"


class Owner(NamedTuple):
    """Where a piece of code lives: its type (an extension or category counts as its type) and member."""

    type_name: str | None
    member: str | None
    kind: OwnerKind
    static: bool = False


class Span(NamedTuple):
    """A byte range [start, end) of the file's normalised source, recorded where a rule offers a fix."""

    start: int
    end: int


class ConfigFact(NamedTuple):
    """A background configuration created at one place."""

    loc: Loc
    identifier: IdentifierValue
    deprecated: bool
    deprecated_guarded: bool
    owner: Owner
    binding: str | None
    holder: str | None
    launch_events: bool | None
    shared_container: bool
    branch: tuple[int, int] | None = None
    in_handle_events: bool = False
    # The variable it is bound to also receives a default or ephemeral configuration on another path
    # (`var c = URLSessionConfiguration.default; if background { c = .background(…) }`): a session made
    # from that variable may be either kind.
    alternative: bool = False
    # The value given to sharedContainerIdentifier, and where, when one is assigned.
    container: IdentifierValue | None = None
    container_loc: Loc | None = None
    # For fixes: the deprecated factory's name and, in Swift, where its unlabelled argument starts (the
    # renamed factory labels it); the identifier argument when the call spells its value.
    factory: Span | None = None
    factory_label_at: int | None = None
    argument: Span | None = None
    # The label of the parameter it is the default value of, when it is one: a session made from that
    # parameter uses it unless a caller passes another.
    default_of: str | None = None


class SessionFact(NamedTuple):
    """A URLSession created at one place, with what it was given."""

    loc: Loc
    config_kind: ConfigKind
    config_ref: str
    config_index: int | None
    delegate: DelegateKind
    delegate_type: str | None
    main_queue: bool | None
    memo: Memo
    owner: Owner
    holder: str | None
    holder_type: str | None
    used_for_task: bool = False
    # Made only to be invalidated at once (`URLSession(configuration: c).invalidateAndCancel()`, or a
    # local used for nothing else): it cancels a previous launch's transfers and wants no events.
    cancel_only: bool = False
    # For the fix that memoizes a class's getter-only computed property as a `lazy var`: where `var`
    # starts, and the getter block's first and last byte.
    lazy_fix: tuple[int, int, int] | None = None
    # The delegate queue's argument when it names a property (`delegateQueue: queue`, `self.queue`).
    queue_ref: str | None = None


class TaskFact(NamedTuple):
    loc: Loc
    method: str
    kind: TaskKind
    receiver_kind: ReceiverKind
    receiver: str | None
    receiver_type: str | None
    session_index: int | None
    owner: Owner


class PropertyFact(NamedTuple):
    name: str
    static: bool
    kind: PropertyKind
    type_text: str
    loc: Loc
    # Its value makes a new instance (`let queue = OperationQueue()`), not one obtained elsewhere.
    made_fresh: bool = False


class TypeFact(NamedTuple):
    name: str
    kind: TypeKind
    loc: Loc
    inherits: tuple[str, ...] = ()
    attributes: tuple[str, ...] = ()
    singleton: bool = False
    properties: tuple[PropertyFact, ...] = ()
    methods: tuple[str, ...] = ()


class ConstantFact(NamedTuple):
    name: str
    value: IdentifierValue
    loc: Loc


class HandlerStore(NamedTuple):
    """Where a completion handler is kept: member `member` of `type_name` (None when unknown)."""

    member: str
    type_name: str | None
    keyed: bool
    matched: bool
    loc: Loc
    # Kept in the final `else` of checks of the identifier against this many values: the slot serves
    # every identifier but those.
    excludes: int = 0


class Thread(Enum):
    """Where a call runs, as far as the code shows: hopped to main, hopped elsewhere, directly on the
    delegate queue, or inside a closure whose queue is unknown (`wrapper` names its call)."""

    MAIN = "main"
    OFF = "off"
    DIRECT = "direct"
    UNKNOWN = "unknown"


class MethodRef(NamedTuple):
    """A call to a method of the project, to follow into: receiver type (if known), name, argument label."""

    type_name: str | None
    method: str
    label: str | None = None
    thread: Thread = Thread.DIRECT
    wrapper: str | None = None
    # For a handler handed on: made where the identifier matched a value (`matched`), or in the final
    # `else` of checks against `excludes` values; the stores it leads to serve those identifiers only.
    matched: bool = False
    excludes: int = 0
    # The member the call is made on when its type is not known here (`controllers.uploader.run()`:
    # `uploader`): the project summary looks up which type declares a property of that name.
    receiver: str | None = None


class CallSite(NamedTuple):
    """Where a handler call stands, for the fixes that wrap it or clear its handler: the statement's
    byte range; the stored place the handler is read from (the callee, or the value a local copy was
    made from: `aliased`, with where the copy is made); and, filled by extraction from the source, the
    place's text and the indentation of the lines the fixes insert next to."""

    start: int
    end: int
    place: Span | None
    aliased: bool
    place_text: str = ""
    indent: str | None = None
    # The statement's whole line, its line break included, when the statement stands alone on it.
    line: Span | None = None
    # For a copy: the statement after which the copy exists (or, `copy_before`, the first statement
    # inside `if let`'s body, before which it does), and that statement's line indentation.
    copy: Span | None = None
    copy_before: bool = False
    copy_indent: str | None = None


class HandlerCall(NamedTuple):
    """A stored handler being called (or all of them, `every`)."""

    member: str
    type_name: str | None
    keyed: bool
    every: bool
    thread: Thread
    wrapper: str | None
    cleared: bool
    loc: Loc
    # Set when the call is a statement of its own (not an argument, not a value handed to a queue).
    site: CallSite | None = None


class HandleEventsFact(NamedTuple):
    loc: Loc
    type_name: str | None
    async_form: bool
    identifier_param: str
    handler_param: str
    drops: bool
    drops_unknown_only: bool
    early: bool
    early_loc: Loc | None
    deferred: bool
    checks_identifier: bool
    stores: tuple[HandlerStore, ...]
    passes: tuple[MethodRef, ...]
    calls_methods: tuple[MethodRef, ...]
    mentions: frozenset[str]
    ignores_identifier: bool
    unresolved_use: bool = False
    # The one early call, when it is a statement of the method's own body (for BGS012's fix), and
    # whether the method's own body (not a branch of it) stores the handler.
    early_site: CallSite | None = None
    stores_unconditionally: bool = False
    # A host framework's Bool-returning form (a Flutter plugin's): it returns true, claiming the events.
    claims: bool = False


class SkippedCall(NamedTuple):
    """A path through urlSessionDidFinishEvents that ends without calling the handler in `member`, which
    other paths call, because of the condition at `condition`; `methods` are the calls on that path."""

    member: str
    condition: Loc
    methods: tuple[MethodRef, ...]
    # Set when the calls followed are of the type's own method of this name (`self.process(…)`), which
    # may call the handler: the project summary decides which member, if any, that is.
    via_method: str | None = None


class FinishEventsFact(NamedTuple):
    loc: Loc
    type_name: str | None
    calls: tuple[HandlerCall, ...]
    helpers: tuple[MethodRef, ...]
    mentions: frozenset[str]
    on_main_actor: bool = False
    skipped: tuple[SkippedCall, ...] = ()


class HelperFact(NamedTuple):
    """A method that keeps or calls completion handlers, followed from handleEvents and finish-events."""

    type_name: str | None
    method: str
    loc: Loc
    param_labels: tuple[str, ...]
    stores: tuple[tuple[str, HandlerStore], ...]
    calls_param: tuple[tuple[str, Thread, str | None], ...]
    passes: tuple[tuple[str, MethodRef], ...]
    calls: tuple[HandlerCall, ...]
    helpers: tuple[MethodRef, ...]
    mentions: frozenset[str]
    # The whole name with every argument label (`setCompletionHandler(forIdentifier:completionHandler:)`).
    selector: str = ""
    # Labels of the block parameters the body never mentions: a handler handed here is dropped.
    drops: tuple[str, ...] = ()
    # For a method a host framework's script side calls (a React Native export): the thread its body
    # starts on, the module's methodQueue (main only when that method returns the main queue).
    entry_thread: Thread | None = None


class DownloadCallbackFact(NamedTuple):
    loc: Loc
    type_name: str | None
    problem_loc: Loc | None
    problem: str | None


class BackgroundTaskFact(NamedTuple):
    """SwiftUI `.backgroundTask(.urlSession...)`."""

    loc: Loc
    matches: IdentifierMatch
    identifier: IdentifierValue | None
    mentions: frozenset[str]
    type_name: str | None


class AdaptorFact(NamedTuple):
    loc: Loc
    delegate_type: str
    type_name: str | None


class DelegateCastFact(NamedTuple):
    loc: Loc
    type_name: str


class EntryFact(NamedTuple):
    """An app entry point: `@main`, `UIApplicationMain(...)`, or a SwiftUI `App`."""

    kind: EntryKind
    type_name: str | None
    loc: Loc


class WatchHandleFact(NamedTuple):
    loc: Loc
    type_name: str | None
    problems: tuple[str, ...]


class InstantiationFact(NamedTuple):
    """`T(...)`, `[[T alloc] init...]` or `[T new]`, with how often the place can run."""

    type_name: str
    memo: Memo
    loc: Loc
    kept: bool = True
    # The type whose code makes the instance (its stored property, initializer, method).
    owner_type: str | None = None


class InitPropertyFact(NamedTuple):
    """An initializer keeping one of its parameters in a property (`self.identifier = identifier`): the
    property holds what callers pass under `label` to that initializer."""

    type_name: str
    property: str
    initializer: str
    label: str


class CallArgFact(NamedTuple):
    """A call passing a value to a parameter that may carry an identifier or a configuration."""

    callee_type: str | None
    callee: str
    label: str
    value: IdentifierValue
    background_config: bool
    config_index: int | None
    loc: Loc


class LaunchFact(NamedTuple):
    """Code that runs at every launch: didFinishLaunching, willFinishLaunching, a SwiftUI App's init."""

    type_name: str | None
    method: str
    mentions: frozenset[str]
    calls_methods: tuple[MethodRef, ...]


class FunctionFact(NamedTuple):
    """A method's name and what it mentions, for following calls (only methods of interest)."""

    type_name: str | None
    name: str
    mentions: frozenset[str]
    calls_methods: tuple[MethodRef, ...]
    # Names inside the keys the body looks values up by: subscripts and objectForKey:-style calls.
    lookup_keys: frozenset[str] = frozenset()


class Suppression(NamedTuple):
    """A `bgsession:` comment as written: its directive, the words it names (none: every rule), its
    reason. Which words are rules is decided when suppressions are applied, never here."""

    directive: str
    words: tuple[str, ...]
    loc: Loc
    reason: str | None
    # disable-next-line: the line it silences (the next one that is not blank or a comment).
    target_line: int = 0


class InvalidationFact(NamedTuple):
    """`invalidateAndCancel()` / `finishTasksAndInvalidate()` called on a session the code holds:
    `receiver` is the holder's name (`session` for `self.session`, `_session`, `session`), None when the
    session is reached some other way (another object's property, a call's result)."""

    loc: Loc
    method: str
    receiver: str | None
    owner: Owner
    # The same function sets the holder to nil afterwards: the next use of a nil-guarded getter creates a
    # session again, possibly before didBecomeInvalidWithError.
    clears: bool = False
    # Called on a function's result (`Creator.makeSession(for: id).invalidateAndCancel()`): that function.
    on_result_of: str | None = None


class FileFacts(NamedTuple):
    path: str
    language: str
    configs: tuple[ConfigFact, ...] = ()
    sessions: tuple[SessionFact, ...] = ()
    tasks: tuple[TaskFact, ...] = ()
    types: tuple[TypeFact, ...] = ()
    constants: tuple[ConstantFact, ...] = ()
    handle_events: tuple[HandleEventsFact, ...] = ()
    finish_events: tuple[FinishEventsFact, ...] = ()
    helpers: tuple[HelperFact, ...] = ()
    downloads: tuple[DownloadCallbackFact, ...] = ()
    background_tasks: tuple[BackgroundTaskFact, ...] = ()
    adaptors: tuple[AdaptorFact, ...] = ()
    casts: tuple[DelegateCastFact, ...] = ()
    entries: tuple[EntryFact, ...] = ()
    watch_handlers: tuple[WatchHandleFact, ...] = ()
    instantiations: tuple[InstantiationFact, ...] = ()
    call_args: tuple[CallArgFact, ...] = ()
    init_properties: tuple[InitPropertyFact, ...] = ()
    launches: tuple[LaunchFact, ...] = ()
    functions: tuple[FunctionFact, ...] = ()
    invalidations: tuple[InvalidationFact, ...] = ()
    # Which of getAllTasks, getTasksWithCompletionHandler, allTasks, tasks the file calls (by name).
    task_queries: frozenset[str] = frozenset()
    # Names of the methods the file calls on some object (`x.ensureSessions()`, `[x ensureSessions]`).
    called_methods: frozenset[str] = frozenset()
    imports: frozenset[str] = frozenset()
    suppressions: tuple[Suppression, ...] = ()
    parse_error: Loc | None = None
    parse_error_count: int = 0
    read_error: str | None = None
    # Parsed only because it defines a name other files need; its own syntax is not judged.
    auxiliary: bool = False
    # Not analysed because it is over the per-file budget (budget.py): why, naming the limit.
    skipped: str | None = None
