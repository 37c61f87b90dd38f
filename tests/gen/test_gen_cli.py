"""`bgsession gen` through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgsession.cli import main


@pytest.fixture(autouse=True)
def _in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """gen writes only inside the project: the current directory, here each test's own folder."""
    monkeypatch.chdir(tmp_path)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_stdout_prints_every_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["gen", "--identifier", "com.example.app.downloads", "--stdout"], capsys)
    assert code == 0
    assert "// ---- BackgroundSessions.swift ----" in out
    assert "// ---- AppDelegate+BackgroundSessions.swift ----" in out


def test_snippet(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["gen", "--lang", "objc", "--identifier", "com.example.app.downloads", "--snippet", "handle-events"], capsys
    )
    assert code == 0
    assert "handleEventsForBackgroundURLSession:(NSString *)identifier" in out


def test_out_writes_then_refuses_to_clobber(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["gen", "--identifier", "com.example.app.downloads", "--out", str(tmp_path)]
    assert run(args, capsys)[0] == 0
    target = tmp_path / "BackgroundSessions.swift"
    target.write_text(target.read_text() + "// my edit\n")
    code, _, err = run(args, capsys)
    assert code == 2
    assert f"{target} was edited after bgsession generated it" in err and "--force" in err
    assert "+// my edit" not in err and "-// my edit" in err  # the diff shows what regenerating would drop
    assert target.read_text().endswith("// my edit\n")
    assert run([*args, "--force"], capsys)[0] == 0
    assert not target.read_text().endswith("// my edit\n")


def test_missing_destination_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["gen", "--identifier", "com.example.app.downloads"], capsys)
    assert code == 2 and "--out DIR, --stdout, or --snippet" in err


def test_bad_identifier_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["gen", "--identifier", "has space", "--stdout"], capsys)
    assert code == 2
    assert err.strip().splitlines() == [
        "bgsession: error: identifier 'has space' contains U+0020 SPACE; identifiers cannot contain it"
    ]


def test_extension_needs_a_shared_container(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["gen", "--style", "extension", "--identifier", "com.example.share", "--stdout"], capsys)
    assert code == 2 and "--shared-container" in err


def test_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bgsession.toml"
    config.write_text(
        '[gen]\nlang = "objc"\nout = "Generated"\ndiscretionary = true\n\n'
        '[[gen.sessions]]\nidentifier = "com.example.app.downloads"\ncellular = false\n\n'
        '[[gen.sessions]]\nidentifier = "com.example.app.uploads"\n'
    )
    assert run(["gen", "--config", str(config)], capsys)[0] == 0
    manager = (tmp_path / "Generated" / "BackgroundSessionManager.m").read_text()
    assert manager.count("configuration.discretionary = YES;") == 2
    assert manager.count("configuration.allowsCellularAccess = NO;") == 1


def test_config_unknown_key_suggests(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bgsession.toml"
    config.write_text('[gen]\nlang = "swift"\nstlye = "uikit"\n')
    code, _, err = run(["gen", "--config", str(config), "--stdout"], capsys)
    assert code == 2
    assert f"{config}:3: error: unknown key 'stlye' in [gen]; did you mean 'style'?" in err


def test_config_syntax_error_has_line_and_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bgsession.toml"
    config.write_text('[gen]\nlang = "swift\n')
    code, _, err = run(["gen", "--config", str(config), "--stdout"], capsys)
    assert code == 2
    assert f"{config}:2:" in err and "error:" in err


def test_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["gen", "--identifier", "com.example.app.downloads", "--out", str(tmp_path), "--dry-run"], capsys
    )
    assert code == 1 and "would create" in out and "+final class BackgroundSessionManager" in out
    assert list(tmp_path.iterdir()) == []
