"""Mutation operators on generated code, each with the change it makes to the app's behaviour.

An operator edits the generated files (exact substitutions that must apply, so a template change
cannot silently turn an operator into a no-op) and the behaviour the generator's spec describes; the
model then predicts the rule codes of the mutant, and the linter must report exactly those.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from bgsession.gen.spec import GenSpec
from bgsession.model import behaviour as model

Edit = tuple[str, str]
Files = dict[str, str]

MAIN_DOWNLOADS = "com.example.app.downloads"


def spec_behaviour(spec: GenSpec) -> model.AppBehaviour:
    """What the generated code does, stated from the spec (not read back from the code)."""
    extension = spec.style.value == "extension"
    sites = tuple(
        model.SessionSite(
            name=f"BackgroundSessionManager.{session.identifier.rsplit('.', 1)[-1]}",
            identifier=session.identifier,
            sends_launch_events=session.options.launch_events is not False,
            in_extension=extension,
            shared_container=session.options.shared_container is not None,
            created_at_launch=False,
            task_kinds=(model.TaskKind.DOWNLOAD, model.TaskKind.UPLOAD_FILE),
        )
        for session in spec.sessions
    )
    # handleEvents (or the scene's backgroundTask) looks the identifier up, completes unknown ones at
    # once, stores the handler by identifier and touches only the matching manager. The containing
    # app of an extension reaches the extension's session through the same shared manager.
    reconnect = model.Reconnect.FROM_IDENTIFIER if extension else model.Reconnect.MATCHING
    return model.AppBehaviour(
        sites=sites, handle_events=model.HandleEvents(checks_identifier=True, reconnect=reconnect)
    )


def _first_site(behaviour: model.AppBehaviour, **changes: object) -> model.AppBehaviour:
    first, *rest = behaviour.sites
    return replace(behaviour, sites=(replace(first, **changes), *rest))  # type: ignore[arg-type]


def _every_site(
    behaviour: model.AppBehaviour, change: Callable[[model.SessionSite], model.SessionSite]
) -> model.AppBehaviour:
    return replace(behaviour, sites=tuple(change(site) for site in behaviour.sites))


def _finish(**changes: object) -> Callable[[model.AppBehaviour], model.AppBehaviour]:
    return lambda b: _every_site(b, lambda s: replace(s, finish_events=replace(s.finish_events, **changes)))  # type: ignore[arg-type]


def _tasks(old: model.TaskKind, new: model.TaskKind) -> Callable[[model.AppBehaviour], model.AppBehaviour]:
    return lambda b: _every_site(
        b, lambda s: replace(s, task_kinds=tuple(new if kind is old else kind for kind in s.task_kinds))
    )


def _duplicate(behaviour: model.AppBehaviour) -> model.AppBehaviour:
    first = behaviour.sites[0]
    return replace(behaviour, sites=(*behaviour.sites, replace(first, name=f"{first.name}Again")))


@dataclass(frozen=True)
class Operator:
    name: str
    swift: list[Edit] = field(default_factory=list)
    objc: list[Edit] = field(default_factory=list)
    # SwiftUI's scene variant keeps no handler of its own; operators name its equivalent edit.
    swiftui_task: list[Edit] | None = None
    behaviour: Callable[[model.AppBehaviour], model.AppBehaviour] = lambda b: b
    # Rule codes outside the model's scope that the edit introduces (an API's status, not the lifecycle).
    static_codes: frozenset[str] = frozenset()
    regex: Callable[[Files, str], Files] | None = None
    # Why the operator has no counterpart in SwiftUI's scene variant, where SwiftUI itself holds the
    # completion handler and calls it when the backgroundTask action returns.
    not_in_scene: str | None = None
    # The scene variant's edit is made but changes nothing the lifecycle cares about.
    harmless_in_scene: bool = False

    def edits(self, lang: str, spec: GenSpec) -> list[Edit]:
        if is_scene(spec):
            return self.swiftui_task if self.swiftui_task is not None else self.swift
        return self.swift if lang == "swift" else self.objc

    def applies(self, spec: GenSpec) -> str | None:
        """None, or why this operator does not apply to the variant."""
        return self.not_in_scene if is_scene(spec) else None

    def mutate_behaviour(self, spec: GenSpec, base: model.AppBehaviour) -> model.AppBehaviour:
        return base if is_scene(spec) and self.harmless_in_scene else self.behaviour(base)


def is_scene(spec: GenSpec) -> bool:
    return spec.style.value == "swiftui" and spec.swiftui_variant.value == "task"


def apply(operator: Operator, files: Files, lang: str, spec: GenSpec) -> Files:
    """The mutant. Every edit must apply somewhere: an edit that matches nothing is an error."""
    mutated = dict(files)
    for old, new in operator.edits(lang, spec):
        hits = [name for name, text in mutated.items() if old in text]
        if not hits:
            raise LookupError(f"{operator.name}: {old!r} is not in the generated {lang} code")
        for name in hits:
            mutated[name] = mutated[name].replace(old, new)
    if operator.regex is not None:
        mutated = operator.regex(mutated, lang)
    return mutated


_SWIFT_MANAGER = re.compile(
    r"(?:    /// [^\n]*\n)?    static let downloads = BackgroundSessionManager\(configuration: \{\n"
    r".*?\n    \}\(\)\)\n",
    re.DOTALL,
)
_OBJC_MANAGER = re.compile(r"\+ \(instancetype\)sharedDownloadsManager \{\n.*?\n\}\n", re.DOTALL)


def _second_manager(files: Files, lang: str) -> Files:
    """A copy of the first manager under another name, with the same identifier."""
    mutated = dict(files)
    pattern = _SWIFT_MANAGER if lang == "swift" else _OBJC_MANAGER
    for name, text in files.items():
        match = pattern.search(text)
        if match is None:
            continue
        block = match.group(0)
        copy = (
            block.replace("static let downloads", "static let downloadsAgain")
            if lang == "swift"
            else block.replace("sharedDownloadsManager", "sharedDownloadsAgainManager")
        )
        mutated[name] = text[: match.end()] + "\n" + copy + text[match.end() :]
        return mutated
    raise LookupError(f"second-manager: no first manager in the generated {lang} code")


OPERATORS = [
    Operator(
        "drop-delegate",
        swift=[
            (
                "URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)",
                "URLSession(configuration: configuration)",
            )
        ],
        objc=[
            (
                "[NSURLSession sessionWithConfiguration:configuration delegate:self delegateQueue:nil]",
                "[NSURLSession sessionWithConfiguration:configuration]",
            )
        ],
        behaviour=lambda b: _every_site(b, lambda s: replace(s, delegate=False)),
    ),
    Operator(
        "computed-session",
        swift=[
            (
                "    let session: URLSession\n",
                "    var session: URLSession {\n"
                "        URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)\n"
                "    }\n"
                "    private let configuration: URLSessionConfiguration\n",
            ),
            (
                "        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)\n",
                "        self.configuration = configuration\n",
            ),
        ],
        objc=[
            (
                "@implementation BackgroundSessionManager\n",
                "@implementation BackgroundSessionManager {\n"
                "    NSURLSessionConfiguration *_configuration;\n"
                "}\n\n"
                "- (NSURLSession *)session {\n"
                "    return [NSURLSession sessionWithConfiguration:_configuration delegate:self delegateQueue:nil];\n"
                "}\n",
            ),
            (
                "        _session = [NSURLSession sessionWithConfiguration:configuration delegate:self "
                "delegateQueue:nil];\n",
                "        _configuration = configuration;\n",
            ),
        ],
        behaviour=lambda b: _every_site(b, lambda s: replace(s, memoized=False)),
    ),
    Operator(
        "delete-handler-call",
        swift=[
            (
                "        guard let handler = handlers.removeValue(forKey: identifier) else { return }\n"
                "        handler()\n",
                "        handlers.removeValue(forKey: identifier)\n",
            )
        ],
        objc=[("    if (handler != nil) {\n        handler();\n    }\n", "")],
        not_in_scene="the scene variant has no UIKit handler to call; the continuation it resumes instead is not "
        "followed by the linter (BGS013's documented blind spot)",
        behaviour=_finish(calls_handler=False),
    ),
    Operator(
        "no-main-hop",
        swift=[
            (
                "        DispatchQueue.main.async {\n"
                "            BackgroundCompletionHandlers.shared.complete(identifier)\n"
                "        }\n",
                "        BackgroundCompletionHandlers.shared.complete(identifier)\n",
            )
        ],
        objc=[
            (
                "    dispatch_async(dispatch_get_main_queue(), ^{\n"
                "        [[BackgroundCompletionHandlers sharedHandlers] completeIdentifier:identifier];\n"
                "    });\n",
                "    [[BackgroundCompletionHandlers sharedHandlers] completeIdentifier:identifier];\n",
            )
        ],
        swiftui_task=[
            (
                "        DispatchQueue.main.async {\n"
                "            BackgroundSessionEvents.shared.finish(identifier)\n"
                "        }\n",
                "        BackgroundSessionEvents.shared.finish(identifier)\n",
            )
        ],
        # SwiftUI calls its own handler when the action returns; resuming the wait off the main thread is fine.
        harmless_in_scene=True,
        behaviour=_finish(on_main=False),
    ),
    Operator(
        "call-in-handle-events",
        swift=[
            (
                "        BackgroundCompletionHandlers.shared.store(completionHandler, for: identifier)\n",
                "        completionHandler()\n",
            )
        ],
        objc=[
            (
                "    [[BackgroundCompletionHandlers sharedHandlers] storeHandler:completionHandler "
                "forIdentifier:identifier];\n",
                "    completionHandler();\n",
            )
        ],
        not_in_scene="the scene variant has no handleEvents; an action that stops waiting inside an async helper is "
        "BGS012's documented blind spot",
        behaviour=lambda b: replace(b, handle_events=replace(b.handle_events, action=model.HandlerAction.CALL_AT_ONCE)),
    ),
    Operator(
        "completion-handler-download",
        swift=[("session.downloadTask(with: url)", "session.downloadTask(with: url) { _, _, _ in }")],
        objc=[
            (
                "[self.session downloadTaskWithURL:url]",
                "[self.session downloadTaskWithURL:url completionHandler:^(NSURL *location, NSURLResponse *response, "
                "NSError *error) {}]",
            )
        ],
        behaviour=_tasks(model.TaskKind.DOWNLOAD, model.TaskKind.CONVENIENCE),
    ),
    Operator(
        "upload-from-data",
        swift=[
            ("session.uploadTask(with: request, fromFile: fileURL)", "session.uploadTask(with: request, from: Data())")
        ],
        objc=[
            ("uploadTaskWithRequest:request fromFile:fileURL]", "uploadTaskWithRequest:request fromData:[NSData data]]")
        ],
        behaviour=_tasks(model.TaskKind.UPLOAD_FILE, model.TaskKind.UPLOAD_DATA),
    ),
    Operator(
        "deprecated-configuration",
        swift=[
            (
                "URLSessionConfiguration.background(withIdentifier: ",
                "URLSessionConfiguration.backgroundSessionConfiguration(",
            )
        ],
        objc=[("backgroundSessionConfigurationWithIdentifier:", "backgroundSessionConfiguration:")],
        static_codes=frozenset({"BGS005"}),
    ),
    Operator(
        "uuid-identifier",
        swift=[(f'background(withIdentifier: "{MAIN_DOWNLOADS}")', "background(withIdentifier: UUID().uuidString)")],
        objc=[
            (
                "backgroundSessionConfigurationWithIdentifier:DownloadsSessionIdentifier]",
                "backgroundSessionConfigurationWithIdentifier:[NSUUID UUID].UUIDString]",
            )
        ],
        behaviour=lambda b: _first_site(b, stable=False),
    ),
    Operator("second-manager", regex=_second_manager, behaviour=_duplicate),
]
