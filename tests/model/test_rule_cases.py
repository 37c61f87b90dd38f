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
