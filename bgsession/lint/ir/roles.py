"""Which lifecycle role a function plays, and its facts, for both languages.

A function is identified by its Swift labels or Objective-C selector parts; the body arrives as IR.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bgsession.diagnostics import Loc
from bgsession.lint import ir
from bgsession.lint.facts import (
    CallSite,
    DownloadCallbackFact,
    FinishEventsFact,
    FunctionFact,
    HandleEventsFact,
    HandlerStore,
    HelperFact,
    LaunchFact,
    MethodRef,
    Thread,
    WatchHandleFact,
)
from bgsession.lint.ir.callbacks import download_problem
from bgsession.lint.ir.finish_paths import skipped_calls
from bgsession.lint.ir.handlers import handler_calls
from bgsession.lint.ir.params import param_use
from bgsession.lint.ir.paths import handle_events_paths
from bgsession.lint.ir.scope import Scope, expr_type, loc
from bgsession.lint.ir.watch import watch_problems


class Role(Enum):
    HANDLE_EVENTS = "handleEvents"
    FINISH_EVENTS = "urlSessionDidFinishEvents"
    DOWNLOAD = "didFinishDownloadingTo"
    WATCH = "handle(backgroundTasks)"
    LAUNCH = "launch"
    INVALID = "didBecomeInvalidWithError"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Param:
    label: str
    name: str
    type_text: str


@dataclass(slots=True)
class FunctionInfo:
    """A function's signature in neutral terms: its first name and every argument label (selector parts)."""

    type_name: str | None
    base: str
    labels: tuple[str, ...]
    params: list[Param]
    loc: Loc
    is_async: bool = False
    has_await: bool = False
    main_actor: bool = False
    static: bool = False
    app_init: bool = False
    objc: bool = False
    # A React Native module's exported method (RCT_EXPORT_METHOD): JavaScript calls it, on the module's
    # methodQueue.
    script_entry: bool = False

    @property
    def name(self) -> str:
        """`store(_:for:)` in Swift; the selector `storeHandler:forIdentifier:` in Objective-C."""
        if self.objc:
            return "".join(f"{label}:" for label in self.labels) if self.labels else self.base
        return f"{self.base}({''.join(label + ':' for label in self.labels)})" if self.labels else self.base


_CLOSURE_TYPE = re.compile(
    r"^\s*(@\w+\s+)*\(\s*\)\s*->\s*(Void|\(\s*\))\s*\??\s*$|void\s*\(\s*\^\s*\w*\s*\)\s*\(\s*(void)?"
    r"\s*\)|dispatch_block_t"
)


def role_of(info: FunctionInfo) -> Role:
    labels = info.labels
    if info.app_init:
        return Role.LAUNCH
    if info.base == "application" and "handleEventsForBackgroundURLSession" in labels:
        return Role.HANDLE_EVENTS
    if info.base in ("urlSessionDidFinishEvents", "URLSessionDidFinishEventsForBackgroundURLSession"):
        return Role.FINISH_EVENTS
    if (
        info.base in ("urlSession", "URLSession")
        and ("didFinishDownloadingTo" in labels or "didFinishDownloadingToURL" in labels)
        # AVAssetDownloadDelegate's callback of the same name hands over the asset's final location,
        # which the app keeps (a bookmark), not a temporary file deleted on return.
        and not any(label in ("assetDownloadTask", "aggregateAssetDownloadTask") for label in labels)
    ):
        return Role.DOWNLOAD
    if info.base in ("urlSession", "URLSession") and "didBecomeInvalidWithError" in labels:
        return Role.INVALID
    if (info.base == "handle" and any("WKRefreshBackgroundTask" in p.type_text for p in info.params)) or (
        info.base == "handleBackgroundTasks"
    ):
        return Role.WATCH
    if info.base == "application" and (
        {"didFinishLaunchingWithOptions", "willFinishLaunchingWithOptions"} & set(labels)
    ):
        return Role.LAUNCH
    if info.base == "applicationDidFinishLaunching":
        return Role.LAUNCH
    return Role.OTHER


# A block type named by a typedef or typealias declared elsewhere (a header the file imports), named as
# Apple names its own (`NSURLSessionTaskCompletionHandler`): `CompletionHandler`, `__strong
# BackgroundCompletionHandler`, `@escaping CompletionBlock`. Unresolvable per file; the name is the
# declaration's convention, and only marks the parameter as one to follow.
_NAMED_BLOCK_TYPE = re.compile(
    r"^\s*(?:(?:@\w+|__\w+|_?[Nn]ull(?:able|_unspecified)?|nonnull|_Nonnull)\s+)*\w*Completion(?:Handler|Block)\s*$"
)


def closure_params(info: FunctionInfo) -> list[Param]:
    """Parameters that take a `() -> Void` / `void (^)(void)` block: possible completion handlers."""
    return [
        param
        for param in info.params
        if _CLOSURE_TYPE.search(param.type_text) or _NAMED_BLOCK_TYPE.match(param.type_text)
    ]


