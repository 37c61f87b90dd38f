"""Each rule the model covers: a minimal behaviour that breaks it, and its fixed counterpart."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bgsession.model import (
    COVERED_CODES,
    UNCOVERED_CODES,
    AppBehaviour,
    FinishEvents,
    HandleEvents,
    HandlerAction,
    HandlerStore,
    HostLibrary,
    Invalidation,
    Reconnect,
    SessionSite,
    TaskKind,
    UnknownIdentifier,
    explore,
)

MAIN = SessionSite("DownloadManager.session", "com.example.bg")
OTHER = SessionSite("UploadManager.session", "com.example.upload")
CORRECT = AppBehaviour(sites=(MAIN,))
LIBRARY = SessionSite("Tiercel", "<Tiercel's identifier>", library=HostLibrary("Tiercel"))


def app(*sites: SessionSite, **handle_events: object) -> AppBehaviour:
    return AppBehaviour(sites=sites, handle_events=HandleEvents(**handle_events))  # type: ignore[arg-type]


# code -> (behaviour that breaks it, the same behaviour fixed)
CASES: dict[str, list[tuple[AppBehaviour, AppBehaviour]]] = {
    "BGS001": [
        (app(MAIN, replace(OTHER, identifier=MAIN.identifier)), app(MAIN, OTHER)),
    ],
    "BGS002": [
        (app(replace(MAIN, memoized=False)), app(MAIN)),
        (
            app(replace(MAIN, invalidation=Invalidation.RECREATE_AT_ONCE)),
            app(replace(MAIN, invalidation=Invalidation.RECREATE_AFTER_INVALID)),
        ),
        (
            app(MAIN, reconnect=Reconnect.FROM_IDENTIFIER, creates_unconditionally=True),
            app(MAIN, reconnect=Reconnect.FROM_IDENTIFIER),
        ),
    ],
    "BGS003": [(app(replace(MAIN, delegate=False)), app(MAIN))],
    "BGS004": [(app(replace(MAIN, stable=False)), app(MAIN))],
    "BGS006": [
        (
            app(replace(MAIN, invalidation=Invalidation.NOT_RECREATED)),
            app(replace(MAIN, invalidation=Invalidation.RECREATE_AFTER_INVALID)),
        ),
        # Beside a second session, which the invalidation leaves alone; the fix is not to end the session.
        (app(replace(MAIN, invalidation=Invalidation.NOT_RECREATED), OTHER), app(MAIN, OTHER)),
    ],
    "BGS010": [
        (app(MAIN, present=False), app(MAIN)),
        (app(MAIN, present=False), app(replace(MAIN, sends_launch_events=False), present=False)),
    ],
    "BGS011": [
        (app(MAIN, action=HandlerAction.DROP), app(MAIN)),
        (
            app(MAIN, checks_identifier=True, unknown=UnknownIdentifier.DROP),
            app(MAIN, checks_identifier=True, unknown=UnknownIdentifier.CALL_AT_ONCE),
        ),
    ],
    "BGS012": [(app(MAIN, action=HandlerAction.CALL_AT_ONCE), app(MAIN))],
    "BGS013": [
        (app(replace(MAIN, finish_events=FinishEvents(present=False))), app(MAIN)),
        (app(replace(MAIN, finish_events=FinishEvents(calls_handler=False))), app(MAIN)),
    ],
    "BGS014": [
        (app(replace(MAIN, finish_events=FinishEvents(on_main=False))), app(MAIN)),
        (
            app(replace(MAIN, finish_events=FinishEvents(on_main=False))),
            app(replace(MAIN, delegate_queue_main=True, finish_events=FinishEvents(on_main=False))),
        ),
    ],
    "BGS015": [(app(replace(MAIN, finish_events=FinishEvents(clears=False))), app(MAIN))],
    "BGS016": [
        (app(MAIN, OTHER, store=HandlerStore.SINGLE_SLOT), app(MAIN, OTHER)),
    ],
    "BGS017": [
        (
            app(replace(MAIN, created_at_launch=False), reconnect=Reconnect.NONE),
            app(replace(MAIN, created_at_launch=False), reconnect=Reconnect.MATCHING),
        ),
    ],
    "BGS018": [
        (app(replace(LIBRARY, library=HostLibrary("Tiercel", forwarded=False))), app(LIBRARY)),
        (app(replace(LIBRARY, library=HostLibrary("Tiercel", forwarded=False)), present=False), app(LIBRARY)),
        # The app's own session beside the library's: each handler goes where it belongs.
        (
            app(MAIN, replace(LIBRARY, library=HostLibrary("Tiercel", forwarded=False)), checks_identifier=True),
            app(MAIN, LIBRARY, checks_identifier=True),
        ),
    ],
    "BGS019": [(app(replace(MAIN, finish_events=FinishEvents(every_path=False))), app(MAIN))],
    "BGS020": [(app(replace(MAIN, task_kinds=(TaskKind.DOWNLOAD, TaskKind.CONVENIENCE))), app(MAIN))],
    "BGS021": [
        (
            app(replace(MAIN, task_kinds=(TaskKind.DOWNLOAD, TaskKind.UPLOAD_DATA))),
            app(replace(MAIN, task_kinds=(TaskKind.DOWNLOAD, TaskKind.UPLOAD_FILE))),
        )
    ],
    "BGS022": [(app(replace(MAIN, task_kinds=(TaskKind.DOWNLOAD, TaskKind.DATA))), app(MAIN))],
    "BGS023": [(app(replace(MAIN, moves_download_synchronously=False)), app(MAIN))],
    "BGS030": [
        (
            app(
                MAIN,
                SessionSite("ShareExtension.session", "com.example.share", in_extension=True),
                reconnect=Reconnect.FROM_IDENTIFIER,
            ),
            app(
                MAIN,
                SessionSite("ShareExtension.session", "com.example.share", in_extension=True, shared_container=True),
                reconnect=Reconnect.FROM_IDENTIFIER,
            ),
        )
    ],
    "BGS040": [
        (app(replace(MAIN, keeps_task_state=True)), app(replace(MAIN, keeps_task_state=True, lists_tasks=True))),
        (app(replace(MAIN, keeps_task_state=True)), app(MAIN)),
    ],
}


def test_every_covered_code_has_cases() -> None:
    assert sorted(CASES) == sorted(COVERED_CODES)
    assert not set(COVERED_CODES) & set(UNCOVERED_CODES)


def test_the_correct_app_breaks_nothing() -> None:
    assert explore(CORRECT) == {}


@pytest.mark.parametrize(
    ("code", "index"), [(code, index) for code, pairs in CASES.items() for index in range(len(pairs))]
)
def test_bad_behaviour_breaks_the_rule_and_the_fix_does_not(code: str, index: int) -> None:
    bad, fixed = CASES[code][index]
    bad_found = explore(bad)
    assert code in bad_found, f"{code} not found; found {sorted(bad_found)}"
    assert code not in explore(fixed)


@pytest.mark.parametrize("code", sorted(CASES))
def test_fixed_behaviours_break_nothing_at_all(code: str) -> None:
    for _, fixed in CASES[code]:
        assert explore(fixed) == {}, explore(fixed)


def test_trace_is_readable_and_ends_with_the_verdict() -> None:
    bad = app(replace(MAIN, finish_events=FinishEvents(calls_handler=False)))
    trace = explore(bad)["BGS013"]
    lines = trace.lines()
    assert lines[0] == "1. the user launches the app"
    assert any("handleEvents stores the completion handler under com.example.bg" in line for line in lines)
    assert any("urlSessionDidFinishEvents does not call the completion handler" in line for line in lines)
    assert lines[-1].startswith("→ nothing calls the stored completion handler")


def test_single_slot_is_right_for_a_single_identifier() -> None:
    # Apple's own sample keeps one optional property: correct while the app has one identifier.
    assert explore(app(MAIN, store=HandlerStore.SINGLE_SLOT)) == {}


def test_root_cause_only_for_a_session_without_delegate() -> None:
    found = explore(app(replace(MAIN, delegate=False)))
    assert set(found) == {"BGS003"}


def test_launch_events_off_means_no_relaunch_and_no_handler() -> None:
    quiet = replace(MAIN, sends_launch_events=False, finish_events=FinishEvents(present=False))
    assert explore(app(quiet, present=False)) == {}


def test_some_paths_trace_shows_the_handler_left_waiting() -> None:
    bad = app(replace(MAIN, finish_events=FinishEvents(every_path=False)))
    found = explore(bad)
    # The skipping path is one defect; the calling path is still judged on its own (here: correct).
    assert set(found) == {"BGS019"}
    lines = found["BGS019"].lines()
    assert any("handleEvents stores the completion handler under com.example.bg" in line for line in lines)
    assert any("returns on a path that does not call" in line for line in lines)
    assert lines[-1].startswith("→ urlSessionDidFinishEvents returns without calling the stored completion handler")


def test_some_paths_with_an_off_main_call_breaks_both_rules() -> None:
    found = explore(app(replace(MAIN, finish_events=FinishEvents(every_path=False, on_main=False))))
    assert {"BGS014", "BGS019"} <= set(found)


def test_a_reused_invalidated_session_is_one_finding() -> None:
    # The invalidation ends the session's tasks too: its identifier's events are not reported again as
    # a session nothing reconnects.
    found = explore(app(replace(MAIN, invalidation=Invalidation.NOT_RECREATED)))
    assert set(found) == {"BGS006"}
    lines = found["BGS006"].lines()
    assert any("the app invalidates the session for com.example.bg" in line for line in lines)
    assert lines[-2].endswith("'s invalidated session for a download task")


def test_a_library_handler_goes_only_to_the_library() -> None:
    # Without forwarding, the library's relaunch is the one defect: not a missing handleEvents, not a
    # dropped handler, not a session the app fails to reconnect.
    unforwarded = replace(LIBRARY, library=HostLibrary("Tiercel", forwarded=False))
    for handle_events in ({}, {"present": False}, {"action": HandlerAction.CALL_AT_ONCE}, {"reconnect": Reconnect.ALL}):
        assert set(explore(app(unforwarded, **handle_events))) == {"BGS018"}, handle_events
    trace = explore(app(unforwarded))["BGS018"]
    assert "the system resumes the suspended app in the background for <Tiercel's identifier>" in trace.steps
    assert trace.verdict.startswith("handleEvents does not hand the completion handler for <Tiercel's identifier>")
    forwarded = explore(app(LIBRARY, present=True))
    assert forwarded == {}


def test_stale_task_state_needs_a_process_that_did_not_start_the_task() -> None:
    trace = explore(app(replace(MAIN, keeps_task_state=True)))["BGS040"]
    terminated = trace.steps.index("the system terminates the suspended app; its transfers go on in the daemon")
    delivered = trace.steps.index("com.example.bg's task events are delivered to the session's delegate")
    assert terminated < delivered == trace.failing
    # A force quit cancels the transfers: nothing stale is left, so a bound that cannot reach a
    # termination cannot find the rule.
    assert "BGS040" not in explore(app(replace(MAIN, keeps_task_state=True)), bound=4)
