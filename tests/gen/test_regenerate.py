"""Regeneration without --force (issue 18): markers, --dry-run as an up-to-date check, stale files,
the nearest .bgsession.toml's [gen] table, and a header whose "regenerate with" line runs."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from bgsession.cli import main

ID = "com.example.app.downloads"
BASE = ["gen", "--identifier", ID, "--out", "Generated"]


@pytest.fixture(autouse=True)
def _in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def contents(folder: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.iterdir())}


def test_unmodified_generated_files_are_replaced_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(BASE, capsys)[0] == 0
    code, _, err = run([*BASE, "--discretionary"], capsys)
    assert code == 0, err
    assert "configuration.isDiscretionary = true" in (tmp_path / "Generated" / "BackgroundSessions.swift").read_text()


def test_edited_generated_file_is_refused_with_a_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(BASE, capsys)[0] == 0
    target = tmp_path / "Generated" / "BackgroundSessions.swift"
    target.write_text(target.read_text().replace("final class", "public final class", 1))
    code, _, err = run([*BASE, "--discretionary"], capsys)
    assert code == 2
    assert f"bgsession: error: {target} was edited after bgsession generated it; not overwritten (use --force)" in err
    assert "-public final class" in err and "+final class" in err
    assert run([*BASE, "--discretionary", "--force"], capsys)[0] == 0
    assert "public final class" not in target.read_text()


def test_foreign_file_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Generated").mkdir()
    (tmp_path / "Generated" / "BackgroundSessions.swift").write_text("// mine\n")
    code, _, err = run(BASE, capsys)
    assert code == 2 and "exists and was not written by bgsession" in err
    assert (tmp_path / "Generated" / "BackgroundSessions.swift").read_text() == "// mine\n"


def test_dry_run_is_an_up_to_date_check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run([*BASE, "--dry-run"], capsys)
    assert code == 1 and "would create" in out
    assert run(BASE, capsys)[0] == 0
    code, out, _ = run([*BASE, "--dry-run"], capsys)
    assert code == 0 and "would" not in out
    code, out, _ = run([*BASE, "--dry-run", "--no-cellular"], capsys)
    assert code == 1 and "would update" in out and "+        configuration.allowsCellularAccess = false" in out


def test_stale_files_from_a_previous_style_are_listed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(BASE, capsys)[0] == 0
    swiftui = [*BASE, "--style", "swiftui"]
    code, out, _ = run([*swiftui, "--dry-run"], capsys)
    assert code == 1
    for name in ("AppDelegate+BackgroundSessions.swift", "BackgroundCompletionHandlers.swift"):
        assert f"stale {tmp_path / 'Generated' / name} (written by bgsession" in out
    code, _, err = run(swiftui, capsys)
    assert code == 0 and "is no longer generated; delete it" in err


def test_gen_reads_the_nearest_config_with_a_gen_table(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    (tmp_path / ".git").mkdir()
    (tmp_path / ".bgsession.toml").write_text(
        f'[lint]\nselect = ["BGS001"]\n\n[gen]\nlang = "objc"\nout = "Generated"\nidentifiers = ["{ID}"]\n'
    )
    (tmp_path / "App" / "Sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "App" / "Sub")
    code, _, err = run(["gen"], capsys)
    assert code == 0, err
    assert (tmp_path / "Generated" / "BackgroundSessionManager.m").exists()


def test_config_search_stops_at_the_repository_root(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    (tmp_path / ".bgsession.toml").write_text(f'[gen]\nout = "Generated"\nidentifiers = ["{ID}"]\n')
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "repo")
    code, _, err = run(["gen"], capsys)
    assert code == 2 and "give at least one --identifier" in err  # the config above .git was not read


def _regenerate_line(path: Path) -> list[str]:
    second = path.read_text(encoding="utf-8").splitlines()[1]
    assert second.startswith("// bgsession gen ")
    return shlex.split(second.removeprefix("// "))[1:]


@pytest.mark.parametrize(
    "args",
    [
        [*BASE, "--lang", "objc", "--prefix", "Acme", "--no-cellular", "--resource-timeout", "3600"],
        ["gen", "--identifier", "com.example.it's", "--identifier", "com.example.b", "--out", "Sub dir/Gen"],
    ],
    ids=["options", "quoting"],
)
def test_header_regenerate_line_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert run(args, capsys)[0] == 0
    folder = tmp_path / args[args.index("--out") + 1]
    before = contents(folder)
    for name in before:
        code, _, err = run(_regenerate_line(folder / name), capsys)
        assert code == 0, err
        assert "wrote" not in err
    assert contents(folder) == before


def test_header_regenerate_line_runs_from_a_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "bgsession.toml").write_text(
        '[gen]\nout = "Generated"\ndiscretionary = true\n\n'
        f'[[gen.sessions]]\nidentifier = "{ID}"\ncellular = false\n\n'
        '[[gen.sessions]]\nidentifier = "com.example.app.uploads"\n'
    )
    assert run(["gen", "--config", "bgsession.toml"], capsys)[0] == 0
    folder = tmp_path / "Generated"
    line = _regenerate_line(folder / "BackgroundSessions.swift")
    assert line == ["gen", "--config", "bgsession.toml"]
    before = contents(folder)
    assert run(line, capsys)[0] == 0
    assert contents(folder) == before
