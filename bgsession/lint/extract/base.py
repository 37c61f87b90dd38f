"""The language-neutral half of extraction: from anchors and their contexts to facts.

A language extractor (extract/swift/classify.py, extract/objc/classify.py) finds the anchors with its combined query
and supplies small hooks (convert a node to IR, describe a function, walk to a context); this class
turns those into configuration, session, task and function facts the same way for both languages.
"""

from __future__ import annotations

import dataclasses
import re
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Generic, Literal, NamedTuple, TypeVar

from tree_sitter import Node

from bgsession.diagnostics import Loc
from bgsession.grammars.objc_preprocessor import SCRIPT_ENTRY
from bgsession.lint import ir
from bgsession.lint.extract import fixsites
from bgsession.lint.extract.syntax import Ancestry, node_loc, text, unique
from bgsession.lint.facts import (
    AdaptorFact,
    BackgroundTaskFact,
    CallArgFact,
    ConfigFact,
    ConfigKind,
    ConstantFact,
    DelegateCastFact,
    DelegateKind,
    DownloadCallbackFact,
    EntryFact,
    FileFacts,
    FinishEventsFact,
    FunctionFact,
    HandleEventsFact,
    HelperFact,
    IdentifierValue,
    IdKind,
    InitPropertyFact,
    InstantiationFact,
    InvalidationFact,
    LaunchFact,
    Memo,
    ReceiverKind,
    SessionFact,
    Span,
    TaskFact,
    Thread,
    TypeFact,
    WatchHandleFact,
    closed,
)
from bgsession.lint.ir import roles
from bgsession.lint.ir.anchors import config_ref, receiver_of
from bgsession.lint.ir.context import VIEW_TYPES, Context, memo_of
from bgsession.lint.ir.recognize import (
    config_call,
    delegate_reference,
    identifier_value,
    is_main_queue,
    session_call,
    task_call,
)
from bgsession.lint.ir.roles import FunctionInfo, Role
from bgsession.lint.ir.scope import Scope, values_at
from bgsession.lint.options import LintOptions

_PERSISTENCE = re.compile(
    rb"UserDefaults|NSUserDefaults|managedObjectContext|NSManagedObject|Realm|sqlite|"
    rb"Keychain|persist|\.save\(|saveContext|insertNewObject"
)
_HELPER_HINT = re.compile(rb"andler|ompletion|allback")
_BLOCK_TYPE = re.compile(
    rb"\(\s*\)\s*->\s*(?:Void|\(\s*\))|void\s*\(\s*\^\s*\w*\s*\)\s*\(\s*(?:void)?\s*\)|dispatch_block_t"
)
# A handler-named value called with no arguments (`handler()`, `completionHandler?()`, `handlers[id]?()`),
# a removed entry called at once, or a handler handed to a queue as its work item.
#
# Each alternative starts at a word boundary and takes whole words possessively, so every byte is looked
# at a bounded number of times; which words count is tested on the word itself (`_handler_word`). The
# expression this replaced restarted inside one long word (4,000 `lock`s: seconds).
_CALLED_WORD = re.compile(
    rb"\b(?P<called>\w++)\s*+(?:\[[^\]\n]*+\])?\s*+\??\s*+\(\s*+\)"
    rb"|\)\s*+\?\s*+\(\s*+\)"
    rb"|(?:execute:|,)\s*+(?P<passed>\w*+)\s*+\)"
    rb"|forEach\s*+\{\s*+\$0\s*+\(\s*+\)"
)
_CALLED_HINT = re.compile(rb"andler|ompletion|allback|lock")


def handler_use(source: bytes, start: int, end: int) -> bool:
    """A handler-named value called with no arguments, a removed entry called at once, or a handler
    handed to a queue as its work item, between `start` and `end`."""
    position = start
    while (found := _CALLED_WORD.search(source, position, end)) is not None:
        called, passed = found.group("called"), found.group("passed")
        if called is not None:
            if _CALLED_HINT.search(called):
                return True
        elif passed is None or _HELPER_HINT.search(passed):
            return True
        # Matches may overlap (`foo()?()`): go on from the next byte, which a boundary or a literal
        # first character rejects at once inside the word just seen.
        position = found.start() + 1
    return False


