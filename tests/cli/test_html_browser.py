"""The HTML report in a real browser: headless Chromium (Debian's package), driven over its DevTools
protocol. The page loads without console errors, shows every finding of the JSON report under its
app, draws one sequence diagram per trace with one row per step, runs none of the code it quotes,
and its screenshot is not blank. Without Chromium these tests skip, or fail under
BGSESSION_REQUIRE_TOOLCHAINS=1 (CI installs it: .ci/run)."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from bgsession.gen.check import toolchains_required
from tests.cli.cdp import Chromium, find_chromium
from tests.cli.helpers import DOWNLOADER, REPO, bgsession, write_app

HOSTILE_LINE = "session.dataTask(with: url).resume()"
# A string in the user's code and a file name, both written to break out of the page if not escaped.
HOSTILE_SOURCE = """session.dataTask(with: URL(string: "<script>document.title='pwned'</script>")!).resume()"""
HOSTILE_NAME = "Down<img src=x onerror=document.title=1>loader.swift"

_FINDINGS = """(() => [...document.querySelectorAll('article.finding')].map(a => ({
    code: a.dataset.code, path: a.dataset.path, line: Number(a.dataset.line),
    app: a.closest('section.app').dataset.app,
    svgs: a.querySelectorAll('svg').length,
    steps: a.querySelectorAll('svg g.step').length,
    failing: a.querySelectorAll('svg g.step[data-failing]').length,
    height: a.querySelector('svg') ? a.querySelector('svg').getBoundingClientRect().height : 0,
    flagged: a.querySelectorAll('pre.excerpt [data-flagged]').length,
    excerpt: a.querySelector('pre.excerpt') ? a.querySelector('pre.excerpt').textContent : '',
})))()"""


def _chromium() -> str:
    path = find_chromium()
    if path is None:
        message = "Chromium is not installed (Debian: apt-get install chromium); the HTML report cannot be opened"
        if toolchains_required():
            pytest.fail(f"{message}, and BGSESSION_REQUIRE_TOOLCHAINS=1 makes that a failure")
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Chromium]:
    with Chromium(_chromium(), tmp_path_factory.mktemp("chromium-profile")) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two projects, so two apps: the example app, and one whose code and file name are hostile."""
    root = tmp_path_factory.mktemp("report")
    shutil.copytree(REPO / "examples" / "PhotoBackup", root / "PhotoBackup")
    evil = write_app(root / "Evil", DOWNLOADER.replace(HOSTILE_LINE, HOSTILE_SOURCE))
    (evil / "Downloader.swift").rename(evil / HOSTILE_NAME)
    done = bgsession("lint", "--format", "html", "-o", "report.html", "PhotoBackup", "Evil", cwd=root)
    assert done.returncode == 1, done.stderr
    return root


def _expected(workspace: Path) -> list[dict[str, Any]]:
    done = bgsession("lint", "--format", "json", "--explain", "PhotoBackup", "Evil", cwd=workspace)
    diagnostics: list[dict[str, Any]] = json.loads(done.stdout)["diagnostics"]
    return diagnostics


def _open(browser: Chromium, page: Path) -> None:
    browser.open(page.as_uri())


def test_the_report_loads_without_console_errors(browser: Chromium, workspace: Path) -> None:
    _open(browser, workspace / "report.html")
    assert browser.console_errors() == []
    assert browser.evaluate("document.title").startswith("bgsession report")


def test_every_finding_is_shown_under_its_app_with_its_trace_drawn(browser: Chromium, workspace: Path) -> None:
    _open(browser, workspace / "report.html")
    shown = browser.evaluate(_FINDINGS)
    expected = _expected(workspace)
    assert len(expected) >= 6
    assert sorted((f["code"], f["path"], f["line"]) for f in shown) == sorted(
        (d["code"], d["path"], d["line"]) for d in expected
    )
    apps = {f["app"] for f in shown}
    assert apps == {"PhotoBackup/PhotoBackup", "Evil"}
    by_place = {(f["code"], f["path"], f["line"]): f for f in shown}
    traced = 0
    for diagnostic in expected:
        finding = by_place[(diagnostic["code"], diagnostic["path"], diagnostic["line"])]
        # An app is named by the folder its own files share.
        assert finding["app"] == ("Evil" if diagnostic["path"].startswith("Evil/") else "PhotoBackup/PhotoBackup")
        assert finding["flagged"] >= 1
        trace = diagnostic.get("trace", [])
        if len(trace) > 1:
            traced += 1
            # The trace's lines are its numbered steps and the verdict.
            assert finding["svgs"] == 1
            assert finding["steps"] == len(trace) - 1
            assert finding["failing"] == 1
            assert finding["height"] > 100
        else:
            assert finding["svgs"] == 0
    assert traced >= 6


def test_quoted_code_and_file_names_stay_text(browser: Chromium, workspace: Path) -> None:
    _open(browser, workspace / "report.html")
    assert browser.evaluate("document.querySelectorAll('script, img, iframe, object').length") == 0
    assert browser.evaluate("document.title") != "pwned"
    shown = browser.evaluate(_FINDINGS)
    hostile = [f for f in shown if f["app"] == "Evil" and f["code"] == "BGS022"]
    assert len(hostile) == 1
    assert hostile[0]["path"] == f"Evil/{HOSTILE_NAME}"
    assert "<script>document.title='pwned'</script>" in hostile[0]["excerpt"]


def test_the_screenshot_is_not_blank(browser: Chromium, workspace: Path) -> None:
    _open(browser, workspace / "report.html")
    picture = Image.open(io.BytesIO(browser.screenshot())).convert("L")
    assert picture.size[0] >= 800
    assert ImageStat.Stat(picture).stddev[0] > 15
    assert len(picture.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 50
    # The same measure on an empty page: the check can tell.
    blank = workspace / "blank.html"
    blank.write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    _open(browser, blank)
    empty = Image.open(io.BytesIO(browser.screenshot())).convert("L")
    assert ImageStat.Stat(empty).stddev[0] < 1


def test_console_errors_and_blocked_scripts_are_caught(browser: Chromium, workspace: Path) -> None:
    """The console check can fail: a script's error and a script the report's policy blocks both count."""
    noisy = workspace / "noisy.html"
    noisy.write_text("<!DOCTYPE html><script>console.error('broken')</script>", encoding="utf-8")
    _open(browser, noisy)
    assert any("broken" in error for error in browser.console_errors())
    policy = (workspace / "report.html").read_text(encoding="utf-8").split("<style>")[0]
    blocked = workspace / "blocked.html"
    blocked.write_text(policy + "</head><body><script>document.title='ran'</script></body></html>", encoding="utf-8")
    _open(browser, blocked)
    assert browser.evaluate("document.title") != "ran"
    assert browser.console_errors() != []
