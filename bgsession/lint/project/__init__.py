"""The project summary: every file's facts joined, with names resolved across files.

Identifier constants are resolved wherever they are defined; a configuration built from a parameter
becomes one site per call that passes a value; classes are merged with their extensions and
categories; sessions learn whether their configuration is a background one and who their delegate
is; handler flows are followed through helper methods. Rules read only this summary.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from bgsession.diagnostics import Loc
from bgsession.lint.facts import (
    CallArgFact,
    ConfigFact,
    FileFacts,
    FinishEventsFact,
    HandleEventsFact,
    HandlerCall,
    HandlerStore,
    HelperFact,
    IdentifierValue,
    IdKind,
    InstantiationFact,
    Memo,
    MethodRef,
    SessionFact,
    TaskFact,
    Thread,
    TypeFact,
)
from bgsession.lint.ir.context import HOST_PLUGIN_TYPES, VIEW_TYPES
from bgsession.lint.targets.context import UNKNOWN, AppContext

APP = "app"
EXTENSION = "extension"
WATCH = "watch"
TEST = "test"
_MAX_DEPTH = 4
INSTANCE_VALUE = "the instance's "


@dataclass(frozen=True, slots=True)
class ConfigSite:
    """A background configuration as it is really created: a config fact, or one call of its function."""

    path: str
    loc: Loc
    fact: ConfigFact
    identifier: IdentifierValue
    target: str
    via_call: Loc | None = None

    @property
    def key(self) -> tuple[str, str] | None:
        """What two sites must share to have the same identifier, or None when unknowable."""
        value = self.identifier
        if value.kind is IdKind.LITERAL:
            return ("literal", value.text)
        if value.kind is IdKind.BUNDLE:
            return ("bundle", value.text)
        if value.kind is IdKind.CONSTANT:
            return ("constant", value.text)
        return None

    @property
    def count_key(self) -> tuple[str, str] | None:
        """What two sites share to count as one identifier (BGS016): the identifier, or for one
        instance property read in both, that property (however many values its instances hold)."""
        if self.identifier.kind is IdKind.DYNAMIC and self.identifier.text.startswith(INSTANCE_VALUE):
            return ("instance", self.identifier.text)
        return self.key


@dataclass(frozen=True, slots=True)
class SessionSite:
    path: str
    fact: SessionFact
    background: bool
    configs: tuple[ConfigSite, ...]
    target: str

    @property
    def delegate_type(self) -> str | None:
        return self.fact.delegate_type

    @property
    def either_kind(self) -> bool:
        """Whether the configuration it is made from may be a background or a default one, by path: a
        task on it cannot be judged as a background session's."""
        return any(config.fact.alternative for config in self.configs)


@dataclass(slots=True)
class MergedType:
    name: str
    kind: str = ""
    inherits: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    singleton: bool = False
    properties: dict[str, str] = field(default_factory=dict)
    methods: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)
    # Properties whose value makes a new instance (`let queue = OperationQueue()`).
    fresh: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class StoreFlow:
    """Where handleEvents' handler really ends up, after following helper methods."""

    stores: tuple[HandlerStore, ...]
    early: bool
    unresolved: bool


@dataclass(frozen=True, slots=True)
class CallFlow:
    """A stored handler called from urlSessionDidFinishEvents (directly or through helpers)."""

    call: HandlerCall
    thread: Thread
    wrapper: str | None


