"""The seed page's scenario: a temporary session made in handleEvents, then the app's own session.

The seed says this is safe because "calling the handler invalidates the session". Apple says the
session stays registered until the app invalidates it and didBecomeInvalidWithError arrives (R7).
Apple's didFinishLaunching also runs once per process, before handleEvents, so the second creation
in that process comes from the app's next code path that reaches its session, modelled here as
the user starting a transfer after bringing the app to the foreground.
"""

from __future__ import annotations

from dataclasses import replace

from bgsession.model import (
    AppBehaviour,
    BackgroundRelaunch,
    DeliverEvents,
    DidBecomeInvalid,
    Event,
    HandleEvents,
    ImpossibleEventError,
    Reconnect,
    SessionSite,
    StartTransfer,
    State,
    Suspend,
    SystemTerminates,
    TaskKind,
    TransferFinishes,
    UserForeground,
    UserLaunch,
    Violation,
    initial_state,
    step,
)

ID = "com.example.bg"
SITE = SessionSite("DownloadManager.session", ID, created_at_launch=False)


def seed_app(*, invalidates: bool) -> AppBehaviour:
    return AppBehaviour(
        sites=(SITE,),
        handle_events=HandleEvents(
            reconnect=Reconnect.FROM_IDENTIFIER, creates_unconditionally=True, invalidates_created=invalidates
        ),
    )


def run(behaviour: AppBehaviour, events: list[Event]) -> list[Violation]:
    state: State = initial_state(behaviour)
    violations: list[Violation] = []
    for event in events:
        transition = step(state, event)
        violations.extend(transition.violations)
        state = transition.state
    return violations


PREFIX: list[Event] = [
    UserLaunch(),
    StartTransfer(SITE.name, TaskKind.DOWNLOAD),
    Suspend(),
    SystemTerminates(),
    TransferFinishes(ID),
    BackgroundRelaunch(ID),  # handleEvents creates the temporary session
    DeliverEvents(ID),  # urlSessionDidFinishEvents calls the handler (and may invalidate)
    UserForeground(),
]


def test_recreating_while_the_temporary_session_lives_is_a_violation() -> None:
    violations = run(seed_app(invalidates=False), [*PREFIX, StartTransfer(SITE.name, TaskKind.DOWNLOAD)])
    assert [v.code for v in violations] == ["BGS002"]


def test_recreating_before_did_become_invalid_is_a_violation() -> None:
    violations = run(seed_app(invalidates=True), [*PREFIX, StartTransfer(SITE.name, TaskKind.DOWNLOAD)])
    assert [v.code for v in violations] == ["BGS002"]
    assert "still invalidating" in violations[0].message


def test_recreating_after_did_become_invalid_is_safe() -> None:
    events = [*PREFIX, DidBecomeInvalid(ID), StartTransfer(SITE.name, TaskKind.DOWNLOAD)]
    assert run(seed_app(invalidates=True), events) == []


def test_calling_the_handler_does_not_invalidate_the_session() -> None:
    state = initial_state(seed_app(invalidates=False))
    for event in PREFIX:
        state = step(state, event).state
    assert state.world.process is not None
    live = state.world.process.live_session(ID)
    assert live is not None and not live.invalidating


def test_did_become_invalid_cannot_happen_without_invalidation() -> None:
    state = initial_state(seed_app(invalidates=False))
    for event in PREFIX:
        state = step(state, event).state
    try:
        step(state, DidBecomeInvalid(ID))
    except ImpossibleEventError as error:
        assert "didBecomeInvalidWithError" in str(error)
    else:
        raise AssertionError("didBecomeInvalidWithError arrived for a session nobody invalidated")


def test_impossible_events_raise() -> None:
    state = initial_state(replace(seed_app(invalidates=False)))
    for event in (BackgroundRelaunch(ID), Suspend(), DeliverEvents(ID)):
        try:
            step(state, event)
        except ImpossibleEventError:
            continue
        raise AssertionError(f"{event} was accepted before anything ran")
