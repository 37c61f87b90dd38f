"""Safe writes: only when changed, atomically, never over a user's file or through a link unasked."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bgsession.gen.render import GeneratedFile
from bgsession.gen.write import Action, WriteError, apply_plan, describe_plan, plan_writes, write_atomically

FILES = [GeneratedFile("A.swift", "let a = 1\n"), GeneratedFile("B.swift", "let b = 2\n")]


def test_new_files_are_created(tmp_path: Path) -> None:
    out = tmp_path / "Generated"
    plans = plan_writes(FILES, out, force=False)
    assert [p.action for p in plans] == [Action.CREATE, Action.CREATE]
    apply_plan(plans)
    assert (out / "A.swift").read_text() == "let a = 1\n"


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    apply_plan(plan_writes(FILES, tmp_path, force=False))
    before = (tmp_path / "A.swift").stat().st_mtime_ns
    os.utime(tmp_path / "A.swift", ns=(before - 10**9, before - 10**9))
    plans = plan_writes(FILES, tmp_path, force=False)
    assert [p.action for p in plans] == [Action.UNCHANGED, Action.UNCHANGED]
    assert apply_plan(plans) == []
    assert (tmp_path / "A.swift").stat().st_mtime_ns == before - 10**9


def test_differing_file_is_a_conflict_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text("// my own code\n")
    plans = plan_writes(FILES, tmp_path, force=False)
    assert plans[0].action is Action.CONFLICT
    assert "differs" in plans[0].reason
    forced = plan_writes(FILES, tmp_path, force=True)
    assert forced[0].action is Action.UPDATE
    apply_plan(forced)
    assert (tmp_path / "A.swift").read_text() == "let a = 1\n"


def test_symlink_is_never_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.swift"
    outside.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "A.swift").symlink_to(outside)
    plans = plan_writes(FILES, out, force=False)
    assert plans[0].action is Action.CONFLICT and "symbolic link" in plans[0].reason
    apply_plan(plan_writes(FILES, out, force=True))
    assert outside.read_text() == "precious\n"
    assert not (out / "A.swift").is_symlink()
    assert (out / "A.swift").read_text() == "let a = 1\n"


def test_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(WriteError, match="not a folder"):
        plan_writes(FILES, target, force=False)


def test_failed_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(source: str, target: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match=r"cannot write .*no space left on device"):
        write_atomically(tmp_path / "A.swift", "x")
    assert list(tmp_path.iterdir()) == []


def test_interrupt_during_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def interrupted(descriptor: int) -> None:
        real_fsync(descriptor)
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "A.swift", "x")
    assert list(tmp_path.iterdir()) == []


def test_parent_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(WriteError, match="cannot create the folder"):
        write_atomically(tmp_path / "file" / "A.swift", "x")


def test_new_files_get_the_usual_mode(tmp_path: Path) -> None:
    write_atomically(tmp_path / "A.swift", "x")
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "A.swift").stat().st_mode & 0o777 == 0o666 & ~umask


def test_dry_run_describes_with_diffs(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text("let a = 0\n")
    text = describe_plan(plan_writes(FILES, tmp_path, force=False), diff=True)
    assert f"would refuse to overwrite {tmp_path / 'A.swift'}" in text
    assert "-let a = 0" in text and "+let a = 1" in text
    assert f"would create {tmp_path / 'B.swift'}" in text
    assert not (tmp_path / "B.swift").exists()