class ProjectSummary:
    def __init__(
        self,
        files: list[FileFacts],
        targets: dict[str, str] | None = None,
        groups: dict[str, str] | None = None,
        context: AppContext = UNKNOWN,
    ) -> None:
        self.targets = targets or {}
        # What the Xcode project says of this app (targets, entitlements, dependencies), when one does.
        self.context = context
        self.groups = groups or {}
        # Tests make sessions with throwaway and repeated identifiers on purpose: they are not judged.
        ordered = sorted(files, key=lambda f: f.path)
        self.files = [f for f in ordered if self.targets.get(f.path) != TEST]
        self.test_files = [f for f in ordered if self.targets.get(f.path) == TEST]
        self.types: dict[str, MergedType] = {}
        self.constants: dict[str, IdentifierValue] = {}
        self._constant_suffixes: dict[str, list[str]] = defaultdict(list)
        self.helpers_by_method: dict[str, list[HelperFact]] = defaultdict(list)
        self.instances: dict[str, list[tuple[str, InstantiationFact]]] = defaultdict(list)
        for facts in self.files:
            for instance in facts.instantiations:
                self.instances[instance.type_name].append((facts.path, instance))
            self._merge_types(facts.types, facts.path)
            for constant in facts.constants:
                self.constants.setdefault(constant.name, constant.value)
                self._constant_suffixes[constant.name.split(".")[-1]].append(constant.name)
            for helper in facts.helpers:
                self.helpers_by_method[helper.method].append(helper)
        self.config_sites = list(self._config_sites())
        self.sessions = list(self._sessions())

    # --- targets and types ----------------------------------------------------------------------------------

    def target_of(self, facts: FileFacts) -> str:
        target = self.targets.get(facts.path, APP)
        if target == APP and ("WatchKit" in facts.imports or any(e.kind == "watch" for e in facts.entries)):
            return WATCH
        return target

    def _merge_types(self, types: Iterable[TypeFact], path: str) -> None:
        for fact in types:
            merged = self.types.setdefault(fact.name, MergedType(fact.name))
            if fact.kind not in ("extension", "category", "implementation", "interface") or not merged.kind:
                merged.kind = fact.kind
            merged.inherits.update(fact.inherits)
            merged.attributes.update(fact.attributes)
            merged.singleton |= fact.singleton
            merged.properties.update({p.name: p.type_text for p in fact.properties})
            merged.fresh.update(p.name for p in fact.properties if p.made_fresh)
            merged.methods.update(fact.methods)
            merged.paths.add(path)

    def app_delegates(self) -> set[str]:
        """Classes that act as the app delegate: conformance, @main, UIApplicationMain, an adaptor."""
        names = {name for name, merged in self.types.items() if "UIApplicationDelegate" in merged.inherits}
        for facts in self.files:
            names.update(
                entry.type_name
                for entry in facts.entries
                if entry.kind in ("main", "UIApplicationMain") and entry.type_name
            )
            names.update(adaptor.delegate_type for adaptor in facts.adaptors)
            names.update(h.type_name for h in facts.handle_events if h.type_name)
        return names

    def app_entry_groups(self) -> set[str]:
        """Top-level folders holding the app's own entry code (its delegate, `@main`, a SwiftUI App).

        Absence (of handleEvents, say) is judged only when such code is in view.
        """
        found: set[str] = set()
        for facts in self.files:
            delegate = any("UIApplicationDelegate" in t.inherits for t in facts.types)
            entry = any(e.kind in ("main", "UIApplicationMain", "app") for e in facts.entries)
            if delegate or entry:
                found.add(self.groups.get(facts.path, ""))
        return found

    def same_app(self, path: str, entry_groups: set[str]) -> bool:
        """Whether code at `path` can belong to an app whose entry code is in `entry_groups`."""
        group = self.groups.get(path, "")
        return group in entry_groups or "" in entry_groups or group == ""

    def separate_apps(self, first: str, second: str) -> bool:
        """Whether two files belong to two different apps (each top-level folder with its own entry
        code): their sessions never share a process, so sharing an identifier is not a conflict."""
        a, b = self.groups.get(first, ""), self.groups.get(second, "")
        entries = self.app_entry_groups()
        return a != b and a in entries and b in entries and "" not in (a, b)

    # --- identifiers ------------------------------------------------------------------------------------------

    def resolve(self, value: IdentifierValue, depth: int = 0) -> IdentifierValue:
        """A constant's value, looked up across files (its type first, then globals, then a unique suffix)."""
        if value.kind is not IdKind.CONSTANT or depth > 6:
            return value
        name = value.text
        instance = name.startswith("self.")
        if instance:
            name = name[len("self.") :]
        candidates = []
        if value.scope and "." not in name:
            candidates.append(f"{value.scope}.{name}")
        candidates.append(name)
        parts = name.split(".")
        if len(parts) > 2:
            candidates.append(".".join(parts[-2:]))
        for candidate in candidates:
            if candidate in self.constants:
                return self.resolve(self.constants[candidate], depth + 1)
        suffixes = self._constant_suffixes.get(parts[-1], [])
        if len(parts) == 1 and len(suffixes) == 1:
            return self.resolve(self.constants[suffixes[0]], depth + 1)
        if len(parts) == 1 and suffixes and len({self.constants[s] for s in suffixes}) == 1:
            return self.resolve(self.constants[suffixes[0]], depth + 1)
        if instance:
            # An instance's property that is no constant: two instances may hold two values, so two
            # places using it do not share an identifier (gtm-session-fetcher, HWIFileDownload).
            return IdentifierValue(IdKind.DYNAMIC, f"{INSTANCE_VALUE}{name}")
        return IdentifierValue(IdKind.CONSTANT, name)

    def _config_sites(self) -> Iterator[ConfigSite]:
        calls = [(facts, arg) for facts in self.files for arg in facts.call_args]
        for facts in self.files:
            target = self.target_of(facts)
            for config in facts.configs:
                value = self.resolve(config.identifier)
                kept = self._kept_from_initializer(config, value, calls)
                if kept:
                    # `self.identifier`, kept by the initializer from a parameter: what each call passes.
                    for _caller, arg in kept:
                        yield ConfigSite(facts.path, config.loc, config, self.resolve(arg.value), target, arg.loc)
                    continue
                if value.kind is not IdKind.PARAMETER:
                    yield ConfigSite(facts.path, config.loc, config, value, target)
                    continue
                passed = [
                    (caller, arg)
                    for caller, arg in calls
                    if arg.label == value.text
                    and _same_callee(arg.callee, arg.callee_type, config.owner.member, config.owner.type_name)
                ]
                if not passed:
                    yield ConfigSite(
                        facts.path, config.loc, config, IdentifierValue(IdKind.DYNAMIC, "a parameter"), target
                    )
                for caller, arg in passed:
                    yield ConfigSite(
                        caller.path, arg.loc, config, self.resolve(arg.value), self.target_of(caller), via_call=arg.loc
                    )

    def _kept_from_initializer(
        self, config: ConfigFact, value: IdentifierValue, calls: list[tuple[FileFacts, CallArgFact]]
    ) -> list[tuple[FileFacts, CallArgFact]]:
        """The calls in view that give the instance property an identifier reads its value, when an
        initializer of the owner keeps that property from one of its parameters."""
        if value.kind is not IdKind.DYNAMIC or not value.text.startswith(INSTANCE_VALUE):
            return []
        name = value.text[len(INSTANCE_VALUE) :].lstrip("_")
        kept = [
            fact
            for facts in self.files
            for fact in facts.init_properties
            if fact.type_name == config.owner.type_name and fact.property == name
        ]
        return [
            (caller, arg)
            for fact in kept
            for caller, arg in calls
            if arg.label == fact.label and _same_callee(arg.callee, arg.callee_type, fact.initializer, fact.type_name)
        ]

    # --- sessions ------------------------------------------------------------------------------------------------

    def _sessions(self) -> Iterator[SessionSite]:
        by_path = {facts.path: facts for facts in self.files}
        for facts in self.files:
            for made in facts.sessions:
                session = self._with_delegate_class(made)
                configs = tuple(self._session_configs(facts, session, by_path))
                yield SessionSite(facts.path, session, bool(configs), configs, self.target_of(facts))

    def _with_delegate_class(self, session: SessionFact) -> SessionFact:
        """A parameter's declared type (recognize.delegate_reference) is the delegate's class when the
        project declares it as a class; a protocol, or a type not in view, leaves the delegate unknown.
        A delegate queue kept in a property made as a new OperationQueue is not the main queue."""
        owner = self.types.get(session.owner.type_name or "")
        if (
            session.main_queue is None
            and session.queue_ref
            and owner is not None
            and session.queue_ref in owner.fresh
            and owner.properties.get(session.queue_ref) in ("OperationQueue", "NSOperationQueue")
        ):
            session = session._replace(main_queue=False)
        if session.delegate != "unknown" or not session.delegate_type:
            return session
        merged = self.types.get(session.delegate_type)
        if merged is not None and merged.kind == "class":
            return session._replace(delegate="type")
        return session._replace(delegate_type=None)

    def _session_configs(
        self, facts: FileFacts, session: SessionFact, by_path: dict[str, FileFacts]
    ) -> Iterator[ConfigSite]:
        kind = session.config_kind
        if kind in ("inline", "local") and session.config_index is not None:
            config = facts.configs[session.config_index]
            yield from (site for site in self.config_sites if site.fact is config)
        elif kind == "param":
            for caller in self.files:
                for arg in caller.call_args:
                    if (
                        arg.label == session.config_ref
                        and arg.background_config
                        and _same_callee(arg.callee, arg.callee_type, session.owner.member, session.owner.type_name)
                    ):
                        if arg.config_index is not None:
                            config = caller.configs[arg.config_index]
                            yield from (site for site in self.config_sites if site.fact is config)
            if not self._passes_argument(session.owner.type_name, session.owner.member, session.config_ref):
                # No caller in view passes the configuration: the parameter's default is what is used.
                yield from (
                    site
                    for site in self.config_sites
                    if site.fact.default_of == session.config_ref and site.fact.owner == session.owner
                )
        elif kind in ("member", "call"):
            found = False
            for site in self.config_sites:
                holder = site.fact.holder or site.fact.binding
                if holder == session.config_ref and (
                    site.fact.owner.type_name in (None, session.owner.type_name)
                    or kind == "call"
                    or session.owner.type_name is None
                ):
                    found = True
                    yield site
            if not found and kind == "member":
                # `private let configuration` kept from `init(configuration:)`: the member holds what
                # the initializer received under the same label.
                yield from self._configs_passed_to(session.owner.type_name, "init", session.config_ref.lstrip("_"))
        del by_path

    def _passes_argument(self, type_name: str | None, callee: str | None, label: str | None) -> bool:
        """Whether some call in view passes an argument labelled `label` to `callee` of `type_name`."""
        return any(
            arg.label == label and _same_callee(arg.callee, arg.callee_type, callee, type_name)
            for caller in self.files
            for arg in caller.call_args
        )

    def _configs_passed_to(self, type_name: str | None, callee: str, label: str) -> Iterator[ConfigSite]:
        for caller in self.files:
            for arg in caller.call_args:
                if (
                    arg.label == label
                    and arg.background_config
                    and arg.config_index is not None
                    and _same_callee(arg.callee, arg.callee_type, callee, type_name)
                ):
                    config = caller.configs[arg.config_index]
                    yield from (site for site in self.config_sites if site.fact is config)

    def background_sessions(self) -> list[SessionSite]:
        return [site for site in self.sessions if site.background]

    def holders(self) -> dict[str, list[SessionSite]]:
        """Member (or method) name -> the sessions it holds."""
        found: dict[str, list[SessionSite]] = defaultdict(list)
        for site in self.sessions:
            if site.fact.holder:
                found[site.fact.holder].append(site)
        return found

    def task_is_background(self, task: TaskFact, facts: FileFacts) -> bool | None:
        """True when a task's receiver is only ever a background session; None when unknown or mixed."""
        if task.receiver_kind == "shared":
            return False
        if task.receiver_kind == "session" and task.session_index is not None:
            session = facts.sessions[task.session_index]
            return next(
                (site.background for site in self.sessions if site.fact is session and not site.either_kind), None
            )
        if task.receiver_kind == "call" and task.receiver:
            return self._made_by_getter(task)
        if task.receiver_kind != "member" or not task.receiver:
            return None
        held = [
            site
            for site in self.holders().get(task.receiver, [])
            if task.receiver_type in (None, site.fact.holder_type) or site.fact.holder_type is None
        ]
        if not held or any(site.either_kind for site in held):
            return None
        return _one_kind(held)

    def _made_by_getter(self, task: TaskFact) -> bool | None:
        """A task on the session a method of the task's own type returns (`[[self urlSession:group]
        uploadTask…]`, `makeSession().uploadTask(…)`): the kind of the sessions that method makes and keeps or
        returns, when it makes sessions of one kind only; None when it makes none here (a session it is given,
        or `URLSession.shared` on some path, is not a fact)."""
        made = [
            site
            for site in self.sessions
            if site.fact.owner.kind == "method"
            and site.fact.owner.member == task.receiver
            and site.fact.owner.type_name == task.owner.type_name
        ]
        if not made or any(site.either_kind or site.fact.holder is None for site in made):
            return None
        if any(site.fact.memo not in (Memo.GUARDED, Memo.FUNCTION, Memo.ONCE) for site in made):
            return None
        base = (task.receiver or "").split(":", 1)[0]
        bodies = [
            function.mentions
            for facts in self.files
            for function in facts.functions
            if function.type_name == task.owner.type_name and function.name == base
        ]
        if len(bodies) != 1 or bodies[0] & _OTHER_SESSIONS:
            return None  # not one body in view, or one that may hand back another kind of session
        return _one_kind(made)

    def is_view_controller_or_view(self, type_name: str | None) -> bool:
        """UIKit/SwiftUI view types: the system makes many instances of them."""
        if type_name is None or type_name not in self.types:
            return False
        merged = self.types[type_name]
        return bool(VIEW_TYPES & merged.inherits)

    def is_host_plugin(self, type_name: str | None) -> bool:
        """A Flutter, React Native, Capacitor or Cordova plugin class: its script side drives it."""
        if type_name is None or type_name not in self.types:
            return False
        inherits = self.types[type_name].inherits
        return bool(HOST_PLUGIN_TYPES & inherits) or any(
            name.startswith("Native") and name.endswith("Spec") for name in inherits
        )

    def implements_finish_events(self, type_name: str) -> bool | None:
        """Whether `type_name` or a class it inherits from implements urlSessionDidFinishEvents: None when
        it inherits from a class the project does not define and the system does not provide (a
        dependency's base class might implement it)."""
        if type_name not in self.types:
            return None  # the delegate's class is not in view
        seen: set[str] = set()
        pending = [type_name]
        finishers = {fact.type_name for facts in self.files for fact in facts.finish_events}
        unknown = False
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in finishers:
                return True
            merged = self.types.get(name)
            if merged is None:
                unknown |= name != type_name and not _system_type(name)
                continue
            pending.extend(merged.inherits)
        if unknown:
            return None
        # A subclass may be the object really given as delegate (a parameter typed with the base class).
        if any(type_name in merged.inherits and name in finishers for name, merged in self.types.items()):
            return None
        return False

    def is_struct(self, type_name: str | None) -> bool:
        return type_name is not None and type_name in self.types and self.types[type_name].kind == "struct"

    def single_instance(self, type_name: str | None) -> bool:
        """Types with one instance per process: singletons and app delegates."""
        if type_name is None:
            return False
        merged = self.types.get(type_name)
        return bool(merged and merged.singleton) or type_name in self.app_delegates()

    def repeated_instance(self, type_name: str | None) -> tuple[str, InstantiationFact] | None:
        """A place that makes a new instance of `type_name` each time it runs (per view, per access, per call)."""
        if type_name is None:
            return None
        for path, instance in self.instances.get(type_name, []):
            if instance.memo in (Memo.VIEW_LIFECYCLE, Memo.COMPUTED, Memo.HANDLE_EVENTS) or (
                instance.memo is Memo.FUNCTION and not instance.kept
            ):
                return path, instance
        return None

    # --- handler flows ----------------------------------------------------------------------------------------

    def helpers_for(self, ref: MethodRef) -> list[HelperFact]:
        found = self.helpers_by_method.get(ref.method, [])
        if ref.type_name is None and ref.receiver is not None and len({h.type_name for h in found}) > 1:
            # `controllers.uploader.handle(…)`: the type of the one property of that name the project declares.
            declared = {
                type_text.rstrip("?!").strip()
                for merged in self.types.values()
                for name, type_text in merged.properties.items()
                if name == ref.receiver
            }
            if len(declared) == 1 and (owner := declared.pop()) in self.types:
                ref = ref._replace(type_name=owner)
        typed = [helper for helper in found if ref.type_name is not None and helper.type_name == ref.type_name]
        if typed:
            return typed
        if ref.type_name is not None and ref.type_name in self.types:
            if ref.method in self.types[ref.type_name].properties:
                # A closure property the type calls (`sessionDidFinishEvents?(session)`), given its closure
                # through a reference whose type the assigning code does not show (`delegate.x = { … }`).
                untyped = [helper for helper in found if helper.type_name is None]
                return untyped if len(self._property_owners(ref.method)) == 1 else []
            return []
        return found if len({h.type_name for h in found}) == 1 else []

    def _property_owners(self, name: str) -> list[str]:
        return [type_name for type_name, merged in self.types.items() if name in merged.properties]

    def store_flow(self, handle: HandleEventsFact) -> StoreFlow:
        stores = list(handle.stores)
        early = handle.early
        # `[downloader setCompletionHandlerBlock:handler]` reads as a property's setter; when the project
        # writes that method itself and has no such property, its body decides where the handler goes.
        unresolved = handle.unresolved_use or any(self._explicit_setter(store) for store in stores)
        for ref in handle.passes:
            found, called, missing = self._follow_pass(ref, 0)
            # Handed on where the identifier was matched (or ruled out): the stores serve those identifiers.
            stores.extend(
                store._replace(matched=store.matched or ref.matched, excludes=max(store.excludes, ref.excludes))
                for store in found
            )
            early |= called
            unresolved |= missing
        return StoreFlow(tuple(stores), early, unresolved)

    def _drops(self, helper: HelperFact, ref: MethodRef) -> bool:
        """Whether the one method `ref` reaches never mentions the handler it is given."""
        labels = [ref.label] if ref.label in helper.param_labels else list(helper.param_labels[:1])
        return bool(labels) and all(label in helper.drops for label in labels)

    def dropping_helper(self, handle: HandleEventsFact) -> MethodRef | None:
        """The project method handleEvents hands its handler to that neither keeps, calls nor passes it on."""
        for ref in handle.passes:
            helpers = self.helpers_for(ref)
            if len(helpers) == 1 and self._drops(helpers[0], ref):
                return ref
        return None

    def _explicit_setter(self, store: HandlerStore) -> bool:
        """Whether `store` came through a method the project writes, not a property it declares."""
        member = store.member
        setter = f"set{member[:1].upper()}{member[1:]}"
        types = [self.types[store.type_name]] if store.type_name in self.types else list(self.types.values())
        declares_property = any(member in merged.properties for merged in types)
        declares_setter = any(
            method.split(":", 1)[0].split("(", 1)[0] == setter for merged in types for method in merged.methods
        )
        return declares_setter and not declares_property

    def _follow_pass(self, ref: MethodRef, depth: int) -> tuple[list[HandlerStore], bool, bool]:
        helpers = self.helpers_for(ref)
        if not helpers or depth > _MAX_DEPTH:
            return [], False, True
        if len(helpers) == 1 and self._drops(helpers[0], ref):
            return [], False, False
        stores: list[HandlerStore] = []
        called = False
        unresolved = False
        for helper in helpers:
            labels = [ref.label] if ref.label in helper.param_labels else list(helper.param_labels[:1])
            stores.extend(store for label, store in helper.stores if label in labels)
            called |= any(label in labels and thread is Thread.DIRECT for label, thread, _ in helper.calls_param)
            for label, inner in helper.passes:
                if label in labels:
                    more, inner_called, inner_missing = self._follow_pass(inner, depth + 1)
                    stores.extend(more)
                    called |= inner_called
                    unresolved |= inner_missing
            if (
                not any(label in labels for label, _ in helper.stores)
                and not any(label in labels for label, _, _ in helper.calls_param)
                and not any(label in labels for label, _ in helper.passes)
            ):
                unresolved = True
        return stores, called, unresolved

    def finish_calls(self, finish: FinishEventsFact) -> list[CallFlow]:
        flows = [CallFlow(call, call.thread, call.wrapper) for call in finish.calls]
        for ref in finish.helpers:
            flows.extend(self._helper_calls(ref, ref.thread, ref.wrapper, 0))
        return flows

    def _helper_calls(self, ref: MethodRef, thread: Thread, wrapper: str | None, depth: int) -> list[CallFlow]:
        if depth > _MAX_DEPTH:
            return []
        flows: list[CallFlow] = []
        for helper in self.helpers_for(ref):
            for call in helper.calls:
                flows.append(CallFlow(call, _combine(thread, call.thread), wrapper or call.wrapper))
            for inner in helper.helpers:
                flows.extend(
                    self._helper_calls(inner, _combine(thread, inner.thread), wrapper or inner.wrapper, depth + 1)
                )
        return flows

    def handler_called_anywhere(self, member: str) -> bool:
        """Whether any code in the project calls a stored handler held in `member`."""
        for facts in self.files:
            for finish in facts.finish_events:
                if any(call.member == member for call in finish.calls):
                    return True
            for helper in facts.helpers:
                if any(call.member == member for call in helper.calls):
                    return True
        return False

    def touch_names(self) -> set[str]:
        """Names whose mention reaches a background session: holders, owner types, and their accessors."""
        names: set[str] = set()
        for site in self.background_sessions():
            for name in (site.fact.holder, site.fact.owner.type_name if self.made_with_owner(site) else None):
                if name:
                    names.add(name)
            if site.fact.owner.member and site.fact.owner.kind in ("method", "function"):
                names.add(site.fact.owner.member.split(":", 1)[0])
                # A factory method's session is kept by a property of its type (`lazy var session:
                # URLSession = makeSession()`): reading that property makes it.
                owner = self.types.get(site.fact.owner.type_name or "")
                if owner is not None:
                    names.update(
                        name
                        for name, type_text in owner.properties.items()
                        if type_text.rstrip("?!").strip() in ("URLSession", "NSURLSession", "NSURLSession *")
                    )
            for config in site.configs:
                if config.fact.holder:
                    names.add(config.fact.holder)
                if config.fact.owner.type_name and self.made_with_owner(site):
                    names.add(config.fact.owner.type_name)
        # A property that holds an owner (`let uploader = Uploader.shared`) reaches its sessions too, when
        # making the owner makes them; a lazy or nil-guarded session waits for its own accessor.
        owners = {
            site.fact.owner.type_name
            for site in self.background_sessions()
            if site.fact.owner.type_name and self.made_with_owner(site)
        }
        for merged in self.types.values():
            names.update(name for name, type_text in merged.properties.items() if type_text.rstrip("?!") in owners)
        return names

    def made_with_owner(self, site: SessionSite) -> bool:
        """Whether making the session's owner makes the session: a stored property, the initializer, or a
        method the initializer calls (`init() { createSession() }`)."""
        fact = site.fact
        if fact.memo in _WITH_INSTANCE:
            return True
        if fact.memo is not Memo.FUNCTION or not fact.owner.type_name or not fact.owner.member:
            return False
        method = fact.owner.member.split(":", 1)[0].split("(", 1)[0]
        initializers = [
            mentions
            for facts in self.files
            for type_name, name, mentions in (
                *((f.type_name, f.name, f.mentions) for f in facts.functions),
                *((h.type_name, h.method, h.mentions) for h in facts.helpers),
            )
            if type_name == fact.owner.type_name and name.startswith("init")
        ]
        return any(method in mentions for mentions in initializers)

    def waiting_owners(self) -> set[str]:
        """Types holding a background session made on first use (lazy, nil-guarded, by a method): a call
        to one of their methods the project does not show may be what makes it."""
        return {
            site.fact.owner.type_name
            for site in self.background_sessions()
            if site.fact.owner.type_name and not self.made_with_owner(site)
        }

    def made_at_launch(self, type_names: set[str]) -> bool:
        """Whether an app delegate makes an instance of one of `type_names` in a stored property or its
        initializer: that runs when UIKit creates the delegate, at every launch."""
        delegates = self.app_delegates()
        return any(
            instance.owner_type in delegates and instance.memo in (Memo.STORED, Memo.INIT, Memo.LAUNCH)
            for name in type_names
            for _, instance in self.instances.get(name, [])
        )

    def functions_named(self, name: str) -> list[frozenset[str]]:
        mentions: list[frozenset[str]] = []
        for facts in self.files:
            mentions.extend(f.mentions for f in facts.functions if f.name == name.split(":", 1)[0])
            mentions.extend(h.mentions for h in facts.helpers if h.method.split(":", 1)[0] == name.split(":", 1)[0])
        return mentions


