"""`--style watchos`: handle(_:) keeps each URL-session refresh task by session identifier and completes
it after urlSessionDidFinishEvents, completing every other kind at once; it lints clean, and each way of
getting that wrong is reported as BGS031."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgsession.gen.render import render_files, snippet_names
from bgsession.lint.runner import LintRequest, lint
from tests.gen.variants import WATCH_VARIANTS

MUTANTS = {
    "swift": {
        "default-not-completed": [
            (
                "            default:\n                task.setTaskCompletedWithSnapshot(false)\n",
                "            default:\n                break\n",
            )
        ],
        "url-task-completed-at-once": [
            ("BackgroundRefreshTasks.shared.keep(urlSessionTask)", "urlSessionTask.setTaskCompletedWithSnapshot(false)")
        ],
    },
    "objc": {
        "default-not-completed": [
            ("        } else {\n            [task setTaskCompletedWithSnapshot:NO];\n        }\n", "        }\n")
        ],
        "url-task-completed-at-once": [
            (
                "[[BackgroundRefreshTasks sharedTasks] keepTask:(WKURLSessionRefreshBackgroundTask *)task];",
                "[task setTaskCompletedWithSnapshot:NO];",
            )
        ],
    },
}


def lint_files(folder: Path, files: dict[str, str]) -> tuple[set[str], int]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = lint(LintRequest([str(folder)]))
    return {diagnostic.code for diagnostic in result.diagnostics}, len(result.summary.background_sessions())


@pytest.mark.parametrize("name", sorted(WATCH_VARIANTS))
def test_watchos_variant_lints_clean(tmp_path: Path, name: str) -> None:
    files = {generated.name: generated.text for generated in render_files(WATCH_VARIANTS[name])}
    codes, sessions = lint_files(tmp_path, files)
    assert codes == set()
    assert sessions, "the linter did not see the generated sessions"


@pytest.mark.parametrize("mutant", ["default-not-completed", "url-task-completed-at-once"])
@pytest.mark.parametrize("name", sorted(WATCH_VARIANTS))
def test_watchos_mutants_are_bgs031(tmp_path: Path, name: str, mutant: str) -> None:
    spec = WATCH_VARIANTS[name]
    files = {generated.name: generated.text for generated in render_files(spec)}
    for old, new in MUTANTS[spec.lang.value][mutant]:
        hits = [file for file, text in files.items() if old in text]
        assert hits, old
        for file in hits:
            files[file] = files[file].replace(old, new)
    assert lint_files(tmp_path, files)[0] == {"BGS031"}


@pytest.mark.parametrize("name", sorted(WATCH_VARIANTS))
def test_watchos_output_has_no_uikit(name: str) -> None:
    spec = WATCH_VARIANTS[name]
    text = "".join(generated.text for generated in render_files(spec))
    assert "UIKit" not in text and "UIApplication" not in text and "handleEventsForBackgroundURLSession" not in text
    assert "applicationDidFinishLaunching" in text
    assert "handle-background-tasks" in snippet_names(spec)