def scope_for(info: FunctionInfo, body: list[ir.Stmt], main_helpers: frozenset[str] = frozenset()) -> Scope:
    scope = Scope(info.type_name, {p.name: _type_of(p.type_text) for p in info.params}, main_helpers=main_helpers)
    scope.learn(body)
    return scope


def _type_of(type_text: str) -> str | None:
    found = re.search(r"[A-Za-z_][A-Za-z0-9_]*", type_text)
    if not found or "->" in type_text or "^" in type_text:
        return None
    return found.group(0)


def _early_site(body: list[ir.Stmt], early: list[ir.Pos]) -> CallSite | None:
    """The statement of the one early call, when it stands in the method's own body (not in a branch
    or a closure, where moving it would change more than the call)."""
    if len(early) != 1:
        return None
    for stmt in body:
        if isinstance(stmt, ir.ExprStmt) and isinstance(stmt.expr, ir.Call) and stmt.expr.pos == early[0]:
            return CallSite(stmt.pos.start_byte, stmt.pos.end_byte, None, False)
    return None


def handle_events_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> HandleEventsFact:
    identifier = info.params[1].name if len(info.params) > 1 else "identifier"
    handler = info.params[2].name if len(info.params) > 2 else ""
    async_form = not handler
    mentions = frozenset(ir.mentioned_names(body))
    _, calls = handler_calls(body, scope)
    if async_form:
        # The async form finishes when it returns: returning without awaiting the events is early.
        return HandleEventsFact(
            loc=info.loc,
            type_name=info.type_name,
            async_form=True,
            identifier_param=identifier,
            handler_param="",
            drops=False,
            drops_unknown_only=False,
            early=not info.has_await,
            early_loc=info.loc if not info.has_await else None,
            deferred=info.has_await,
            checks_identifier=identifier in mentions,
            stores=(),
            passes=(),
            calls_methods=tuple(calls),
            mentions=mentions,
            ignores_identifier=identifier not in mentions,
        )
    paths = handle_events_paths(body, handler, identifier)
    if info.static:
        # A class method is never the system's callback (iOS calls the app delegate instance): it is a
        # library's entry point the host app forwards to, and an identifier it does not take stays the
        # host's to handle (gtm-session-fetcher's +application:handleEventsForBackgroundURLSession:…).
        paths.dropping.clear()
    use = param_use(body, handler, scope, identifier_param=identifier)
    early = [pos for pos in paths.early]
    return HandleEventsFact(
        loc=info.loc,
        type_name=info.type_name,
        async_form=False,
        identifier_param=identifier,
        handler_param=handler,
        drops=bool(paths.dropping),
        drops_unknown_only=bool(paths.dropping) and all(paths.dropping),
        early=bool(early),
        early_loc=loc(early[0]) if early else None,
        early_site=_early_site(body, early),
        stores_unconditionally=any(
            isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text == handler
            for stmt in body
        ),
        deferred=use.deferred,
        checks_identifier=paths.checks_identifier,
        stores=tuple(use.stores),
        passes=tuple(use.passes),
        calls_methods=tuple(calls),
        mentions=mentions,
        ignores_identifier=identifier not in mentions,
        unresolved_use=use.unresolved,
        claims=any(
            isinstance(stmt, ir.Return)
            and (
                (isinstance(stmt.value, ir.BoolLit) and stmt.value.value)
                or (isinstance(stmt.value, ir.Name) and stmt.value.text in ("YES", "true"))
            )
            for stmt in ir.all_stmts(body)
        ),
    )


def finish_events_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> FinishEventsFact:
    session = info.params[0].name if info.params else "session"
    calls, helpers = handler_calls(body, scope, exclude=frozenset({session}))
    return FinishEventsFact(
        loc=info.loc,
        type_name=info.type_name,
        calls=tuple(calls),
        helpers=tuple(helpers),
        mentions=frozenset(ir.mentioned_names(body)),
        on_main_actor=info.main_actor,
        skipped=tuple(skipped_calls(body, scope, calls, session)),
    )


_STRING_TYPE = re.compile(r"^\s*(?:String|NSString\s*\*)")


def helper_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> HelperFact | None:
    params = closure_params(info)
    names = frozenset(p.name for p in params)
    stores: list[tuple[str, HandlerStore]] = []
    direct: list[tuple[str, Thread, str | None]] = []
    passes: list[tuple[str, MethodRef]] = []
    # A String parameter is the session's identifier a hand-off method is given (`handleEvents(for:
    # completionHandler:)`): a direct call on the path for identifiers it does not own is not early.
    identifier = next((p.name for p in info.params if _STRING_TYPE.search(p.type_text)), None)
    for param in params:
        use = param_use(body, param.name, scope)
        stores.extend((param.label, store) for store in use.stores)
        early = handle_events_paths(body, param.name, identifier).early if identifier and use.direct_calls else None
        direct.extend(
            (param.label, thread, wrapper)
            for call, thread, wrapper in use.direct_calls
            if early is None or call.pos in early
        )
        passes.extend((param.label, ref) for ref in use.passes)
    calls, helpers = handler_calls(body, scope, exclude=names)
    calls = [call for call in calls if call.member not in names]
    mentioned = ir.mentioned_names(body)
    drops = tuple(p.label for p in params if p.name not in mentioned) if body else ()
    if not (stores or direct or passes or calls or drops):
        return None
    return HelperFact(
        type_name=info.type_name,
        method=info.name if info.objc else info.base,
        loc=info.loc,
        param_labels=tuple(p.label for p in params),
        stores=tuple(stores),
        calls_param=tuple(direct),
        passes=tuple(passes),
        calls=tuple(calls),
        helpers=tuple(helpers),
        mentions=frozenset(mentioned),
        selector=info.name,
        drops=drops,
    )