# Framework types are never the app's session owners; skipping them keeps the instance facts small.
_SYSTEM_PREFIXES = (
    "UI",
    "NS",
    "CG",
    "CA",
    "CF",
    "URL",
    "String",
    "Data",
    "Date",
    "Int",
    "Double",
    "Float",
    "Bool",
    "Array",
    "Dictionary",
    "Set",
    "Task",
    "Dispatch",
    "Operation",
    "JSON",
    "Result",
    "Error",
)

OptionKey = tuple[int, str, str]


# Invalidating a session at once: made only to cancel transfers left from a previous launch.
_INVALIDATE = frozenset({"invalidateAndCancel", "finishTasksAndInvalidate"})
# Calls that list a session's tasks, by name (bytes of the source; comments count, which only ever
# silences BGS040): `getAllTasks`, `getTasksWithCompletionHandler:`, `await session.allTasks/.tasks`.
_TASK_QUERY = re.compile(
    rb"\b(getAllTasks|getTasksWithCompletionHandler|getAllTasksWithCompletionHandler)\b|\.(allTasks|tasks)\b"
)


# `x.name(` in Swift, `[receiver name]` / `[receiver name:` in Objective-C: a method called on an object.
_METHOD_CALL = re.compile(rb"\.\s*(\w+)\s*\(|\[\s*[\w.]+\s+(\w+)\s*[\]:]")


class FunctionFacts:
    """The per-role facts of a file's functions."""

    def __init__(self) -> None:
        self.handle_events: list[HandleEventsFact] = []
        self.finish_events: list[FinishEventsFact] = []
        self.helpers: list[HelperFact] = []
        self.downloads: list[DownloadCallbackFact] = []
        self.watch: list[WatchHandleFact] = []
        self.launches: list[LaunchFact] = []
        self.functions: list[FunctionFact] = []
        self.init_properties: list[InitPropertyFact] = []


def _property_named(expr: ir.Expr | None) -> str | None:
    """`queue` for `delegateQueue: queue` or `self.queue`."""
    if isinstance(expr, ir.Name):
        return expr.text.lstrip("_")
    if isinstance(expr, ir.Member) and isinstance(expr.base, ir.SelfRef):
        return expr.name.lstrip("_")
    return None


def _init_properties(info: FunctionInfo, body: list[ir.Stmt]) -> Iterator[InitPropertyFact]:
    """`self.identifier = identifier` / `_identifier = identifier` in an initializer, parameter by label."""
    labels = {param.name: param.label for param in info.params}
    for stmt in ir.all_stmts(body):
        if not (isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text in labels):
            continue
        target = stmt.target
        if isinstance(target, ir.Member) and isinstance(target.base, ir.SelfRef):
            name = target.name
        elif isinstance(target, ir.Name):
            name = target.text
        else:
            continue
        assert info.type_name is not None
        yield InitPropertyFact(
            info.type_name, name.lstrip("_"), info.name if info.objc else info.base, labels[stmt.value.text]
        )


class Consumer(NamedTuple):
    """What receives a node's value: a local binding or an assigned member (with its name), a
    `return`, or the value of a property or closure."""

    kind: Literal["local", "assign", "return", "value"]
    name: str = ""


@dataclass(slots=True)
class Captures:
    """What a language's `classify()` hands the extractor: the anchors of each kind, in source order.

    One field per kind, so a misspelt kind is a type error rather than a silently empty list."""

    types: list[Node] = field(default_factory=list)
    function: list[Node] = field(default_factory=list)
    imports: list[Node] = field(default_factory=list)
    error: list[Node] = field(default_factory=list)
    config: list[Node] = field(default_factory=list)
    session: list[Node] = field(default_factory=list)
    invalidate: list[Node] = field(default_factory=list)
    task: list[Node] = field(default_factory=list)
    option: list[Node] = field(default_factory=list)
    delegate_cast: list[Node] = field(default_factory=list)
    instantiation: list[Node] = field(default_factory=list)
    uiapplicationmain: list[Node] = field(default_factory=list)

    def in_source_order(self) -> None:
        """Sort every kind by start, an outer node before the nodes it contains."""
        for kind in fields(self):
            getattr(self, kind.name).sort(key=lambda node: (node.start_byte, -node.end_byte))


CapturesT = TypeVar("CapturesT", bound=Captures)


