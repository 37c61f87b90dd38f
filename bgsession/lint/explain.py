"""`lint --explain`: each lifecycle finding with the reference model's shortest counterexample.

The project summary is converted into the model's `AppBehaviour` (to_model.py) and explored. A finding
anchored at one session (a re-creation, a missing delegate, a task kind) is explained with that
session's sites alone, so the trace talks about the code the finding points at; findings about the
completion handler are explained with the whole app.
"""

from __future__ import annotations

from dataclasses import replace

from bgsession.diagnostics import Diagnostic, TraceStep, one_line
from bgsession.lint.project import ProjectSummary, SessionSite
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.to_model import Conversion, app_behaviour
from bgsession.model import AppBehaviour, Trace, explore
from bgsession.model import behaviour as model

NO_TRACE = (
    "the reference model found no event sequence for this finding in the behaviour it read from the code "
    "(the code may do something the model has no knob for)",
)
_SITE_CODES = frozenset(
    {"BGS001", "BGS002", "BGS003", "BGS004", "BGS006", "BGS020", "BGS021", "BGS022", "BGS023", "BGS030", "BGS040"}
)
# Findings at a task creation or a download callback, in the session owner's file.
_TASK_CODES = frozenset({"BGS006", "BGS020", "BGS021", "BGS022", "BGS023"})


class Explainer:
    def __init__(self, summary: ProjectSummary) -> None:
        self.conversion: Conversion | None = app_behaviour(summary)
        self._explored: dict[AppBehaviour, dict[str, Trace]] = {}

    def _traces(self, behaviour: AppBehaviour) -> dict[str, Trace]:
        if behaviour not in self._explored:
            self._explored[behaviour] = explore(behaviour)
        return self._explored[behaviour]

    def trace(self, diagnostic: Diagnostic) -> Trace | None:
        """The shortest counterexample for the finding, or None when the model finds none."""
        candidates: list[AppBehaviour] = []
        if self.conversion is not None:
            if diagnostic.code in _SITE_CODES:
                focused = self._focus(diagnostic)
                if focused is not None:
                    candidates.append(focused)
            candidates.append(self.conversion.behaviour)
        isolated = _isolated(diagnostic.code)
        if isolated is not None:
            candidates.append(isolated)
        for behaviour in candidates:
            found = self._traces(behaviour).get(diagnostic.code)
            if found is not None:
                return found
        return None

    def _focus(self, diagnostic: Diagnostic) -> AppBehaviour | None:
        """The behaviour restricted to the sessions the finding points at (and, for a duplicate
        identifier, every session sharing it)."""
        assert self.conversion is not None
        behaviour = self.conversion.behaviour
        names = {name for name, source in self.conversion.sources.items() if _anchored_at(source, diagnostic)}
        if not names:
            return None
        chosen = [site for site in behaviour.sites if site.name in names]
        if diagnostic.code == "BGS001":
            identifiers = {site.identifier for site in chosen}
            chosen = [site for site in behaviour.sites if site.identifier in identifiers]
        return replace(behaviour, sites=tuple(chosen))


_DEFECT_ALONE: dict[str, dict[str, object]] = {
    "BGS002": {"memoized": False},
    "BGS003": {"delegate": False},
    "BGS004": {"stable": False},
    "BGS006": {"invalidation": model.Invalidation.NOT_RECREATED},
    # A library the app depends on, which the app delegate does not hand the handler to.
    "BGS018": {"name": "the library", "library": model.HostLibrary("the library", forwarded=False)},
    "BGS020": {"task_kinds": (model.TaskKind.CONVENIENCE,)},
    "BGS021": {"task_kinds": (model.TaskKind.UPLOAD_DATA,)},
    "BGS022": {"task_kinds": (model.TaskKind.DATA,)},
    "BGS023": {"moves_download_synchronously": False},
    # Code the project builds into the app and an extension too: the extension's copy alone.
    "BGS030": {"in_extension": True, "shared_container": False},
    "BGS040": {"keeps_task_state": True},
}


def _isolated(code: str) -> AppBehaviour | None:
    """When the code in view is only part of an app (a delegate class, a configuration factory), a
    correct app around the one defect the finding names."""
    changes = _DEFECT_ALONE.get(code)
    if changes is None:
        return None
    site = replace(model.SessionSite("the session", "com.example.bg"), **changes)  # type: ignore[arg-type]
    return AppBehaviour(sites=(site,), handle_events=model.HandleEvents(checks_identifier=True))


def _anchored_at(source: SessionSite, diagnostic: Diagnostic) -> bool:
    places = [(source.path, source.fact.loc.line)]
    places += [(config.path, config.loc.line) for config in source.configs]
    if source.fact.delegate_type is not None or source.fact.owner.type_name is not None:
        # Task and download-callback findings sit in the session owner's methods, in its file.
        return (diagnostic.path, diagnostic.loc.line) in places or (
            diagnostic.code in _TASK_CODES and diagnostic.path == source.path
        )
    return (diagnostic.path, diagnostic.loc.line) in places


def explain(diagnostics: list[Diagnostic], summary: ProjectSummary) -> list[Diagnostic]:
    """`diagnostics` with a trace on every lifecycle finding."""
    if not any(RULES_BY_CODE[d.code].lifecycle for d in diagnostics if d.code in RULES_BY_CODE):
        return diagnostics
    explainer = Explainer(summary)
    return [
        _explained(diagnostic, explainer.trace(diagnostic))
        if diagnostic.code in RULES_BY_CODE and RULES_BY_CODE[diagnostic.code].lifecycle
        else diagnostic
        for diagnostic in diagnostics
    ]


def _explained(diagnostic: Diagnostic, trace: Trace | None) -> Diagnostic:
    if trace is None:
        return replace(diagnostic, trace=NO_TRACE)
    steps = tuple(
        TraceStep(one_line(sentence), move.actor, move.receiver, failing=index == trace.failing)
        for index, (sentence, move) in enumerate(zip(trace.steps, trace.moves, strict=True))
    )
    return replace(diagnostic, trace=tuple(one_line(line) for line in trace.lines()), trace_steps=steps)