def closure_member_helpers(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> list[HelperFact]:
    """Closures a body stores in a member (`delegate.sessionDidFinishEvents = { … }`) that call stored
    handlers, each as a helper named after the member: the owner's code that calls the member
    (`sessionDidFinishEvents?(session)` in urlSessionDidFinishEvents) runs that closure, on its own thread.
    The member's owner is the type of the assignment's base; unknown, the helper is found by name only
    when no other type has one of that name (ProjectSummary.helpers_for)."""
    found: list[HelperFact] = []
    for stmt in ir.all_stmts(body):
        if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Closure)):
            continue
        target = stmt.target
        if isinstance(target, ir.Member):
            owner, member = expr_type(target.base, scope), target.name
        elif isinstance(target, ir.Name):
            owner, member = scope.type_name, target.text
        else:
            continue
        closure = stmt.value
        names = frozenset(closure.params)
        calls, helpers = handler_calls(closure.body, scope, exclude=names)
        calls = [call for call in calls if call.member not in names]
        if not calls:
            continue
        found.append(
            HelperFact(
                type_name=owner,
                method=member,
                loc=loc(stmt.pos),
                param_labels=(),
                stores=(),
                calls_param=(),
                passes=(),
                calls=tuple(calls),
                helpers=tuple(helpers),
                mentions=frozenset(ir.mentioned_names(closure.body)),
            )
        )
    return found


def download_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> DownloadCallbackFact:
    location = info.params[-1].name if info.params else "location"
    problem = download_problem(body, location, scope)
    return DownloadCallbackFact(
        loc=info.loc,
        type_name=info.type_name,
        problem_loc=loc(problem[0]) if problem else None,
        problem=problem[1] if problem else None,
    )


def watch_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> WatchHandleFact:
    tasks = info.params[0].name if info.params else "backgroundTasks"
    return WatchHandleFact(info.loc, info.type_name, tuple(watch_problems(body, tasks, scope)))


def launch_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> LaunchFact:
    _, calls = handler_calls(body, scope)
    return LaunchFact(info.type_name, info.name, frozenset(ir.mentioned_names(body)), tuple(calls))


def function_fact(info: FunctionInfo, body: list[ir.Stmt], scope: Scope) -> FunctionFact:
    _, calls = handler_calls(body, scope)
    mentions = frozenset(ir.mentioned_names(body))
    return FunctionFact(info.type_name, info.base, mentions, tuple(calls), frozenset(lookup_keys(body)))


# Keyed look-ups written as calls: NSDictionary, NSMapTable and Swift dictionaries' methods.
_LOOKUP_CALLS = frozenset(
    {"objectForKey", "objectForKeyedSubscript", "valueForKey", "removeValue", "removeObjectForKey"}
)


def lookup_keys(body: list[ir.Stmt]) -> set[str]:
    """The names mentioned in the keys of the body's look-ups (`a[key]`, `[a objectForKey:key]`) into
    state that outlives the call: a container the body itself builds (a local made from a call or a
    literal, such as a copy of what it read from NSUserDefaults) is not the delegate's own state."""
    built = _locals_built_here(body)
    found: set[str] = set()
    for expr in ir.walk_body(body):
        keys: list[ir.Expr] = []
        if isinstance(expr, ir.Subscript):
            keys = [] if _names_one_of(expr.base, built) else list(expr.index)
        elif isinstance(expr, ir.Call) and isinstance(expr.callee, ir.Member):
            if expr.callee.name.split(":", 1)[0] in _LOOKUP_CALLS and not _names_one_of(expr.callee.base, built):
                keys = [arg.value for arg in expr.args[:1]]
        for key in keys:
            for inner in ir.walk_exprs(key):
                if isinstance(inner, ir.Name):
                    found.add(inner.text)
                elif isinstance(inner, ir.Member):
                    found.add(inner.name.split(":", 1)[0])
    return found


def _locals_built_here(body: list[ir.Stmt]) -> set[str]:
    """Locals whose value the body makes (a call, a literal); a local that is another name for a
    property (`let state = self.state`) still reads the object's state, and so does one declared
    twice (it may be either)."""
    built: set[str] = set()
    aliases: set[str] = set()
    for stmt in ir.all_stmts(body):
        if isinstance(stmt, ir.VarDecl) and len(stmt.names) == 1:
            made = stmt.value is not None and ir.dotted(stmt.value) is None
            (built if made else aliases).add(stmt.names[0])
    return built - aliases


def _names_one_of(container: ir.Expr, names: set[str]) -> bool:
    return isinstance(container, ir.Name) and container.text in names
