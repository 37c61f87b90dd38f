"""`bgsession lint --xcode-script-inputs` in a simulated sandboxed Xcode Run Script phase, and the
`xcfilelist` command that writes the phase's input file list.

The phase's environment (SRCROOT, DERIVED_FILE_DIR, SCRIPT_INPUT_FILE_*, ENABLE_USER_SCRIPT_SANDBOXING)
is set as Xcode sets it, HOME is a read-only folder, and the run happens under an audit hook
(audited_lint.py) that records every file opened, folder listed and change made: under the sandbox
only the declared inputs may be read and only the declared output written.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bgsession.cli import main
from tests.cli.helpers import DOWNLOADER

FIXTURES = Path(__file__).resolve().parents[1] / "targets" / "data"
AUDITED = Path(__file__).parent / "audited_lint.py"
APP_SOURCES = ["App/AppDelegate.swift", "App/Legacy.h", "App/Legacy.m", "Shared/Uploader.swift"]


@dataclass(frozen=True)
class Phase:
    srcroot: Path
    derived: Path
    home: Path
    file_list: Path
    stamp: Path


@dataclass(frozen=True)
class Audit:
    status: int
    stdout: str
    stderr: str
    events: list[tuple[str, str]]

    def under(self, folder: Path, kind: str) -> set[str]:
        prefix = str(folder) + os.sep
        return {path for event, path in self.events if event == kind and (path + os.sep).startswith(prefix)}


@pytest.fixture
def phase(tmp_path: Path) -> Iterator[Phase]:
    srcroot = tmp_path / "src"
    shutil.copytree(FIXTURES / "appext", srcroot)
    (srcroot / ".git").mkdir()  # the checkout's root: configuration lookups stop here
    derived = tmp_path / "DerivedSources"
    derived.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(stat.S_IRUSR | stat.S_IXUSR)
    file_list = srcroot / "bgsession-inputs.xcfilelist"
    assert (
        main(["xcfilelist", "--project", str(srcroot / "App.xcodeproj"), "--target", "App", "-o", str(file_list)]) == 0
    )
    yield Phase(srcroot, derived, home, file_list, derived / "bgsession.stamp")
    home.chmod(stat.S_IRWXU)


def run_phase(tmp_path: Path, phase: Phase, *extra: str, sandboxed: bool = True, **variables: str) -> Audit:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BGSESSION_", "XDG_", "SCRIPT_"))}
    env.update(
        HOME=str(phase.home),
        PYTHONDONTWRITEBYTECODE="1",
        SRCROOT=str(phase.srcroot),
        PROJECT_DIR=str(phase.srcroot),
        DERIVED_FILE_DIR=str(phase.derived),
        ENABLE_USER_SCRIPT_SANDBOXING="YES" if sandboxed else "NO",
    )
    env.update(variables)
    log = tmp_path / "audit.json"
    command = [sys.executable, str(AUDITED), str(log), "lint", "--xcode-script-inputs", "--no-progress", *extra]
    # The working folder is the project's, as in Xcode: relative paths must not leak reads elsewhere.
    done = subprocess.run(command, cwd=phase.srcroot, env=env, capture_output=True, text=True, check=False)
    events = [tuple(event) for event in json.loads(log.read_text(encoding="utf-8"))] if log.exists() else []
    return Audit(done.returncode, done.stdout, done.stderr, events)  # type: ignore[arg-type]


def declared(phase: Phase, *paths: Path) -> set[str]:
    return (
        {str(phase.srcroot / name) for name in APP_SOURCES}
        | {str(phase.srcroot / "App" / "Info.plist")}
        | {str(path) for path in paths}
    )


def test_the_file_list_holds_exactly_the_targets_sources_and_its_info_plist(phase: Phase) -> None:
    lines = [line for line in phase.file_list.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert lines == [f"$(SRCROOT)/{name}" for name in APP_SOURCES] + ["$(SRCROOT)/App/Info.plist"]


def test_the_file_list_of_synchronized_folders_leaves_out_their_exceptions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["xcfilelist", "--project", str(FIXTURES / "synced" / "Sync.xcodeproj"), "--target", "Sync"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    assert lines == [
        "$(SRCROOT)/Sync/Shared/Model.swift",
        "$(SRCROOT)/Sync/SyncApp.swift",
        "$(SRCROOT)/Sync/Info.plist",
    ]


def test_the_file_list_names_the_configuration_that_applies(phase: Phase, capsys: pytest.CaptureFixture[str]) -> None:
    (phase.srcroot / ".bgsession.toml").write_text("[lint]\n", encoding="utf-8")
    assert main(["xcfilelist", "--project", str(phase.srcroot / "App.xcodeproj"), "--target", "ShareExtension"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if not line.startswith("#")]
    assert lines == [
        "$(SRCROOT)/ShareExtension/ShareViewController.swift",
        "$(SRCROOT)/Shared/Uploader.swift",
        "$(SRCROOT)/ShareExtension/Info.plist",
        "$(SRCROOT)/.bgsession.toml",
    ]


def test_an_unknown_target_or_project_is_one_line(phase: Phase, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["xcfilelist", "--project", str(phase.srcroot / "App.xcodeproj"), "--target", "Nope"]) == 2
    assert "has no target named 'Nope' (its targets: App, AppTests, ShareExtension, SharedKit, Widget)" in (
        capsys.readouterr().err
    )
    assert main(["xcfilelist", "--project", str(phase.srcroot / "App"), "--target", "App"]) == 2
    assert "is not an .xcodeproj folder" in capsys.readouterr().err


def test_sandboxed_it_reads_only_the_declared_inputs_and_writes_only_the_stamp(tmp_path: Path, phase: Phase) -> None:
    done = run_phase(
        tmp_path,
        phase,
        "--stamp",
        str(phase.stamp),
        SCRIPT_INPUT_FILE_LIST_COUNT="1",
        SCRIPT_INPUT_FILE_LIST_0=str(phase.file_list),
    )
    assert done.status == 0, done.stderr
    assert "no problems in 4 files" in done.stderr
    assert done.under(phase.srcroot, "read") == declared(phase, phase.file_list)
    assert done.under(phase.srcroot, "list") == set()
    assert {path for event, path in done.events if event == "write"} == {str(phase.stamp)}
    assert [path for _, path in done.events if (path + os.sep).startswith(str(phase.home) + os.sep)] == []
    assert "no problems in 4 files" in phase.stamp.read_text(encoding="utf-8")
    assert sorted(path.name for path in phase.derived.iterdir()) == ["bgsession.stamp"]


def test_sandboxed_a_finding_fails_the_phase_and_leaves_no_stamp(tmp_path: Path, phase: Phase) -> None:
    downloader = phase.srcroot / "App" / "Downloader.swift"
    downloader.write_text(DOWNLOADER, encoding="utf-8")
    done = run_phase(
        tmp_path,
        phase,
        "--stamp",
        str(phase.stamp),
        SCRIPT_INPUT_FILE_COUNT="1",
        SCRIPT_INPUT_FILE_0=str(downloader),
        SCRIPT_INPUT_FILE_LIST_COUNT="1",
        SCRIPT_INPUT_FILE_LIST_0=str(phase.file_list),
    )
    assert done.status == 1
    assert f"{downloader}:12:9: warning: " in done.stdout
    assert done.under(phase.srcroot, "read") == declared(phase, phase.file_list, downloader)
    assert not phase.stamp.exists()
    assert {path for event, path in done.events if event == "write"} == set()


def test_sandboxed_an_undeclared_configuration_is_not_read(tmp_path: Path, phase: Phase) -> None:
    config = phase.srcroot / ".bgsession.toml"
    config.write_text('[lint]\nignore = ["BGS020"]\n', encoding="utf-8")
    done = run_phase(tmp_path, phase, SCRIPT_INPUT_FILE_LIST_COUNT="1", SCRIPT_INPUT_FILE_LIST_0=str(phase.file_list))
    assert done.status == 0, done.stderr
    assert f"bgsession: warning: {config}: not an input file of the Run Script phase" in done.stderr
    assert str(config) not in done.under(phase.srcroot, "read")
    declared_too = run_phase(
        tmp_path,
        phase,
        SCRIPT_INPUT_FILE_COUNT="1",
        SCRIPT_INPUT_FILE_0=str(config),
        SCRIPT_INPUT_FILE_LIST_COUNT="1",
        SCRIPT_INPUT_FILE_LIST_0=str(phase.file_list),
    )
    assert "warning" not in declared_too.stderr
    assert str(config) in declared_too.under(phase.srcroot, "read")


def test_sandboxed_a_declared_configuration_is_read_through_a_linked_srcroot(tmp_path: Path, phase: Phase) -> None:
    config = phase.srcroot / ".bgsession.toml"
    config.write_text("[lint]\n", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(phase.srcroot)  # as /tmp is /private/tmp on macOS
    done = run_phase(
        tmp_path,
        phase,
        SRCROOT=str(linked),
        SCRIPT_INPUT_FILE_COUNT="1",
        SCRIPT_INPUT_FILE_0=str(linked / ".bgsession.toml"),
        SCRIPT_INPUT_FILE_LIST_COUNT="1",
        SCRIPT_INPUT_FILE_LIST_0=str(linked / phase.file_list.name),
    )
    assert done.status == 0, done.stderr
    assert "warning" not in done.stderr
    assert str(config) in done.under(phase.srcroot, "read")


def test_sandboxed_without_declared_inputs_it_stops_rather_than_read_srcroot(tmp_path: Path, phase: Phase) -> None:
    done = run_phase(tmp_path, phase)
    assert done.status == 2
    assert done.stderr.count("\n") == 1
    assert "ENABLE_USER_SCRIPT_SANDBOXING is on and the Run Script phase declares no input files" in done.stderr
    assert done.under(phase.srcroot, "read") == set() and done.under(phase.srcroot, "list") == set()


def test_unsandboxed_it_lints_srcroot_and_caches_under_derived_file_dir(tmp_path: Path, phase: Phase) -> None:
    done = run_phase(tmp_path, phase, "--stamp", str(phase.stamp), sandboxed=False)
    assert done.status == 0, done.stderr
    assert "no problems in" in done.stderr
    cache = phase.derived / "bgsession-cache"
    assert any(path.is_file() for path in cache.rglob("*"))
    writes = {path for event, path in done.events if event == "write"}
    assert writes and all(
        path in (str(phase.stamp), str(cache)) or path.startswith(str(cache) + os.sep) for path in writes
    )
    assert [path for _, path in done.events if (path + os.sep).startswith(str(phase.home) + os.sep)] == []


def test_the_stamp_is_written_in_place_and_never_through_a_link(tmp_path: Path) -> None:
    from bgsession.commands.xcode import write_stamp
    from bgsession.errors import UsageError

    stamp = tmp_path / "bgsession.stamp"
    stamp.write_text("old and longer\n", encoding="utf-8")
    before = stamp.stat().st_ino
    write_stamp(stamp, "new\n")
    assert stamp.read_text(encoding="utf-8") == "new\n" and stamp.stat().st_ino == before
    target = tmp_path / "elsewhere"
    target.write_text("keep\n", encoding="utf-8")
    link = tmp_path / "link.stamp"
    link.symlink_to(target)
    with pytest.raises(UsageError, match="cannot write the stamp"):
        write_stamp(link, "new\n")
    assert target.read_text(encoding="utf-8") == "keep\n"
    fifo = tmp_path / "fifo.stamp"
    os.mkfifo(fifo)
    with pytest.raises(UsageError):
        write_stamp(fifo, "new\n")


def readme_snippet(marker: str) -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split(f"<!-- {marker} -->\n```", 1)[1]
    return block.split("\n", 1)[1].split("\n```\n", 1)[0] + "\n"


def test_the_readmes_sandboxed_run_script_phase(tmp_path: Path, phase: Phase) -> None:
    script = tmp_path / "phase.sh"
    script.write_text(readme_snippet("editor: xcode-sandboxed"), encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BGSESSION_", "SCRIPT_"))}
    env.update(
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
        HOME=str(phase.home),
        SRCROOT=str(phase.srcroot),
        DERIVED_FILE_DIR=str(phase.derived),
        ENABLE_USER_SCRIPT_SANDBOXING="YES",
        SCRIPT_INPUT_FILE_LIST_COUNT="1",
        SCRIPT_INPUT_FILE_LIST_0=str(phase.file_list),
        SCRIPT_OUTPUT_FILE_COUNT="1",
        SCRIPT_OUTPUT_FILE_0=str(phase.stamp),
    )
    run = [shutil.which("bash") or "/bin/bash", str(script)]
    done = subprocess.run(run, cwd=phase.srcroot, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert phase.stamp.is_file()
    downloader = phase.srcroot / "Shared" / "Uploader.swift"
    downloader.write_text(DOWNLOADER, encoding="utf-8")  # a defect in one of the listed files
    phase.stamp.unlink()
    done = subprocess.run(run, cwd=phase.srcroot, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert f"{downloader}:12:9: warning: " in done.stdout
    assert not phase.stamp.exists()
