"""The README's install section and the package metadata agree; CI builds and installs the dists."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
INSTALL = README.split("## Install\n", 1)[1].split("\n## ", 1)[0]


def test_python_requirement_is_stated_and_enforced() -> None:
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"
    assert "Python 3.11 or later" in INSTALL and "3.9" in INSTALL  # and why a Mac's python3 is not enough
    assert sys.version_info >= (3, 11)


def test_install_commands_use_pipx_and_uv_from_the_repository_and_a_checkout() -> None:
    commands = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", INSTALL, re.DOTALL)
                for line in block.splitlines()]  # fmt: skip
    assert "pipx install git+https://github.com/YOUR-ORG/bgsession.git" in commands
    assert "uv tool install git+https://github.com/YOUR-ORG/bgsession.git" in commands
    assert "pipx install ./bgsession" in commands and "uv tool install ./bgsession" in commands
    assert any("--python 3.12" in c for c in commands) and any("python@3.12" in c for c in commands)


def test_ci_builds_the_dists_and_runs_the_installed_wheel() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "-m build --outdir dist" in ci and ".ci/check_dists.py dist" in ci
    assert 'pip" install -q dist/bgsession-*.whl' in ci and 'bgsession" --version' in ci


def test_the_suite_runs_in_parallel_with_the_readme_command() -> None:
    addopts = PYPROJECT["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert "-n" in addopts and "--dist" in addopts and addopts[addopts.index("--dist") + 1] == "loadgroup"
    assert any(dep.startswith("pytest-xdist") for dep in PYPROJECT["project"]["optional-dependencies"]["test"])


CRASHING_SUITE = '''\
import ctypes
import pytest

@pytest.mark.parametrize("n", range(6))
def test_other(n):
    pass

@pytest.mark.xdist_group(name="together")
@pytest.mark.parametrize("n", range(3))
def test_grouped(n):
    pass

def test_segfaults():
    ctypes.string_at(0)
'''


def test_a_worker_that_dies_ends_the_run_instead_of_stalling_it(tmp_path: Path) -> None:
    # The suite's own options (-c pyproject.toml) on a suite with a segfaulting test: with xdist's
    # default worker restart, loadgroup's controller and the replacement wait on each other until CI's
    # limit (reproduced by hand: `timeout 60` killed it); with --max-worker-restart 0 it ends at once.
    (tmp_path / "test_crash.py").write_text(CRASHING_SUITE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(ROOT / "pyproject.toml"), "--rootdir", str(tmp_path),
         "-p", "no:cacheprovider", "-o", "timeout=60", str(tmp_path / "test_crash.py")],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stdout[-2000:]
    assert "crashed while running" in done.stdout and "test_segfaults" in done.stdout, done.stdout[-2000:]