# Sessions made when their owner is: mentioning the owner (`Uploader.shared`) makes them.
_WITH_INSTANCE = frozenset({Memo.STORED, Memo.INIT})


def _one_kind(sites: list[SessionSite]) -> bool | None:
    """Whether the sessions a reference may hold are all background (True) or all not (False); None when mixed."""
    kinds = {site.background for site in sites}
    return kinds.pop() if len(kinds) == 1 else None


# What a session getter mentions when some path of it may return a session other than the one it makes.
_OTHER_SESSIONS = frozenset(
    {"shared", "sharedSession", "default", "defaultSessionConfiguration", "ephemeral", "ephemeralSessionConfiguration"}
)


def _combine(outer: Thread, inner: Thread) -> Thread:
    """A call's thread inside a helper, given how the helper itself was called."""
    if inner is Thread.DIRECT:
        return outer
    return inner


def _same_callee(callee: str, callee_type: str | None, member: str | None, owner_type: str | None) -> bool:
    """Whether a call (`T(identifier:)`, `[[T alloc] initWithIdentifier:]`) reaches `member` of `owner_type`."""
    if member is None:
        return False
    if callee_type is not None and owner_type is not None and callee_type != owner_type:
        return False
    if member == "init":
        # An initializer call names its type (`T(identifier:)`, `T.init(identifier:)`); an implicit
        # `.init(identifier:)` is the contextual type's, which is unknown here: never "any type whose
        # initializer has that label" (a WatchConnectivity message is not a session manager).
        return callee == "init" and callee_type is not None and callee_type == owner_type
    return callee.split(":", 1)[0] == member.split(":", 1)[0] or callee == member


# Apple's and the host frameworks' classes and protocols, which implement no app delegate callbacks:
# inheriting one leaves nothing unknown about a type's methods.
_SYSTEM_TYPE_PREFIXES = ("NS", "UI", "URL", "WK", "AV", "RCT", "Flutter", "CDV", "CAP", "Observable")
_SYSTEM_TYPE_NAMES = frozenset(
    {"Sendable", "Identifiable", "Hashable", "Equatable", "Codable", "Encodable", "Decodable", "AnyObject", "Error"}
)


def _system_type(name: str) -> bool:
    return (
        name.startswith(_SYSTEM_TYPE_PREFIXES)
        or name in _SYSTEM_TYPE_NAMES
        or (name.startswith("Native") and name.endswith("Spec"))
    )
