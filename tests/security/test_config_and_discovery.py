"""Items 8, 17 and 18: which files are linted, and under which configuration.

redteam/08: `*a*a*a*a*a*a*a*a*a*ac` against a 60-character name ran past 60 s; 400 plain excludes over
3,000 files took 110 s (globs recompiled per file and per part).
redteam/17: a .bgsession.toml above the repository silenced everything.
redteam/18: `Latest/`, `Hammock.swift` taken for tests; `lint . "$PWD"` reported a file as its own
duplicate; an include that matched nothing passed with 0 files.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bgsession.config import ConfigSet, LintConfig, matches
from bgsession.lint.discover import discover, is_test_path

from .helpers import FINDING, bad_swift, run


def test_star_patterns_never_backtrack() -> None:
    start = time.perf_counter()
    assert not matches("a" * 60 + ".swift", "*a*a*a*a*a*a*a*a*a*ac")
    assert not matches("/".join(["a" * 60] * 20), "**/*a*a*a*a*a*a*a*a*a*ac/**/*a*a*a*ab")
    assert time.perf_counter() - start < 0.5
    # The documented semantics are kept.
    assert matches("App/Generated/X.swift", "**/Generated/**")
    assert matches("App/X.swift", "App") and matches("App/X.swift", "App/**")
    assert matches("App/Sub/X.swift", "App/**/*.swift") and matches("App/X.swift", "App/**/*.swift")
    assert matches("Deep/Pods/X.swift", "Pods") and not matches("Deep/Pods/X.swift", "/Pods/**")
    assert matches("a/bc.swift", "a/b?.swift") and not matches("a/b/c.swift", "a/*.swift")


def test_many_patterns_over_many_files_are_fast(tmp_path: Path) -> None:
    config = LintConfig(path=tmp_path / ".bgsession.toml", exclude=tuple(f"Vendor{i}/**" for i in range(400)))
    paths = [str(tmp_path / f"d{i // 1000}" / f"f{i}.swift") for i in range(3000)]
    start = time.perf_counter()
    assert all(config.includes(path) for path in paths)
    assert time.perf_counter() - start < 5
    assert not config.includes(str(tmp_path / "Vendor7" / "x.swift"))


def test_a_redos_config_lints_at_once(tmp_path: Path) -> None:
    bad_swift(tmp_path / "Uploader.swift")
    (tmp_path / ("a" * 60 + ".swift")).write_text("")
    (tmp_path / ".bgsession.toml").write_text('[lint]\nexclude = ["*a*a*a*a*a*a*a*a*a*ac"]\n')
    done = run("lint", "--no-cache", tmp_path, timeout=30)
    assert FINDING in done.stdout and done.returncode == 1


def test_a_config_above_the_repository_is_not_read(tmp_path: Path) -> None:
    (tmp_path / ".bgsession.toml").write_text('[lint]\nselect = ["BGS031"]\n')
    repo = tmp_path / "work" / "repo"
    bad_swift(repo / "Uploader.swift")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    done = run("lint", "--no-cache", ".", cwd=repo)
    assert FINDING in done.stdout and done.returncode == 1
    # The repository's own configuration (at its root, or below) still counts.
    (repo / ".bgsession.toml").write_text('[lint]\nselect = ["BGS031"]\n')
    assert FINDING not in run("lint", "--no-cache", ".", cwd=repo).stdout
    # Without a repository, the search still goes up (a plain folder of sources).
    plain = tmp_path / "plain" / "src"
    bad_swift(plain / "Uploader.swift")
    assert FINDING not in run("lint", "--no-cache", plain).stdout


def test_test_code_by_convention_only() -> None:
    for app in ("Features/Latest/Uploader.swift", "App/Hammock.swift", "Contest/X.swift", "Protest/Y.m",
                "App/Attest.swift", "Manifest/Z.swift", "Spectrum/S.swift"):  # fmt: skip
        assert not is_test_path(app), app
    for test in ("Tests/X.swift", "AppTests/X.swift", "UITests/A.m", "App/UploaderTests.swift",
                 "App/UploaderSpec.swift", "App/UploaderTest.swift", "tests/x.swift",
                 "App/SessionMock.swift"):  # fmt: skip
        assert is_test_path(test), test


def test_ordinary_folders_are_linted(tmp_path: Path) -> None:
    for path in ("Features/Latest/Uploader.swift", "App/Hammock.swift", "App/Uploader.swift"):
        bad_swift(tmp_path / "r" / path)
    done = run("lint", "--no-cache", tmp_path / "r")
    assert done.stdout.count("[BGS003 missing-delegate]") == 3, done.stdout


def test_one_file_reached_twice_is_one_file(tmp_path: Path) -> None:
    bad_swift(tmp_path / "d" / "Uploader.swift")
    (tmp_path / "d" / "Link.swift").symlink_to("Uploader.swift")
    done = run("lint", "--no-cache", ".", str(tmp_path / "d"), cwd=tmp_path / "d")
    assert "BGS001" not in done.stdout
    assert done.stderr.strip().endswith("1 error in 1 file"), done.stderr
    assert len(discover([str(tmp_path / "d"), str(tmp_path / "d" / "Uploader.swift")]).files) == 1


def test_an_include_that_cannot_match_or_matches_nothing_is_reported(tmp_path: Path) -> None:
    bad_swift(tmp_path / "d" / "Uploader.swift")
    (tmp_path / "d" / ".bgsession.toml").write_text('[lint]\ninclude = ["../**"]\n')
    done = run("lint", "--no-cache", ".", cwd=tmp_path / "d")
    assert done.returncode == 2 and "can never match" in done.stderr
    (tmp_path / "d" / ".bgsession.toml").write_text('[lint]\ninclude = ["Sources/**", "*.swift"]\n')
    done = run("lint", "--no-cache", ".", cwd=tmp_path / "d")
    assert FINDING in done.stdout
    assert "include pattern 'Sources/**' matches no file" in done.stderr
    assert ConfigSet(tmp_path / "d" / ".bgsession.toml").for_file("x.swift").include == ("Sources/**", "*.swift")
