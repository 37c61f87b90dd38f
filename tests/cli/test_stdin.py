"""`--stdin --stdin-filename PATH`: an editor's unsaved buffer, linted as if it were PATH."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import DOWNLOADER, bgsession, codes, write_app


def test_buffer_is_reported_under_its_path(tmp_path: Path) -> None:
    done = bgsession("lint", "--stdin", "--stdin-filename", "App/Downloader.swift", cwd=tmp_path, stdin=DOWNLOADER)
    assert done.stdout.startswith("App/Downloader.swift:12:9: warning: ")
    assert codes(done.stdout) == ["BGS022"] and done.returncode == 1


def test_buffer_replaces_the_file_on_disk(tmp_path: Path) -> None:
    write_app(tmp_path)
    fixed = DOWNLOADER.replace("        session.dataTask(with: url).resume()\n", "")
    done = bgsession("lint", "--stdin", "--stdin-filename", "Downloader.swift", ".", cwd=tmp_path, stdin=fixed)
    assert codes(done.stdout) == [] and done.returncode == 0


def test_only_the_buffer_is_reported_in_its_project(tmp_path: Path) -> None:
    write_app(tmp_path)
    (tmp_path / "Other.swift").write_text(
        DOWNLOADER.replace("Downloader", "Other").replace("com.example.bg", "com.example.other"), encoding="utf-8"
    )
    done = bgsession(
        "lint",
        "--stdin",
        "--stdin-filename",
        "AppDelegate.swift",
        ".",
        cwd=tmp_path,
        stdin=(tmp_path / "AppDelegate.swift").read_text(encoding="utf-8"),
    )
    # Other.swift's own finding is not reported; the buffer's (a second identifier makes the single
    # handler property a problem) is.
    assert codes(done.stdout) == ["BGS016"]
    assert all(line.startswith("AppDelegate.swift:") for line in done.stdout.splitlines())


def test_configuration_and_excludes_follow_the_path(tmp_path: Path) -> None:
    (tmp_path / "Generated").mkdir()
    (tmp_path / ".bgsession.toml").write_text(
        '[lint]\nexclude = ["Generated/**"]\n[lint.severity]\nBGS022 = "error"\n', encoding="utf-8"
    )
    excluded = bgsession("lint", "--stdin", "--stdin-filename", "Generated/D.swift", cwd=tmp_path, stdin=DOWNLOADER)
    assert excluded.stdout == "" and excluded.returncode == 0
    configured = bgsession("lint", "--stdin", "--stdin-filename", "D.swift", cwd=tmp_path, stdin=DOWNLOADER)
    assert "D.swift:12:9: error: " in configured.stdout


def test_language_follows_the_filename(tmp_path: Path) -> None:
    objc = (
        "@implementation U\n- (void)f {\n    NSURLSession *s = [NSURLSession sessionWithConfiguration:\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"a.b"]];\n}\n@end\n'
    )
    done = bgsession("lint", "--stdin", "--stdin-filename", "U.m", cwd=tmp_path, stdin=objc)
    assert codes(done.stdout) == ["BGS002", "BGS003"]


def test_stdin_needs_a_filename(tmp_path: Path) -> None:
    done = bgsession("lint", "--stdin", cwd=tmp_path, stdin=DOWNLOADER)
    assert done.returncode == 2 and "--stdin needs --stdin-filename" in done.stderr
