"""Who acts in each step of a trace: every sentence names a party, and the failing step is the one the
verdict speaks about. The text of the traces (`--explain`) does not depend on any of this."""

from __future__ import annotations

from typing import get_args

from bgsession.diagnostics import Lane
from bgsession.model import PARTIES, AppBehaviour, FinishEvents, HandleEvents, HandlerAction, SessionSite, explore
from bgsession.model.behaviour import TaskKind


def test_the_diagnostics_lanes_are_the_models_parties() -> None:
    assert get_args(Lane) == PARTIES


def _site(**changes: object) -> SessionSite:
    return SessionSite("Downloader.session", "com.example.bg", **changes)  # type: ignore[arg-type]


def test_every_step_of_every_trace_has_a_move_and_the_failing_step_is_inside_it() -> None:
    behaviours = [
        AppBehaviour(sites=(_site(memoized=False),), handle_events=HandleEvents()),
        AppBehaviour(sites=(_site(delegate=False),), handle_events=HandleEvents()),
        AppBehaviour(sites=(_site(task_kinds=(TaskKind.DATA,)),), handle_events=HandleEvents()),
        AppBehaviour(sites=(_site(),), handle_events=HandleEvents(action=HandlerAction.DROP)),
        AppBehaviour(sites=(_site(finish_events=FinishEvents(calls_handler=False)),), handle_events=HandleEvents()),
    ]
    seen = 0
    for behaviour in behaviours:
        for trace in explore(behaviour).values():
            seen += 1
            assert len(trace.moves) == len(trace.steps)
            assert 0 <= trace.failing < len(trace.steps)
            for move in trace.moves:
                assert move.actor in PARTIES and move.receiver in PARTIES
    assert seen >= 5


def test_the_failing_step_is_where_the_rule_breaks() -> None:
    never_called = AppBehaviour(
        sites=(_site(finish_events=FinishEvents(calls_handler=False)),), handle_events=HandleEvents()
    )
    trace = explore(never_called)["BGS013"]
    assert trace.steps[trace.failing] == "urlSessionDidFinishEvents does not call the completion handler"
    assert trace.moves[trace.failing] == ("delegate", "delegate")
    delivered = trace.steps.index("com.example.bg's task events are delivered to the session's delegate")
    assert trace.moves[delivered] == ("daemon", "delegate")

    recreated = explore(AppBehaviour(sites=(_site(memoized=False),), handle_events=HandleEvents()))["BGS002"]
    # The re-creation is found before the second start is said: that start is the failing step.
    assert recreated.steps[recreated.failing].startswith("the app starts")
    assert recreated.failing == len(recreated.steps) - 1
    assert recreated.moves[0] == ("ios", "app")