class Extractor(ABC, Generic[CapturesT]):
    """Shared extraction over query captures; subclasses supply the syntax-specific hooks."""

    language: str

    def __init__(
        self,
        path: str,
        source: bytes,
        captures: CapturesT,
        options: LintOptions | None = None,
        *,
        root: Node,
    ) -> None:
        self.ancestry = Ancestry(root)
        self.lint_options = options or LintOptions()
        self.path = path
        self.source = source
        self.captures = captures
        self.type_kinds: dict[str, tuple[str, tuple[str, ...]]] = {}
        self._bodies: dict[int, list[ir.Stmt]] = {}
        self._scopes: dict[int, Scope] = {}
        self._infos: dict[int, FunctionInfo] = {}
        self._function_set: set[Node] | None = None

    def facts(self) -> FileFacts:
        types = tuple(self.type_fact(node) for node in unique(self.captures.types))
        for fact in types:
            self.merge_type_kinds(fact.name, fact.kind, fact.inherits)
        configs = self.configs()
        config_index = {start: index for index, (start, _) in enumerate(configs)}
        sessions = self.sessions(config_index)
        functions = self.functions()
        error = first_error(self.captures.error)
        return FileFacts(
            path=self.path,
            language=self.language,
            configs=tuple(fact for _, fact in configs),
            sessions=tuple(fact for _, fact in sessions),
            tasks=tuple(self.tasks(sessions)),
            types=types,
            constants=tuple(self.constants()),
            handle_events=tuple(functions.handle_events),
            finish_events=tuple(functions.finish_events),
            helpers=tuple(functions.helpers),
            downloads=tuple(functions.downloads),
            watch_handlers=tuple(functions.watch),
            launches=tuple(functions.launches),
            functions=tuple(functions.functions),
            invalidations=tuple(self.invalidations()),
            task_queries=frozenset(
                (m.group(1) or m.group(2)).decode("ascii") for m in _TASK_QUERY.finditer(self.source)
            ),
            called_methods=frozenset(
                (m.group(1) or m.group(2)).decode("ascii") for m in _METHOD_CALL.finditer(self.source)
            ),
            background_tasks=tuple(self.background_tasks()),
            adaptors=tuple(self.adaptors()),
            casts=tuple(self.casts()),
            entries=tuple(self.entries(types)),
            call_args=tuple(self.call_args(config_index)),
            init_properties=tuple(functions.init_properties),
            instantiations=tuple(self.instantiations()),
            imports=frozenset(self.imports()),
            parse_error=node_loc(error) if error is not None else None,
            parse_error_count=len(self.captures.error),
        )

    # --- hooks -------------------------------------------------------------------------------------------

    @abstractmethod
    def type_fact(self, node: Node) -> TypeFact: ...

    @abstractmethod
    def constants(self) -> list[ConstantFact]: ...

    @abstractmethod
    def casts(self) -> list[DelegateCastFact]: ...

    @abstractmethod
    def entries(self, types: tuple[TypeFact, ...]) -> list[EntryFact]: ...

    @abstractmethod
    def call_args(self, config_index: dict[int, int]) -> list[CallArgFact]: ...

    @abstractmethod
    def imports(self) -> list[str]: ...

    def background_tasks(self) -> list[BackgroundTaskFact]:
        """SwiftUI `.backgroundTask` modifiers; Objective-C has none."""
        return []

    def adaptors(self) -> list[AdaptorFact]:
        """`@UIApplicationDelegateAdaptor` properties; Objective-C has none."""
        return []

    @abstractmethod
    def expression(self, node: Node) -> ir.Expr: ...

    @abstractmethod
    def describe(self, node: Node) -> FunctionInfo: ...

    @abstractmethod
    def convert_body(self, node: Node) -> list[ir.Stmt]: ...

    @abstractmethod
    def context(self, node: Node) -> Context: ...

    @abstractmethod
    def scope_node(self, node: Node) -> Node | None: ...

    @abstractmethod
    def type_node(self, node: Node) -> Node | None: ...

    @abstractmethod
    def owner_type(self, node: Node) -> str | None: ...

    @abstractmethod
    def consumer(self, node: Node) -> Consumer | None: ...

    @abstractmethod
    def options(self) -> dict[OptionKey, bool | None]: ...

    @abstractmethod
    def container_value(self, node: Node) -> tuple[str, Node] | None:
        """For an option capture that sets sharedContainerIdentifier: the variable it is set on and
        the value's node."""

    def containers(self) -> dict[OptionKey, tuple[Loc, IdentifierValue]]:
        """Where each configuration variable's sharedContainerIdentifier is set, to what (symbolic)."""
        found: dict[OptionKey, tuple[Loc, IdentifierValue]] = {}
        for node in self.captures.option:
            parts = self.container_value(node)
            if parts is None:
                continue
            base, value_node = parts
            scope_node = self.scope_node(node)
            scope = self.scope(scope_node)
            value = identifier_value(
                self.expression(value_node),
                local_values=scope.local_values,
                parameters=frozenset(scope.parameters),
                scope=self.context(node).type_name,
            )
            key = scope_node.start_byte if scope_node is not None else -1
            found.setdefault((key, base, "shared"), (node_loc(node), value))
        return found

    def function_nodes(self) -> list[Node]:
        return self.captures.function

    @abstractmethod
    def body_range(self, node: Node) -> tuple[int, int]: ...

    def chained_task(self, node: Node) -> bool:
        return False

    @abstractmethod
    def instantiated_type(self, node: Node) -> str | None: ...

    # --- shared helpers ----------------------------------------------------------------------------------

    def info(self, node: Node) -> FunctionInfo:
        cached = self._infos.get(node.start_byte)
        if cached is None:
            cached = self.describe(node)
            self._infos[node.start_byte] = cached
        return cached

    def body(self, node: Node) -> list[ir.Stmt]:
        cached = self._bodies.get(node.start_byte)
        if cached is None:
            cached = self.convert_body(node)
            self._bodies[node.start_byte] = cached
        return cached

    def scope(self, node: Node | None) -> Scope:
        if node is None:
            return Scope(None)
        cached = self._scopes.get(node.start_byte)
        if cached is None:
            if node in self._function_node_set():
                cached = roles.scope_for(self.info(node), self.body(node), self.lint_options.main_helpers)
            else:
                cached = Scope(self.owner_type(node))
                cached.learn(self.body(node))
            self._scopes[node.start_byte] = cached
        return cached

    def _function_node_set(self) -> set[Node]:
        if self._function_set is None:
            self._function_set = set(self.function_nodes())
        return self._function_set

    def parameter_label(self, scope_node: Node | None, name: str) -> str:
        """The call-site label of a parameter (Swift external label, Objective-C selector part)."""
        if scope_node is None or scope_node not in self._function_node_set():
            return name
        for param in self.info(scope_node).params:
            if param.name == name:
                return param.label
        return name

    # --- configurations ----------------------------------------------------------------------------------

    def configs(self) -> list[tuple[int, ConfigFact]]:
        options = self.options()
        containers = self.containers()
        result: list[tuple[int, ConfigFact]] = []
        for node in unique(self.captures.config):
            call = self.expression(node)
            if not isinstance(call, ir.Call):
                continue
            recognised = config_call(call)
            if recognised is None:
                continue
            scope_node = self.scope_node(node)
            scope = self.scope(scope_node)
            context = self.context(node)
            identifier = identifier_value(
                recognised.identifier,
                local_values=values_at(scope, node.start_byte),
                parameters=frozenset(scope.parameters),
                scope=context.type_name,
            )
            identifier = self._refine_identifier(identifier, node, scope_node)
            consumer = self.consumer(node)
            binding = consumer.name if consumer is not None and consumer.kind in ("local", "assign") else None
            key = scope_node.start_byte if scope_node is not None else -1
            names = {binding, f"self.{binding}", f"_{binding}"} if binding else {context.member}
            launch = next(
                (
                    value
                    for (k, base, option), value in options.items()
                    if k == key and base in names and option == "launch"
                ),
                None,
            )
            shared = any(k == key and base in names and option == "shared" for (k, base, option) in options)
            container = next((found for (k, base, _), found in containers.items() if k == key and base in names), None)
            fact = ConfigFact(
                loc=node_loc(node),
                identifier=identifier,
                deprecated=recognised.deprecated,
                deprecated_guarded=context.availability_guarded,
                owner=context.owner,
                binding=binding,
                holder=context.member
                if context.in_property_value
                or (consumer is not None and consumer.kind in ("return", "value"))
                or (binding is not None and self._returns(scope_node, binding))
                else None,
                launch_events=launch,
                shared_container=shared,
                branch=context.branch,
                in_handle_events=context.handle_events,
                alternative=binding is not None and self._bound_to_default(binding, scope_node, scope),
                container=container[1] if container is not None else None,
                container_loc=container[0] if container is not None else None,
                factory=self._factory_name(node, call) if recognised.deprecated else None,
                factory_label_at=call.args[0].value.pos.start_byte
                if recognised.deprecated and call.args and not call.message
                else None,
                argument=_argument_span(recognised.identifier),
                default_of=self._default_of(node, scope_node),
            )
            result.append((node.start_byte, fact))
        return result

    def _returns(self, scope_node: Node | None, name: str) -> bool:
        """Whether the function returns the local `name` (`let c = .background(…); …; return c`): a factory."""
        if scope_node is None:
            return False
        return any(
            isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name) and stmt.value.text == name
            for stmt in self.body(scope_node)
        )

    def _default_of(self, node: Node, scope_node: Node | None) -> str | None:
        """The label of the parameter whose default value `node` is (`init(configuration: C = .background(…))`)."""
        current: Node | None = node
        for _ in range(4):
            if current is None or current.parent is None:
                return None
            parent = current.parent
            index = next(i for i in range(parent.child_count) if parent.child(i) == current)
            if parent.field_name_for_child(index) == "default_value":
                param = current.prev_named_sibling
                name = param.child_by_field_name("name") if param is not None else None
                return self.parameter_label(scope_node, text(name)) if name is not None else None
            current = parent
        return None

    def _bound_to_default(self, binding: str, scope_node: Node | None, scope: Scope) -> bool:
        """Whether `binding` is also given a default or ephemeral configuration in the same function."""
        if scope_node is None:
            return False
        for stmt in ir.all_stmts(self.body(scope_node)):
            assigns = isinstance(stmt, ir.Assign) and ir.last_name(stmt.target) == binding
            declares = isinstance(stmt, ir.VarDecl) and binding in stmt.names
            value = stmt.value if isinstance(stmt, (ir.Assign, ir.VarDecl)) and (assigns or declares) else None
            if value is not None and config_ref(value, scope, {})[0] == "default":
                return True
        return False

    def _factory_name(self, node: Node, call: ir.Call) -> Span | None:
        """The deprecated factory's name in the call, when the fix can rename it: the Swift form's one
        argument must be unlabelled, since the fix gives it the `withIdentifier:` label."""
        if call.args and call.args[0].label not in ("_", "") and not call.message:
            return None
        first = call.args[0].value.pos.start_byte if call.args else node.end_byte
        return fixsites.name_span(node, "backgroundSessionConfiguration", first)

    def _refine_identifier(self, identifier: IdentifierValue, node: Node, scope_node: Node | None) -> IdentifierValue:
        if identifier.kind is IdKind.PARAMETER:
            return IdentifierValue(
                IdKind.PARAMETER, self.parameter_label(scope_node, identifier.text), identifier.scope
            )
        if identifier.kind is IdKind.UNSTABLE:
            owner = self.type_node(node) or scope_node
            if owner is not None and _PERSISTENCE.search(self.source, owner.start_byte, owner.end_byte):
                return IdentifierValue(IdKind.UNSTABLE, identifier.text, identifier.scope, persisted=True)
        return identifier

    # --- sessions --------------------------------------------------------------------------------------------

    def invalidations(self) -> list[InvalidationFact]:
        result = []
        for node in unique(self.captures.invalidate):
            call = self.expression(node)
            if not isinstance(call, ir.Call) or not isinstance(call.callee, ir.Member):
                continue
            dotted = ir.dotted(call.callee.base) or ""
            parts = dotted.replace("->", ".").split(".")
            held = len(parts) == 1 or (len(parts) == 2 and parts[0] == "self")
            receiver = parts[-1].lstrip("_") if held and parts[-1] else None
            method = call.callee.name.split(":", 1)[0]
            clears = receiver is not None and self._cleared_after(node, receiver)
            base = call.callee.base
            made_by = ir.last_name(base.callee) if isinstance(base, ir.Call) and not base.message else None
            if isinstance(base, ir.Call) and base.message and isinstance(base.callee, ir.Member):
                made_by = base.callee.name.split(":", 1)[0]
            result.append(InvalidationFact(node_loc(node), method, receiver, self.context(node).owner, clears, made_by))
        return result

    def _cleared_after(self, node: Node, receiver: str) -> bool:
        """Whether the function sets the invalidated holder to nil after the call (`session = nil`)."""
        scope_node = self.scope_node(node)
        if scope_node is None:
            return False
        for stmt in ir.all_stmts(self.body(scope_node)):
            if (
                isinstance(stmt, ir.Assign)
                and stmt.pos.start_byte > node.start_byte
                and isinstance(stmt.value, ir.NilLit)
                and (ir.dotted(stmt.target) or "").replace("->", ".").split(".")[-1].lstrip("_") == receiver
            ):
                return True
        return False

    def sessions(self, config_index: dict[int, int]) -> list[tuple[int, SessionFact]]:
        invalidations = [
            (owner.start_byte, node.start_byte)
            for node in self.captures.invalidate
            if (owner := self.scope_node(node)) is not None
        ]
        result: list[tuple[int, SessionFact]] = []
        for node in unique(self.captures.session):
            call = self.expression(node)
            if not isinstance(call, ir.Call):
                continue
            recognised = session_call(call)
            if recognised is None:
                continue
            scope_node = self.scope_node(node)
            scope = self.scope(scope_node)
            context = self.context(node)
            if scope_node is not None and any(
                scope_node.start_byte == start and point < node.start_byte for start, point in invalidations
            ):
                context.after_invalidate = True
            # The value the configuration variable has here: `c = nil; if … { c = .background(…) }`.
            at_call = dataclasses.replace(scope, local_values=values_at(scope, node.start_byte))
            kind, ref, index = config_ref(recognised.configuration, at_call, config_index)
            if kind == "param":
                ref = self.parameter_label(scope_node, ref)
            delegate, delegate_type = delegate_reference(
                recognised.delegate,
                enclosing_type=context.type_name,
                local_types=scope.local_types,
                parameters=scope.parameters,
            )
            type_kind, inherits = self.type_kinds.get(context.type_name or "", ("", ()))
            view_type = bool(VIEW_TYPES & set(inherits)) or type_kind == "struct"
            result.append(
                (
                    node.start_byte,
                    SessionFact(
                        loc=node_loc(node),
                        config_kind=closed(kind, ConfigKind),
                        config_ref=ref,
                        config_index=index,
                        delegate=closed(delegate, DelegateKind),
                        delegate_type=delegate_type,
                        main_queue=is_main_queue(recognised.queue),
                        queue_ref=_property_named(recognised.queue),
                        memo=memo_of(context, view_type=view_type, memo_helpers=self.lint_options.memo_helpers),
                        owner=context.owner,
                        holder=self._holder(node, scope_node, context),
                        holder_type=context.type_name,
                        used_for_task=self.chained_task(node),
                        cancel_only=self._cancel_only(call, node, scope_node),
                        lazy_fix=fixsites.lazy_property(self.ancestry.of(node))
                        if context.owner.kind == "property"
                        else None,
                    ),
                )
            )
        return result

    def _cancel_only(self, call: ir.Call, node: Node, scope_node: Node | None) -> bool:
        """Whether the session is made only to be invalidated: chained, or a local used for nothing else."""
        consumer = self.consumer(node)
        if consumer is None or consumer.kind != "local" or scope_node is None:
            body = self.body(scope_node) if scope_node is not None else []
            return any(
                isinstance(expr, ir.Member) and expr.name in _INVALIDATE and expr.base is call
                for expr in ir.walk_body(body)
            )
        uses = 0
        invalidations = 0
        for expr in ir.walk_body(self.body(scope_node)):
            if isinstance(expr, ir.Name) and expr.text == consumer.name:
                uses += 1
            elif (
                isinstance(expr, ir.Member)
                and expr.name in _INVALIDATE
                and isinstance(expr.base, ir.Name)
                and expr.base.text == consumer.name
            ):
                invalidations += 1
        return invalidations > 0 and uses == invalidations

    def _holder(self, node: Node, scope_node: Node | None, context: Context) -> str | None:
        """The member or method whose value is this session."""
        consumer = self.consumer(node)
        if (consumer is not None and consumer.kind in ("return", "value")) or (
            context.in_property_value and consumer is None
        ):
            return context.member
        if consumer is not None and consumer.kind == "assign":
            return consumer.name
        if consumer is None and scope_node is not None and context.member_kind in ("method", "function"):
            # A Swift single-expression body returns its expression: `func make() -> URLSession { URLSession(…) }`.
            body = self.body(scope_node)
            if len(body) == 1 and isinstance(body[0], ir.ExprStmt) and body[0].expr.pos.start_byte == node.start_byte:
                return context.member
        if consumer is not None and consumer.kind == "local" and scope_node is not None:
            local = consumer.name
            for stmt in ir.all_stmts(self.body(scope_node)):
                if isinstance(stmt, ir.Assign) and isinstance(stmt.value, ir.Name) and stmt.value.text == local:
                    name = ir.last_name(stmt.target)
                    if name:
                        return name.lstrip("_")
                if isinstance(stmt, ir.Return) and isinstance(stmt.value, ir.Name) and stmt.value.text == local:
                    return context.member
        return None

    # --- instances -----------------------------------------------------------------------------------------

    def instantiations(self) -> list[InstantiationFact]:
        """Where classes are instantiated, and how often that place runs (for sessions made in initializers)."""
        found: list[InstantiationFact] = []
        for node in self.captures.instantiation:
            name = self.instantiated_type(node)
            if not name or name.startswith(_SYSTEM_PREFIXES):
                continue
            context = self.context(node)
            type_kind, inherits = self.type_kinds.get(context.type_name or "", ("", ()))
            view_type = bool(VIEW_TYPES & set(inherits)) or type_kind == "struct"
            memo = memo_of(context, view_type=view_type, memo_helpers=self.lint_options.memo_helpers)
            if view_type and memo in (Memo.STORED, Memo.LAZY, Memo.INIT):
                memo = Memo.VIEW_LIFECYCLE
            consumer = self.consumer(node)
            kept = consumer is not None and consumer.kind in ("assign", "return", "value")
            found.append(InstantiationFact(name, memo, node_loc(node), kept, context.type_name))
        return found

    # --- tasks -----------------------------------------------------------------------------------------------

    def tasks(self, sessions: list[tuple[int, SessionFact]]) -> list[TaskFact]:
        session_starts = {start: index for index, (start, _) in enumerate(sessions)}
        found: list[TaskFact] = []
        for node in unique(self.captures.task):
            call = self.expression(node)
            if not isinstance(call, ir.Call) or not isinstance(call.callee, ir.Member):
                continue
            recognised = task_call(call)
            if recognised is None:
                continue
            scope = self.scope(self.scope_node(node))
            context = self.context(node)
            kind, receiver, receiver_type, index = receiver_of(
                call.callee.base, scope, session_starts, context.type_name
            )
            found.append(
                TaskFact(
                    node_loc(node),
                    recognised.method,
                    recognised.kind,
                    closed(kind, ReceiverKind),
                    receiver,
                    receiver_type,
                    index,
                    context.owner,
                )
            )
        return found

    # --- functions -------------------------------------------------------------------------------------------

    def _method_queues(self) -> dict[str | None, Thread]:
        """Each React Native module's methodQueue in this file: main when it returns the main queue, off
        main otherwise; React Native's default, without the method, is a serial queue of the module's own."""
        queues: dict[str | None, Thread] = {}
        for node in unique(self.function_nodes()):
            info = self.info(node)
            if info.base == "methodQueue" and not info.params:
                body = self.source[node.start_byte : node.end_byte]
                main = b"dispatch_get_main_queue" in body or b"DispatchQueue.main" in body
                queues[info.type_name] = Thread.MAIN if main else Thread.OFF
        return queues

    def functions(self) -> FunctionFacts:
        result = FunctionFacts()
        interesting = self._interesting_types()
        keepers = self._handler_types() | interesting
        queues = self._method_queues() if SCRIPT_ENTRY in self.source else {}
        for node in unique(self.function_nodes()):
            info = self.info(node)
            role = roles.role_of(info)
            start, end = self.body_range(node)
            # Most methods that mention a completion block are API callbacks. A helper on a handler's
            # path takes a `() -> Void` block, lives in a type that keeps one, or calls one.
            hinted = bool(_HELPER_HINT.search(self.source, start, end)) and (
                info.type_name is None or info.type_name in keepers or handler_use(self.source, start, end)
            )
            wants_helper = role is Role.OTHER and (bool(roles.closure_params(info)) or hinted)
            wants_function = info.type_name in interesting
            if role in (Role.OTHER, Role.INVALID) and not wants_helper and not wants_function:
                continue
            body = self.body(node)
            scope = self.scope(node)
            if info.base.startswith("init") and info.type_name and info.params:
                result.init_properties.extend(_init_properties(info, body))
            if role is Role.HANDLE_EVENTS:
                handle = roles.handle_events_fact(info, body, scope)
                if handle.early_site is not None:
                    handle = handle._replace(early_site=fixsites.with_text(self.source, handle.early_site))
                result.handle_events.append(handle)
            elif role is Role.FINISH_EVENTS:
                finish = roles.finish_events_fact(info, body, scope)
                result.finish_events.append(finish._replace(calls=fixsites.with_sites(self.source, finish.calls)))
            elif role is Role.DOWNLOAD:
                result.downloads.append(roles.download_fact(info, body, scope))
            elif role is Role.WATCH:
                result.watch.append(roles.watch_fact(info, body, scope))
            elif role is Role.LAUNCH:
                result.launches.append(roles.launch_fact(info, body, scope))
            if wants_helper:
                helper = roles.helper_fact(info, body, scope)
                if helper is not None and info.script_entry:
                    helper = helper._replace(entry_thread=queues.get(info.type_name, Thread.OFF))
                if helper is not None:
                    result.helpers.append(helper)
                    result.helpers.extend(roles.closure_member_helpers(info, body, scope))
            if wants_function:
                result.functions.append(roles.function_fact(info, body, scope))
        return result

    def _handler_types(self) -> set[str]:
        """Types in this file that keep a `() -> Void` / `void (^)(void)` block (a property, an ivar, a
        dictionary of them) or take one in a method: where completion-handler helpers live."""
        names: set[str] = set()
        for node in self.captures.types:
            if _BLOCK_TYPE.search(self.source, node.start_byte, node.end_byte):
                name = self.type_name_of(node)
                if name:
                    names.add(name)
        return names

    def type_name_of(self, node: Node) -> str | None:
        """The name a type declaration declares (for Objective-C, the class a category extends)."""
        return self.owner_type(node.named_children[0]) if node.named_children else None

    def _interesting_types(self) -> set[str]:
        """Types whose methods are followed from launch code: app delegates, apps, and session holders."""
        names = {
            name
            for name, (_, inherits) in self.type_kinds.items()
            if {"UIApplicationDelegate", "App", "UIResponder"} & set(inherits)
        }
        for node in self.captures.session:
            owner = self.context(node).type_name
            if owner:
                names.add(owner)
        return names

    def merge_type_kinds(self, name: str, kind: str, inherits: tuple[str, ...]) -> None:
        previous = self.type_kinds.get(name)
        if previous is None:
            self.type_kinds[name] = (kind, inherits)
            return
        primary = previous[0] if kind in ("extension", "category", "implementation") else kind
        self.type_kinds[name] = (primary, previous[1] + inherits)


def _argument_span(identifier: ir.Expr | None) -> Span | None:
    """The identifier argument when the call spells the value. A name or member chain (`id`,
    `Constants.identifier`) refers to a value set elsewhere and maybe compared elsewhere: replacing
    this one use would split the identifier, so there is no span."""
    if identifier is None or ir.dotted(identifier) is not None:
        return None
    return Span(identifier.pos.start_byte, identifier.pos.end_byte)


def group_captures(matches: list[tuple[int, dict[str, list[Node]]]]) -> dict[str, list[Node]]:
    captures: dict[str, list[Node]] = defaultdict(list)
    for _, found in matches:
        for name, nodes in found.items():
            if not name.startswith("_"):
                captures[name].extend(nodes)
    return captures


def first_error(nodes: list[Node]) -> Node | None:
    return min(nodes, key=lambda n: n.start_byte) if nodes else None
