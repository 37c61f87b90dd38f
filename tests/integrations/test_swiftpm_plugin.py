"""The SwiftPM command plugin (integrations/swiftpm), run by the real `swift package` on sample packages.

Each sample package depends on the plugin with `.package(path: "../bgsession-plugin")`, so both are
copied side by side into a temporary folder; SwiftPM builds there (`--scratch-path`) with HOME pointed
at an empty folder, so no build cache of a previous run is used and nothing lands in the real home.
The runs happen once per module (building the plugin takes several seconds); the tests read them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.helpers import REPO
from tests.conftest import require_tool

# Several minutes of toolchain time if it ran once per worker: keep the module's tests together.
pytestmark = pytest.mark.xdist_group("swiftpm-plugin")

DATA = Path(__file__).parent / "data"
BIN = str(Path(sys.executable).parent)
MESSAGE = "`dataTask(with:completionHandler:)` with a completion handler on a background session"
FINDING = f":14:20: error: {MESSAGE}"


@dataclass(frozen=True)
class Run:
    status: int
    stdout: str
    stderr: str
    seconds: float


@dataclass(frozen=True)
class Runs:
    root: Path
    home: Path
    defective: Run
    clean: Run
    not_installed: Run
    options: Run
    unknown_target: Run


def _swift_package(swift: str, package: Path, scratch: Path, env: dict[str, str], *arguments: str) -> Run:
    started = time.monotonic()
    done = subprocess.run(
        [swift, "package", "--scratch-path", str(scratch), "bgsession-lint", *arguments],
        cwd=package,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    return Run(done.returncode, done.stdout, done.stderr, time.monotonic() - started)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    swift = require_tool("swift")
    root = tmp_path_factory.mktemp("swiftpm")
    shutil.copytree(REPO / "integrations" / "swiftpm", root / "bgsession-plugin")
    for sample in ("defective", "clean"):
        shutil.copytree(DATA / sample, root / sample)
    home = root / "home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("BGSESSION_", "XDG_"))}
    # The toolchain's own folder first, then this test environment's bgsession, as a user's PATH would have it.
    env.update(HOME=str(home), PATH=os.pathsep.join([str(Path(swift).parent), BIN, env.get("PATH", "")]))
    defective = _swift_package(swift, root / "defective", root / "scratch-defective", env)
    clean = _swift_package(swift, root / "clean", root / "scratch-clean", env)
    without = {**env, "PATH": str(Path(swift).parent) + os.pathsep + "/usr/bin:/bin"}
    not_installed = _swift_package(swift, root / "defective", root / "scratch-defective", without)
    scratch = root / "scratch-defective"
    options = _swift_package(
        swift, root / "defective", scratch, env, "--target", "Transfers", "--", "--fail-on", "never"
    )
    unknown_target = _swift_package(swift, root / "defective", scratch, env, "--target", "Nope")
    return Runs(root, home, defective, clean, not_installed, options, unknown_target)


def test_a_finding_is_printed_in_the_compiler_format_and_fails_the_command(runs: Runs) -> None:
    source = runs.root / "defective" / "Sources" / "Transfers" / "Transfers.swift"
    assert runs.defective.status != 0, runs.defective.stderr
    assert f"{source}{FINDING}" in runs.defective.stdout, runs.defective.stdout + runs.defective.stderr
    assert "[BGS020 completion-handler-task]" in runs.defective.stdout
    assert "bgsession: 1 error in 1 file" in runs.defective.stdout + runs.defective.stderr
    assert "bgsession lint found problems in the package's sources" in runs.defective.stderr
    # The finding parsed back into a plugin diagnostic (SwiftPM prints those without their location).
    assert f"error: {MESSAGE}" in runs.defective.stderr


def test_a_clean_package_passes(runs: Runs) -> None:
    assert runs.clean.status == 0, runs.clean.stdout + runs.clean.stderr
    assert "error:" not in runs.clean.stdout + runs.clean.stderr
    assert "bgsession: no problems in 1 file" in runs.clean.stdout + runs.clean.stderr


def test_the_cache_is_in_the_plugins_work_directory_and_nowhere_else(runs: Runs) -> None:
    caches = list((runs.root / "scratch-defective" / "plugins").glob("*/outputs/bgsession-cache"))
    assert len(caches) == 1
    assert any(path.is_file() for path in caches[0].rglob("*"))
    assert not (runs.home / ".cache" / "bgsession").exists()
    assert not any(path.name == "__pycache__" for path in (runs.root / "defective").rglob("*"))


def test_without_bgsession_the_plugin_says_how_to_install_it(runs: Runs) -> None:
    assert runs.not_installed.status != 0
    assert "bgsession is not installed or not on PATH" in runs.not_installed.stderr
    assert "pipx install" in runs.not_installed.stderr
    assert "BGSESSION_PATH" in runs.not_installed.stderr


def test_targets_are_chosen_and_options_after_a_double_dash_go_to_bgsession(runs: Runs) -> None:
    assert runs.options.status == 0, runs.options.stdout + runs.options.stderr  # --fail-on never
    assert FINDING in runs.options.stdout
    assert f"warning: {MESSAGE}" in runs.options.stderr  # an error diagnostic would fail the command
    assert runs.unknown_target.status != 0
    assert "Nope" in runs.unknown_target.stderr
    assert FINDING not in runs.unknown_target.stdout


def test_the_plugin_fits_in_ci(runs: Runs) -> None:
    # A cold build of the plugin and a lint of one file; minutes would make CI pay for it on every run.
    assert runs.defective.seconds < 300
