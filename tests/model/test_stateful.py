"""Drive the model with random event sequences over random behaviours, checking its invariants."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from bgsession.model import (
    AppBehaviour,
    BackgroundRelaunch,
    BackgroundResume,
    DeliverEvents,
    FinishEvents,
    HandleEvents,
    HandlerAction,
    HandlerStore,
    Invalidation,
    MoreEvents,
    Reconnect,
    SessionSite,
    State,
    TaskKind,
    UnknownIdentifier,
    UserLaunch,
    enabled_events,
    initial_state,
    step,
)

IDENTIFIERS = ("com.example.a", "com.example.b")

finish_events = st.builds(
    FinishEvents, present=st.booleans(), calls_handler=st.booleans(), on_main=st.booleans(), clears=st.booleans()
)
task_kinds = st.lists(st.sampled_from(list(TaskKind)), min_size=1, max_size=2, unique=True).map(tuple)


@st.composite
def sites(draw: st.DrawFn) -> tuple[SessionSite, ...]:
    count = draw(st.integers(1, 3))
    result = []
    for index in range(count):
        result.append(
            SessionSite(
                name=f"Site{index}.session",
                identifier=draw(st.sampled_from(IDENTIFIERS)),
                stable=draw(st.booleans()),
                memoized=draw(st.booleans()),
                delegate=draw(st.booleans()),
                delegate_queue_main=draw(st.booleans()),
                sends_launch_events=draw(st.booleans()),
                in_extension=index > 0 and draw(st.booleans()),
                shared_container=draw(st.booleans()),
                created_at_launch=draw(st.booleans()),
                task_kinds=draw(task_kinds),
                moves_download_synchronously=draw(st.booleans()),
                invalidation=draw(st.sampled_from(list(Invalidation))),
                finish_events=draw(finish_events),
            )
        )
    return tuple(result)


behaviours = st.builds(
    AppBehaviour,
    sites=sites(),
    handle_events=st.builds(
        HandleEvents,
        present=st.booleans(),
        action=st.sampled_from(list(HandlerAction)),
        store=st.sampled_from(list(HandlerStore)),
        reconnect=st.sampled_from(list(Reconnect)),
        checks_identifier=st.booleans(),
        unknown=st.sampled_from(list(UnknownIdentifier)),
        creates_unconditionally=st.booleans(),
        invalidates_created=st.booleans(),
    ),
)


class LifecycleMachine(RuleBasedStateMachine):
    state: State
    calls: Counter[int]
    quit_since_launch: bool

    @initialize(behaviour=behaviours)
    def start(self, behaviour: AppBehaviour) -> None:
        self.state = initial_state(behaviour)
        self.calls = Counter()
        self.quit_since_launch = False

    @precondition(lambda self: hasattr(self, "state"))
    @rule(data=st.data())
    def next_event(self, data: st.DataObject) -> None:
        events = enabled_events(self.state)
        event = data.draw(st.sampled_from(events))
        before = self.state.world
        if isinstance(event, DeliverEvents):
            assert before.process is not None
            live = before.process.live_session(event.identifier)
            assert live is not None and live.delegate, "events reached a session without a delegate"
        if isinstance(event, (BackgroundRelaunch, BackgroundResume, MoreEvents)):
            assert not self.quit_since_launch, "the system relaunched a force-quit app"
        transition = step(self.state, event)
        self.calls.update(transition.handlers_called)
        codes = {violation.code for violation in transition.violations}
        for handler in transition.handlers_called:
            if self.calls[handler] > 1:
                assert "BGS015" in codes, "a handler was called twice without a BGS015 verdict"
        if isinstance(event, UserLaunch):
            self.quit_since_launch = False
        if transition.state.world.force_quit:
            self.quit_since_launch = True
        self.state = transition.state

    @invariant()
    def one_live_session_per_identifier(self) -> None:
        if not hasattr(self, "state") or self.state.world.process is None:
            return
        identifiers = [session.identifier for session in self.state.world.process.sessions]
        assert len(identifiers) == len(set(identifiers)), identifiers

    @invariant()
    def nothing_runs_after_force_quit(self) -> None:
        if hasattr(self, "state") and self.state.world.force_quit:
            assert self.state.world.process is None
            assert not any(isinstance(e, BackgroundRelaunch) for e in enabled_events(self.state))


LifecycleMachine.TestCase.settings = settings(
    max_examples=300, stateful_step_count=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestLifecycle = LifecycleMachine.TestCase


CORRECT = AppBehaviour(
    sites=(SessionSite("A.session", IDENTIFIERS[0]), SessionSite("B.session", IDENTIFIERS[1])),
)


class CorrectAppMachine(RuleBasedStateMachine):
    """The generator's design (memoized, delegate, keyed store, main-thread call, cleared) never breaks a rule."""

    def __init__(self) -> None:
        super().__init__()
        self.state = initial_state(CORRECT)

    @rule(data=st.data())
    def next_event(self, data: st.DataObject) -> None:
        event = data.draw(st.sampled_from(enabled_events(self.state)))
        transition = step(self.state, event)
        assert transition.violations == (), transition.violations
        self.state = transition.state


CorrectAppMachine.TestCase.settings = settings(max_examples=200, stateful_step_count=50, deadline=None)
TestCorrectApp = CorrectAppMachine.TestCase
