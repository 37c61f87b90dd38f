"""Issue 14, items 4 and 19 (redteam 04-gen-out-escapes-repo.sh, 19-gen-wrong-output.sh), and issue 18
item 5: the generator stays in the project, never overwrites what appeared meanwhile, names sessions
so that they compile, treats canonically equal identifiers as one, and does not crash on its cache."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest

from bgsession.cli import main
from bgsession.gen.harness import compile_generated
from bgsession.gen.render import render_files
from bgsession.gen.spec import SpecError, build_spec
from bgsession.gen.write import WriteError, apply_plan, plan_writes
from tests.conftest import require_tool
from tests.gen.test_compile import assert_compiles

SESSION = '\n[[gen.sessions]]\nidentifier = "com.example.app.downloads"\n'


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_config_out_outside_the_repository_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for out in ("../outside/Generated", str(tmp_path / "absolute")):
        (repo / "bgsession.toml").write_text(f'[gen]\nout = "{out}"\n' + SESSION)
        monkeypatch.chdir(repo)
        code, _, err = run(["gen", "--config", "bgsession.toml"], capsys)
        assert code == 2 and "outside the project" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo"]


def test_symlinked_output_folder_with_force_replaces_nothing_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, outside = tmp_path / "repo", tmp_path / "outside2"
    (repo / "Sources").mkdir(parents=True)
    outside.mkdir()
    (outside / "BackgroundSessions.swift").write_text("the user's own file, not generated\n")
    (repo / "Sources" / "Generated").symlink_to("../../outside2")
    (repo / "bgsession.toml").write_text('[gen]\nout = "Sources/Generated"\n' + SESSION)
    monkeypatch.chdir(repo)
    code, _, err = run(["gen", "--config", "bgsession.toml", "--force"], capsys)
    assert code == 2 and "symbolic link" in err
    assert (outside / "BackgroundSessions.swift").read_text() == "the user's own file, not generated\n"


def test_check_then_write_race_does_not_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = Path("race")
    out.mkdir()
    files = render_files(build_spec(lang="swift", style="uikit", identifiers=["com.example.app.downloads"]))
    plans = plan_writes(files, out, force=False)
    (out / "BackgroundSessions.swift").write_text("// the user's file, saved a moment ago\n")
    with pytest.raises(WriteError, match="appeared while bgsession was writing"):
        apply_plan(plans)
    assert (out / "BackgroundSessions.swift").read_text() == "// the user's file, saved a moment ago\n"


MEMBER_IDENTIFIERS = [
    f"com.example.{name}"
    for name in (
        "identifier",
        "reconnectAll",
        "session",
        "delegate",
        "configure",
        "manager",
        "download",
        "upload",
        "logger",
        "configuredEvents",
        "shared",
        "init",
    )
]


@pytest.mark.parametrize("lang", ["swift", "objc"])
def test_identifiers_named_like_manager_members_compile(lang: str) -> None:
    require_tool("swiftc" if lang == "swift" else "clang")
    spec = build_spec(lang=lang, style="uikit", identifiers=[*MEMBER_IDENTIFIERS, "com.example.other"])
    assert {s.name for s in spec.sessions} >= {"identifierSession", "reconnectAllSession", "sessionSession"}
    assert_compiles(compile_generated(spec, render_files(spec)))


CAFE_NFC = "com.example.caf\u00e9"
CAFE_NFD = "com.example.cafe\u0301"


def test_canonically_equal_identifiers_are_one_identifier() -> None:
    with pytest.raises(SpecError, match=r"given twice \(the same text once Unicode-normalised"):
        build_spec(lang="swift", style="uikit", identifiers=[CAFE_NFC, CAFE_NFD])


def test_identifiers_are_written_in_nfc() -> None:
    spec = build_spec(lang="swift", style="uikit", identifiers=[CAFE_NFD])
    assert spec.sessions[0].identifier == unicodedata.normalize("NFC", CAFE_NFD) == CAFE_NFC
    text = render_files(spec)[0].text
    assert f'"{CAFE_NFC}"' in text and CAFE_NFD not in text


@pytest.mark.parametrize("invisible", ["\u3164", "\u2800", "\u115f", "\uffa0"])
def test_invisible_letters_are_rejected(invisible: str) -> None:
    with pytest.raises(SpecError, match=f"invisible character U\\+{ord(invisible):04X}"):
        build_spec(lang="swift", style="uikit", identifiers=[f"com.example.downloads{invisible}"])


def test_check_with_an_uncreatable_cache_folder_warns_and_runs(tmp_path: Path) -> None:
    require_tool("swiftc")
    env = {k: v for k, v in os.environ.items() if k != "BGSESSION_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = "/proc/nonexistent/cache"
    done = subprocess.run(
        [sys.executable, "-m", "bgsession", "gen", "--identifier", "com.example.a.b", "--stdout", "--check"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=600, check=False,
    )  # fmt: skip
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "cannot use the cache folder /proc/nonexistent/cache/bgsession" in done.stderr
    assert "compile check passed" in done.stderr


# Issue 18 item 5: an Objective-C category never silently replaces the app's own handleEvents.
EXISTING = """#import "AppDelegate.h"

@implementation AppDelegate

- (void)application:(UIApplication *)application
    handleEventsForBackgroundURLSession:(NSString *)identifier
                      completionHandler:(void (^)(void))completionHandler {
    completionHandler();
}

@end
"""


def test_objc_category_over_an_existing_handle_events_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "App").mkdir()
    (tmp_path / "App" / "AppDelegate.m").write_text(EXISTING)
    monkeypatch.chdir(tmp_path)
    args = ["gen", "--lang", "objc", "--identifier", "com.example.app.downloads", "--out", "Generated"]
    for extra in ([], ["--force"]):
        code, _, err = run([*args, *extra], capsys)
        assert code == 2
        assert f"{tmp_path / 'App' / 'AppDelegate.m'}:5: AppDelegate already implements" in err
        assert "--snippet handle-events" in err
    assert not (tmp_path / "Generated").exists()


@pytest.mark.parametrize(
    "other",
    [
        EXISTING.replace("@implementation AppDelegate", "@implementation OtherDelegate"),
        EXISTING.replace("- (void)application:", "// - (void)application:").replace(
            "    handleEvents", "//     handleEvents"
        ),
    ],
    ids=["other-class", "commented-out"],
)
def test_objc_category_is_written_when_nothing_collides(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, other: str
) -> None:
    (tmp_path / "AppDelegate.m").write_text(other)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["gen", "--lang", "objc", "--identifier", "com.example.app.downloads", "--out", "Gen"], capsys)
    assert code == 0, err
    # And a second run does not take the generated category for the app's own implementation.
    assert run(["gen", "--lang", "objc", "--identifier", "com.example.app.downloads", "--out", "Gen"], capsys)[0] == 0


def test_compile_probe_scratch_is_private() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        assert oct(os.stat(scratch).st_mode & 0o777) == "0o700"
