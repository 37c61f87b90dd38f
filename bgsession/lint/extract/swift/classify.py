"""Swift facts: run the combined query once, then read each anchor's neighbourhood.

Only captured nodes and the few bodies that matter are looked at from Python; the rest of the tree
is never walked, which keeps extraction close to the cost of parsing (DESIGN.md, "Grammar facts").
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from bgsession.grammars import SourceLanguage
from bgsession.grammars import matches as query_matches
from bgsession.lint import ir
from bgsession.lint.extract.base import Captures, Consumer, Extractor, OptionKey, group_captures
from bgsession.lint.extract.swift import ir as swift_ir
from bgsession.lint.extract.syntax import node_loc, pos, text
from bgsession.lint.facts import (
    AdaptorFact,
    BackgroundTaskFact,
    CallArgFact,
    ConstantFact,
    DelegateCastFact,
    EntryFact,
    FileFacts,
    IdentifierMatch,
    IdentifierValue,
    IdKind,
    PropertyFact,
    PropertyKind,
    TypeFact,
    TypeKind,
    closed,
)
from bgsession.lint.ir import roles
from bgsession.lint.ir.anchors import config_ref
from bgsession.lint.ir.context import Context, compares_identifier, is_availability, tests_state
from bgsession.lint.ir.recognize import callee_parts, config_call, identifier_value, session_call
from bgsession.lint.ir.roles import FunctionInfo, Param, Role
from bgsession.lint.ir.scope import expr_type, values_at
from bgsession.lint.ir.vocabulary import SESSION_TYPES
from bgsession.lint.options import LintOptions

_FUNCTIONS = ("function_declaration", "init_declaration")
_TYPE_BODIES = ("class_body", "enum_class_body", "protocol_body")
_WRAPPERS = (
    "try_expression",
    "await_expression",
    "postfix_expression",
    "tuple_expression",
    "as_expression",
    "parenthesized_expression",
)


def extract(path: str, source: bytes, tree: Tree, options: LintOptions | None = None) -> FileFacts:
    matches = query_matches(SourceLanguage.SWIFT, tree.root_node)
    return SwiftFile(path, source, classify(group_captures(matches)), options, root=tree.root_node).facts()


_CONFIG_NAMES = frozenset({"background", "backgroundSessionConfiguration"})
_SESSION_TYPES = SESSION_TYPES
_INVALIDATE = frozenset({"invalidateAndCancel", "finishTasksAndInvalidate"})
_OPTIONS = frozenset({"sessionSendsLaunchEvents", "sharedContainerIdentifier"})
_PROPERTY_PARENTS = frozenset({"source_file", "class_body", "enum_class_body"})


def _callee_call(callee: Node) -> Node | None:
    """The call whose callee is `callee`, if any."""
    parent = callee.parent
    if parent is not None and parent.type == "call_expression" and parent.named_children[0].id == callee.id:
        return parent
    return None


@dataclass(slots=True)
class SwiftCaptures(Captures):
    """The anchors only Swift has: stored properties, string-valued enum cases, `backgroundTask`
    modifiers, attributes and labelled arguments."""

    property: list[Node] = field(default_factory=list)
    enum_case: list[Node] = field(default_factory=list)
    background_task: list[Node] = field(default_factory=list)
    attribute: list[Node] = field(default_factory=list)
    labeled_arg: list[Node] = field(default_factory=list)


def classify(leaves: dict[str, list[Node]]) -> SwiftCaptures:
    """The queries capture leaf names (cheap to compile); this finds the call, assignment, cast or
    attribute each belongs to, under the kinds the extractor reads."""
    found = SwiftCaptures(
        types=list(leaves.get("type", [])),
        function=list(leaves.get("function", [])),
        imports=list(leaves.get("import", [])),
        error=list(leaves.get("error", [])),
    )
    found.property = [
        n for n in leaves.get("property", []) if n.parent is not None and n.parent.type in _PROPERTY_PARENTS
    ]
    found.enum_case = [
        n
        for n in leaves.get("enum_case", [])
        if (value := n.child_by_field_name("raw_value")) and value.type == "line_string_literal"
    ]
    task_names = {leaf.id for leaf in leaves.get("task_name", [])}
    for leaf in leaves.get("member_name", []) + leaves.get("task_name", []) + leaves.get("app_member", []):
        suffix = leaf.parent
        navigation = suffix.parent if suffix is not None else None
        if navigation is None or navigation.type != "navigation_expression":
            continue
        name = text(leaf)
        call = _callee_call(navigation)
        holder = navigation.parent
        if call is not None and name in _CONFIG_NAMES:
            found.config.append(call)
        elif call is not None and name == "init":
            target = navigation.child_by_field_name("target")
            if target is not None and text(target) in _SESSION_TYPES:
                found.session.append(call)
        elif call is not None and name == "URLSession":
            # `Foundation.URLSession(configuration:…)`, written so when a project type is also named URLSession.
            target = navigation.child_by_field_name("target")
            if target is not None and text(target) == "Foundation":
                found.session.append(call)
        elif call is not None and name in _INVALIDATE:
            found.invalidate.append(call)
        elif call is not None and name == "backgroundTask":
            found.background_task.append(call)
        elif call is not None and leaf.id in task_names:
            found.task.append(call)
        elif name in _OPTIONS and holder is not None and holder.type == "directly_assignable_expression":
            assignment = holder.parent
            if assignment is not None and assignment.type == "assignment":
                found.option.append(assignment)
        elif name == "delegate" and holder is not None and holder.type == "as_expression":
            expr = holder.child_by_field_name("expr")
            if expr is not None and expr.id == navigation.id:
                found.delegate_cast.append(holder)
    for leaf in leaves.get("bare_name", []):
        parent = leaf.parent
        if parent is None:
            continue
        name = text(leaf)
        if name in _SESSION_TYPES and (call := _callee_call(leaf)) is not None:
            found.session.append(call)
        elif name in _CONFIG_NAMES and parent.type == "prefix_expression":
            target = parent.child_by_field_name("target")
            if target is not None and target.id == leaf.id and (call := _callee_call(parent)) is not None:
                found.config.append(call)
    for leaf in leaves.get("entry_name", []):
        if (call := _callee_call(leaf)) is not None:
            found.uiapplicationmain.append(call)
    for leaf in leaves.get("capitalized", []):
        if (call := _callee_call(leaf)) is not None:
            found.instantiation.append(call)
    for leaf in leaves.get("attribute_name", []):
        user_type = leaf.parent
        attribute = user_type.parent if user_type is not None and user_type.type == "user_type" else None
        if attribute is not None and attribute.type == "attribute":
            found.attribute.append(attribute)
    for leaf in leaves.get("arg_label", []):
        label = leaf.parent
        argument = label.parent if label is not None else None
        if argument is not None and argument.type == "value_argument":
            found.labeled_arg.append(argument)
    found.in_source_order()
    return found


class SwiftFile(Extractor[SwiftCaptures]):
    language = "swift"

    def imports(self) -> list[str]:
        return [text(n).split()[-1] for n in self.captures.imports if text(n).split()]

    # --- hooks -------------------------------------------------------------------------------------------

    def expression(self, node: Node) -> ir.Expr:
        parent = node.parent
        if (
            node.type == "call_expression"
            and parent is not None
            and swift_ir.is_trailing_closure_call(parent)
            and parent.named_children[0].id == node.id
        ):
            node = parent
        return swift_ir.expression(node)

    def body_range(self, node: Node) -> tuple[int, int]:
        body = node.child_by_field_name("body")
        return (body.start_byte, body.end_byte) if body is not None else (node.end_byte, node.end_byte)

    def type_node(self, node: Node) -> Node | None:
        return self.ancestry.enclosing(node, ("class_declaration",))

    def owner_type(self, node: Node) -> str | None:
        owner = self.type_node(node)
        return _type_name(owner) if owner is not None else None

    def scope_node(self, node: Node) -> Node | None:
        """The function, initializer, or type-level property whose body holds `node`."""
        ancestors = self.ancestry.of(node)
        for index, current in enumerate(ancestors):
            if current.type in _FUNCTIONS:
                return current
            if current.type == "property_declaration" and index + 1 < len(ancestors):
                if ancestors[index + 1].type in (*_TYPE_BODIES, "source_file"):
                    return current
        return None

    def convert_body(self, node: Node) -> list[ir.Stmt]:
        if node.type in _FUNCTIONS:
            return swift_ir.body(node.child_by_field_name("body"))
        if node.type == "property_declaration":
            computed = node.child_by_field_name("computed_value")
            if computed is not None:
                return swift_ir.body(computed)
            value = node.child_by_field_name("value")
            if value is not None:
                return [ir.ExprStmt(pos(value), swift_ir.expression(value))]
        return []

    def describe(self, node: Node) -> FunctionInfo:
        params: list[Param] = []
        for child in node.named_children:
            if child.type != "parameter":
                continue
            external, internal, type_text = "", "", ""
            for index, part in enumerate(child.children):
                field = child.field_name_for_child(index)
                if field == "external_name":
                    external = text(part)
                elif field == "name" and part.type == "simple_identifier" and not internal:
                    internal = text(part)
                elif field in ("name", "type") and part.type != "simple_identifier":
                    type_text = text(part)
            params.append(Param(external or internal, internal or external, type_text))
        is_init = node.type == "init_declaration"
        owner = self.owner_type(node)
        modifiers = text(next((c for c in node.named_children if c.type == "modifiers"), None))
        body = node.child_by_field_name("body")
        head = self.source[node.start_byte : body.start_byte if body is not None else node.end_byte]
        body_text = self.source[body.start_byte : body.end_byte] if body is not None else b""
        _, inherits = self.type_kinds.get(owner or "", ("", ()))
        type_node = self.type_node(node)
        return FunctionInfo(
            type_name=owner,
            base="init" if is_init else text(node.child_by_field_name("name")),
            labels=tuple(p.label for p in params),
            params=params,
            loc=node_loc(node.child_by_field_name("name") or node),
            is_async=b" async" in head,
            has_await=b"await" in body_text,
            main_actor="@MainActor" in modifiers
            or ("nonisolated" not in modifiers and type_node is not None and "MainActor" in _attributes(type_node)),
            static=bool(re.search(r"\b(static|class)\b", modifiers)),
            app_init=is_init and "App" in inherits,
        )

    def consumer(self, node: Node) -> Consumer | None:
        """What receives the value of `node`: a local, an assigned member, a return, or a value (a
        property's or a closure's result)."""
        ancestors = self.ancestry.of(node)
        index = next((i for i, ancestor in enumerate(ancestors) if ancestor.type not in _WRAPPERS), None)
        if index is None:
            return None
        parent = ancestors[index]
        grand = ancestors[index + 1] if index + 1 < len(ancestors) else None
        if parent.type == "property_declaration":
            names = parent.children_by_field_name("name")
            if not names:
                return None
            if grand is not None and grand.type in (*_TYPE_BODIES, "source_file"):
                return Consumer("value")
            bound = names[0].child_by_field_name("bound_identifier") or names[0]
            return Consumer("local", text(bound))
        if parent.type == "assignment":
            found = re.findall(r"[A-Za-z_]\w*", text(parent.child_by_field_name("target")))
            return Consumer("assign", found[-1].lstrip("_")) if found else None
        if parent.type == "control_transfer_statement":
            return Consumer("return")
        if (
            parent.type == "statements"
            and grand is not None
            and len(parent.named_children) == 1
            and grand.type in ("lambda_literal", "computed_property", "computed_getter")
        ):
            return Consumer("value")
        return None

    def instantiated_type(self, node: Node) -> str | None:
        callee = node.named_children[0] if node.named_children else None
        return text(callee) if callee is not None and callee.type == "simple_identifier" else None

    def chained_task(self, node: Node) -> bool:
        return node.parent is not None and node.parent.type == "navigation_expression"

    def options(self) -> dict[OptionKey, bool | None]:
        """`x.sessionSendsLaunchEvents = false` and `x.sharedContainerIdentifier = ...`, by scope and variable."""
        found: dict[OptionKey, bool | None] = {}
        for node in self.captures.option:
            target = node.child_by_field_name("target")
            navigation = target.named_children[0] if target is not None and target.named_children else None
            if navigation is None:
                continue
            base = text(navigation.child_by_field_name("target"))
            suffix = navigation.child_by_field_name("suffix")
            option = text(suffix.child_by_field_name("suffix") if suffix is not None else None)
            value = text(node.child_by_field_name("result")).strip()
            scope = self.scope_node(node)
            key = scope.start_byte if scope is not None else -1
            if option == "sessionSendsLaunchEvents":
                found[(key, base, "launch")] = {"false": False, "true": True}.get(value)
            else:
                found[(key, base, "shared")] = value != "nil"
        return found

    def container_value(self, node: Node) -> tuple[str, Node] | None:
        target = node.child_by_field_name("target")
        navigation = target.named_children[0] if target is not None and target.named_children else None
        suffix = navigation.child_by_field_name("suffix") if navigation is not None else None
        value = node.child_by_field_name("result")
        if navigation is None or suffix is None or value is None:
            return None
        if text(suffix.child_by_field_name("suffix")) != "sharedContainerIdentifier":
            return None
        return text(navigation.child_by_field_name("target")), value

    def context(self, node: Node) -> Context:
        context = Context()
        ancestors = self.ancestry.of(node)
        for index, parent in enumerate(ancestors):
            child = ancestors[index - 1] if index else node
            grand = ancestors[index + 1] if index + 1 < len(ancestors) else None
            kind = parent.type
            if kind == "lambda_literal":
                immediately_invoked = (
                    grand is not None
                    and grand.type == "call_expression"
                    and bool(grand.named_children)
                    and grand.named_children[0] == parent
                )
                if not immediately_invoked:
                    owner_call = next((a for a in ancestors[index + 1 :] if a.type == "call_expression"), None)
                    callee = (
                        owner_call.named_children[0] if owner_call is not None and owner_call.named_children else None
                    )
                    context.closure_calls.append(text(callee))
            elif kind == "if_statement":
                self._if_context(parent, child, context)
            elif kind == "nil_coalescing_expression" and parent.child_by_field_name("if_nil") == child:
                context.nil_coalescing = True
            elif kind == "statements" and context.member is None:
                self._preceding_guards(parent, child, context)
            elif kind in _FUNCTIONS and context.member is None:
                info = self.info(parent)
                context.member = info.base
                context.member_kind = "init" if kind == "init_declaration" else "method"
                context.function_name = info.base
                context.function_labels = info.labels
                context.static = info.static
                context.handle_events = roles.role_of(info) is Role.HANDLE_EVENTS
            elif kind == "computed_property" and context.member is None:
                context.computed = True
            elif (
                kind == "property_declaration"
                and grand is not None
                and (grand.type in (*_TYPE_BODIES, "source_file"))
                and context.member is None
            ):
                fact = _property(parent)
                context.member = fact.name if fact else None
                context.member_kind = "property" if grand.type != "source_file" else "global"
                context.static = bool(fact and fact.static)
                context.lazy = bool(fact and fact.kind == "lazy")
                context.in_property_value = not context.computed
            elif kind == "class_declaration":
                context.type_name = _type_name(parent)
                context.type_kind = text(parent.child_by_field_name("declaration_kind"))
                break
        return context

    def _if_context(self, statement: Node, child: Node, context: Context) -> None:
        conditions = [c for i, c in enumerate(statement.children) if statement.field_name_for_child(i) == "condition"]
        condition = " ".join(text(c) for c in conditions)
        in_else = False
        for sibling in statement.children:
            if sibling.type == "else":
                in_else = True
            if sibling == child:
                break
        if context.branch is None:
            context.branch = (statement.start_byte, 1 if in_else else 0)
        if is_availability(condition):
            context.availability_guarded |= in_else
            return
        if not in_else and tests_state(condition):
            context.state_guarded = True

    def _preceding_guards(self, statements: Node, child: Node, context: Context) -> None:
        """An early `return` behind a state check before this statement (a guard flag, a cached value)."""
        for sibling in statements.named_children:
            if sibling.start_byte >= child.start_byte:
                break
            if sibling.type not in ("guard_statement", "if_statement"):
                continue
            conditions = [c for i, c in enumerate(sibling.children) if sibling.field_name_for_child(i) == "condition"]
            condition = " ".join(text(c) for c in conditions)
            returns = b"return" in self.source[sibling.start_byte : sibling.end_byte]
            if returns and tests_state(condition) and not compares_identifier(condition):
                context.state_guarded = True
            if returns and is_availability(condition):
                context.availability_guarded = True

    # --- types and constants -------------------------------------------------------------------------------

    def type_fact(self, node: Node) -> TypeFact:
        kind = text(node.child_by_field_name("declaration_kind")) or "class"
        name = _type_name(node)
        inherits = tuple(
            _base_type(text(child.child_by_field_name("inherits_from") or child))
            for child in node.named_children
            if child.type == "inheritance_specifier"
        )
        body = node.child_by_field_name("body")
        properties: list[PropertyFact] = []
        methods: list[str] = []
        singleton = False
        for member in body.named_children if body is not None else []:
            if member.type == "property_declaration":
                fact = _property(member)
                if fact is None:
                    continue
                properties.append(fact)
                value = member.child_by_field_name("value")
                if fact.static and value is not None and _constructs(value, name):
                    singleton = True
            elif member.type in _FUNCTIONS:
                methods.append(self.info(member).name)
        return TypeFact(
            name,
            closed(kind, TypeKind),
            node_loc(node),
            inherits,
            _attributes(node),
            singleton,
            tuple(properties),
            tuple(methods),
        )

    def constants(self) -> list[ConstantFact]:
        found: list[ConstantFact] = []
        for node in self.captures.property:
            value = node.child_by_field_name("value")
            if value is None or value.type not in (
                "line_string_literal",
                "additive_expression",
                "call_expression",
                "navigation_expression",
                "simple_identifier",
            ):
                continue
            fact = _property(node)
            if fact is None:
                continue
            owner = self.owner_type(node)
            identifier = identifier_value(
                swift_ir.expression(value), local_values={}, parameters=frozenset(), scope=owner
            )
            if identifier.kind is IdKind.DYNAMIC:
                continue
            found.append(ConstantFact(f"{owner}.{fact.name}" if owner else fact.name, identifier, node_loc(node)))
        for node in self.captures.enum_case:
            owner = self.owner_type(node)
            raw = swift_ir.expression(node.child_by_field_name("raw_value"))
            if isinstance(raw, ir.StringLit) and raw.constant is not None and owner:
                name = text(node.child_by_field_name("name"))
                literal = IdentifierValue(IdKind.LITERAL, raw.constant)
                found.append(ConstantFact(f"{owner}.{name}.rawValue", literal, node_loc(node)))
                found.append(ConstantFact(f"{owner}.{name}", literal, node_loc(node)))
        return found

    # --- SwiftUI and app entry points ----------------------------------------------------------------------

    def background_tasks(self) -> list[BackgroundTaskFact]:
        found: list[BackgroundTaskFact] = []
        for node in self.captures.background_task:
            call = swift_ir.expression(node)
            if not isinstance(call, ir.Call) or not call.args:
                continue
            task = call.args[0].value
            matches, identifier = "", None
            if isinstance(task, ir.Member) and task.name == "urlSession":
                matches = "all"
            elif isinstance(task, ir.Call) and isinstance(task.callee, ir.Member) and task.callee.name == "urlSession":
                if task.args and task.args[0].label == "matching":
                    matches = "matching"
                elif task.args:
                    matches = "identifier"
                    scope = self.scope(self.scope_node(node))
                    identifier = identifier_value(
                        task.args[0].value,
                        local_values=scope.local_values,
                        parameters=frozenset(scope.parameters),
                        scope=self.owner_type(node),
                    )
            if not matches:
                continue
            closures = [*call.closures, *(a.value for a in call.args if isinstance(a.value, ir.Closure))]
            mentions: set[str] = set()
            for closure in closures:
                mentions |= ir.mentioned_names(closure.body)
            navigation = node.named_children[0] if node.named_children else node
            suffix = navigation.child_by_field_name("suffix") or navigation
            found.append(
                BackgroundTaskFact(
                    node_loc(suffix),
                    closed(matches, IdentifierMatch),
                    identifier,
                    frozenset(mentions),
                    self.owner_type(node),
                )
            )
        return found

    def adaptors(self) -> list[AdaptorFact]:
        found: list[AdaptorFact] = []
        for node in self.captures.attribute:
            name = text(node).lstrip("@").split("(")[0].strip()
            if name != "UIApplicationDelegateAdaptor":
                continue
            argument = re.search(r"\(\s*([A-Za-z_][\w.]*)\.self", text(node))
            delegate = argument.group(1).split(".")[-1] if argument else None
            if delegate is None:
                declaration = self.ancestry.enclosing(node, ("property_declaration",))
                annotation = (
                    next((c for c in declaration.named_children if c.type == "type_annotation"), None)
                    if declaration is not None
                    else None
                )
                delegate = _base_type(text(annotation).lstrip(":").strip()) if annotation is not None else None
            if delegate:
                found.append(AdaptorFact(node_loc(node), delegate, self.owner_type(node)))
        return found

    def casts(self) -> list[DelegateCastFact]:
        found: list[DelegateCastFact] = []
        for node in self.captures.delegate_cast:
            cast = swift_ir.expression(node)
            if isinstance(cast, ir.Cast) and isinstance(cast.expr, ir.Member):
                source = ir.dotted(cast.expr.base) or ""
                if source in ("UIApplication.shared", "UIApplication.sharedApplication", "application"):
                    found.append(DelegateCastFact(node_loc(node), cast.type_name))
        return found

    def entries(self, types: tuple[TypeFact, ...]) -> list[EntryFact]:
        found: list[EntryFact] = []
        for fact in types:
            if "main" in fact.attributes or "UIApplicationMain" in fact.attributes:
                found.append(EntryFact("app" if "App" in fact.inherits else "main", fact.name, fact.loc))
            elif "App" in fact.inherits and fact.kind == "struct":
                found.append(EntryFact("app", fact.name, fact.loc))
            if {"WKApplicationDelegate", "WKExtensionDelegate"} & set(fact.inherits):
                found.append(EntryFact("watch", fact.name, fact.loc))
        for node in self.captures.uiapplicationmain:
            named = re.search(r"NSStringFromClass\(\s*([A-Za-z_]\w*)\.self", text(node))
            found.append(EntryFact("UIApplicationMain", named.group(1) if named else None, node_loc(node)))
        return found

    def call_args(self, config_index: dict[int, int]) -> list[CallArgFact]:
        found: list[CallArgFact] = []
        for node in self.captures.labeled_arg:
            call_node = self.ancestry.enclosing(node, ("call_expression",))
            if call_node is None:
                continue
            call = swift_ir.expression(call_node)
            if not isinstance(call, ir.Call) or session_call(call) is not None or config_call(call) is not None:
                continue
            value_node = node.child_by_field_name("value")
            value = swift_ir.expression(value_node)
            scope = self.scope(self.scope_node(node))
            # The value a local has where the call is (`if let c = c { f(c) } else { let c = … ; f(c) }`).
            scope = dataclasses.replace(scope, local_values=values_at(scope, node.start_byte))
            _, name = callee_parts(call)
            callee_type = None
            if isinstance(call.callee, ir.Name) and name[:1].isupper():
                callee_type, name = name, "init"
            elif isinstance(call.callee, ir.Member):
                callee_type = expr_type(call.callee.base, scope)
            identifier = identifier_value(
                value,
                local_values=scope.local_values,
                parameters=frozenset(scope.parameters),
                scope=self.owner_type(node),
            )
            inside = [
                start
                for start in config_index
                if value_node is not None and value_node.start_byte <= start < value_node.end_byte
            ]
            kind, _, index = config_ref(value, scope, config_index)
            if inside and index is None:
                index = config_index[inside[0]]
            label = text(node.child_by_field_name("name")).strip()
            found.append(
                CallArgFact(
                    callee_type,
                    name,
                    label,
                    identifier,
                    bool(inside) or kind in ("inline", "local"),
                    index,
                    node_loc(node),
                )
            )
        return found


# --- syntax helpers --------------------------------------------------------------------------------------


def _type_name(node: Node) -> str:
    name = node.child_by_field_name("name")
    return _base_type(text(name)) if name is not None else ""


def _base_type(value: str) -> str:
    cleaned = value.split("<", 1)[0].strip().rstrip("?!")
    return cleaned.split(".")[-1] if cleaned else cleaned


def _attributes(node: Node) -> tuple[str, ...]:
    modifiers = next((c for c in node.named_children if c.type == "modifiers"), None)
    if modifiers is None:
        return ()
    return tuple(text(c).lstrip("@").split("(")[0].strip() for c in modifiers.named_children if c.type == "attribute")


def _property(node: Node) -> PropertyFact | None:
    names = node.children_by_field_name("name")
    if not names:
        return None
    bound = names[0].child_by_field_name("bound_identifier") or names[0]
    modifiers = text(next((c for c in node.named_children if c.type == "modifiers"), None))
    static = bool(re.search(r"\b(static|class)\b", modifiers))
    computed = node.child_by_field_name("computed_value") is not None
    annotation = next((c for c in node.named_children if c.type == "type_annotation"), None)
    kind = "computed" if computed else ("lazy" if "lazy" in modifiers else "stored")
    type_text = text(annotation).lstrip(":").strip()
    value = node.child_by_field_name("value")
    if not type_text and value is not None:
        type_text = _inferred_type(text(value)[:200])
    fresh = value is not None and _FRESH.match(text(value)[:200]) is not None
    return PropertyFact(text(bound), static, closed(kind, PropertyKind), type_text, node_loc(node), fresh)


_FRESH = re.compile(r"^\s*[A-Z]\w*\s*(?:\(|\.init\s*\()")


_CONSTRUCTED = re.compile(r"^\s*([A-Z]\w*)\s*(?:\(|\.init\b|\.shared\b|\.default\b|\.current\b|\.instance\b)")


def _inferred_type(value: str) -> str:
    """The type Swift infers for `let x = T(…)`, `T.init(…)` or `T.shared`: what `x` holds, for
    following a session's owner through the properties that keep it."""
    found = _CONSTRUCTED.match(value)
    return found.group(1) if found else ""


def _constructs(value: Node, type_name: str) -> bool:
    """A static property's value builds an instance of its own type: `static let shared = T()`."""
    head = text(value)[:300].lstrip()
    return head.startswith((f"{type_name}(", "Self(", ".init(", f"{type_name}.init(")) or (
        head.startswith("{") and (f"{type_name}(" in head or "Self(" in head)
    )
