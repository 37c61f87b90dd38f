"""Which host libraries need the app delegate to hand them the completion handler, and whether it does
(BGS018): shared by the rule and `to_model`."""

from __future__ import annotations

from bgsession.diagnostics import Loc
from bgsession.lint.facts import HandleEventsFact, HandlerStore, MethodRef
from bgsession.lint.project import ProjectSummary
from bgsession.lint.targets import Dependency, Ecosystem, Forwarding, HostLibrary

_MAX_DEPTH = 4
_HEADERS = (".h",)


def required_libraries(summary: ProjectSummary) -> list[tuple[HostLibrary, Dependency]]:
    """The libraries among the app's dependencies whose documentation gives a call or property the app
    delegate must hand the handler to. One library can be named twice (its npm package and its pod, or
    two forks sharing the pod): one entry per documented call, naming the package the app declared
    rather than its pod."""
    required: dict[tuple[str | None, str | None], tuple[HostLibrary, Dependency]] = {}
    for library, dependency in sorted(
        summary.context.libraries(), key=lambda pair: (pair[1].ecosystem is Ecosystem.COCOAPODS, pair[0].name)
    ):
        if library.forwarding in (Forwarding.CALL, Forwarding.ASSIGN) and library.optional is None:
            required.setdefault((library.receiver, library.member), (library, dependency))
    return list(required.values())


def forwarding_anchor(summary: ProjectSummary) -> tuple[str, Loc] | None:
    """Where a missing forwarding is reported: the app delegate's declaration (its implementation before
    an interface or a header), else the app's entry point; None when no app code is in view."""
    delegates = summary.app_delegates()
    declared = sorted(
        (
            (facts.path.endswith(_HEADERS), fact.kind == "interface", facts.path, fact.loc.line, fact.loc)
            for facts in summary.files
            for fact in facts.types
            if fact.name in delegates and fact.kind != "extension"
        ),
        key=lambda found: found[:4],
    )
    if declared:
        return declared[0][2], declared[0][4]
    entries = sorted((facts.path, entry.loc.line, entry.loc) for facts in summary.files for entry in facts.entries)
    return (entries[0][0], entries[0][2]) if entries else None


def forwarded(summary: ProjectSummary, library: HostLibrary) -> bool | None:
    """True when some handleEvents hands the handler to the library's documented call or property;
    None when it goes where the code cannot be followed (taken as forwarded); False when every place
    it goes is known and none is the library, or no app delegate implements handleEvents."""
    verdicts = [_forwards(summary, handle, library) for facts in summary.files for handle in facts.handle_events]
    if any(verdict is True for verdict in verdicts):
        return True
    if any(verdict is None for verdict in verdicts):
        return None
    return False


def handed_to_library(summary: ProjectSummary, store: HandlerStore) -> bool:
    """Whether a store of the handler is the hand-over to a required library's documented property:
    the library calls it, not the app."""
    delegates = summary.app_delegates()
    return any(_is_library_store(store, library, delegates) for library, _ in required_libraries(summary))


def _forwards(summary: ProjectSummary, handle: HandleEventsFact, library: HostLibrary) -> bool | None:
    delegates = summary.app_delegates()
    if any(_is_library_store(store, library, delegates) for store in handle.stores):
        return True
    verdict: bool | None = False
    for ref in handle.passes:
        found = _follow(summary, ref, library, 0)
        if found is True:
            return True
        if found is None:
            verdict = None
    if handle.unresolved_use:
        return None
    return verdict


def _follow(summary: ProjectSummary, ref: MethodRef, library: HostLibrary, depth: int) -> bool | None:
    if _is_library_call(ref, library):
        return True
    helpers = summary.helpers_for(ref)
    if not helpers or depth > _MAX_DEPTH:
        return None
    verdict: bool | None = False
    for helper in helpers:
        labels = [ref.label] if ref.label in helper.param_labels else list(helper.param_labels[:1])
        if any(
            label in labels and _is_library_store(store, library, summary.app_delegates())
            for label, store in helper.stores
        ):
            return True
        for label, inner in helper.passes:
            if label in labels:
                found = _follow(summary, inner, library, depth + 1)
                if found is True:
                    return True
                if found is None:
                    verdict = None
    return verdict


def _is_library_store(store: HandlerStore, library: HostLibrary, delegates: set[str]) -> bool:
    """The handler assigned to the library's documented property (not to one of the app delegate's own)."""
    return (
        library.forwarding is Forwarding.ASSIGN
        and store.member.rsplit(".", 1)[-1] == library.member
        and store.type_name not in delegates
    )


def _is_library_call(ref: MethodRef, library: HostLibrary) -> bool:
    if library.forwarding is not Forwarding.CALL or library.member is None:
        return False
    wanted = library.member.split(":", 1)[0]
    return ref.method.split(":", 1)[0] == wanted or ref.method.split("(", 1)[0] == wanted
