"""Safe writes: inside the project only, atomically, never over a user's file or through a link unasked
(issue 14 item 4), and regeneration without --force over files bgsession wrote (issue 18)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from bgsession.gen.marker import Provenance, provenance, stamp
from bgsession.gen.render import GeneratedFile
from bgsession.gen.write import (
    Action,
    WriteError,
    apply_plan,
    describe_plan,
    plan_writes,
    stale_files,
    write_atomically,
)

FILES = [
    GeneratedFile("A.swift", stamp("// h1\n// h2\nlet a = 1\n")),
    GeneratedFile("B.swift", stamp("// h1\n// h2\nlet b = 2\n")),
]


@pytest.fixture(autouse=True)
def _in_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_new_files_are_created(tmp_path: Path) -> None:
    out = tmp_path / "Generated"
    plans = plan_writes(FILES, out, force=False)
    assert [p.action for p in plans] == [Action.CREATE, Action.CREATE]
    apply_plan(plans)
    assert (out / "A.swift").read_text() == FILES[0].text
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def test_unchanged_files_are_not_rewritten(tmp_path: Path) -> None:
    apply_plan(plan_writes(FILES, tmp_path, force=False))
    before = (tmp_path / "A.swift").stat().st_mtime_ns
    os.utime(tmp_path / "A.swift", ns=(before - 10**9, before - 10**9))
    plans = plan_writes(FILES, tmp_path, force=False)
    assert [p.action for p in plans] == [Action.UNCHANGED, Action.UNCHANGED]
    assert apply_plan(plans) == []
    assert (tmp_path / "A.swift").stat().st_mtime_ns == before - 10**9


def test_marker_tells_generated_edited_and_foreign_apart() -> None:
    text = FILES[0].text
    assert text.splitlines()[2].startswith("// bgsession-generated sha256=")
    assert provenance(text) is Provenance.GENERATED
    assert provenance(text + "// mine\n") is Provenance.EDITED
    assert provenance("let a = 1\n") is Provenance.FOREIGN


def test_unmodified_generated_file_is_replaced_without_force(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text(stamp("// h1\n// h2\nlet a = 0\n"))
    plans = plan_writes(FILES, tmp_path, force=False)
    assert plans[0].action is Action.UPDATE
    apply_plan(plans)
    assert (tmp_path / "A.swift").read_text() == FILES[0].text


def test_edited_generated_file_is_a_conflict_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text(FILES[0].text + "// my edit\n")
    plans = plan_writes(FILES, tmp_path, force=False)
    assert plans[0].action is Action.CONFLICT and "edited after bgsession generated it" in plans[0].reason
    assert plan_writes(FILES, tmp_path, force=True)[0].action is Action.UPDATE


def test_foreign_file_is_a_conflict_unless_forced(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text("// my own code\n")
    plans = plan_writes(FILES, tmp_path, force=False)
    assert plans[0].action is Action.CONFLICT and "not written by bgsession" in plans[0].reason
    forced = plan_writes(FILES, tmp_path, force=True)
    apply_plan(forced)
    assert (tmp_path / "A.swift").read_text() == FILES[0].text


def test_symlinked_file_is_never_written_through(tmp_path: Path) -> None:
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


@pytest.mark.parametrize("out", ["../outside/Generated", "/tmp/bgsession-outside-{pid}"])
def test_output_folder_outside_the_project_is_refused(tmp_path: Path, out: str) -> None:
    project = tmp_path / "repo"
    project.mkdir()
    os.chdir(project)
    with pytest.raises(WriteError, match="outside the project"):
        plan_writes(FILES, Path(out.format(pid=os.getpid())), force=True)
    assert not (tmp_path / "outside").exists()


def test_output_folder_reached_through_a_symlink_is_refused_even_forced(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "A.swift").write_text("the user's own file\n")
    (tmp_path / "Sources").mkdir()
    (tmp_path / "Sources" / "Generated").symlink_to(outside)
    with pytest.raises(WriteError, match="through the symbolic link"):
        plan_writes(FILES, tmp_path / "Sources" / "Generated" / "Deeper", force=True)
    assert (outside / "A.swift").read_text() == "the user's own file\n"


def test_link_planted_after_the_plan_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-planted"
    outside.mkdir()
    plans = plan_writes(FILES, tmp_path / "Generated", force=True)
    (tmp_path / "Generated").symlink_to(outside)
    with pytest.raises(WriteError, match="symbolic link"):
        apply_plan(plans)
    assert list(outside.iterdir()) == []


def test_file_created_between_plan_and_write_is_not_overwritten(tmp_path: Path) -> None:
    plans = plan_writes(FILES, tmp_path, force=False)
    (tmp_path / "A.swift").write_text("// the user's file, saved a moment ago\n")
    with pytest.raises(WriteError, match="appeared while bgsession was writing"):
        apply_plan(plans)
    assert (tmp_path / "A.swift").read_text() == "// the user's file, saved a moment ago\n"
    assert [p.name for p in tmp_path.iterdir()] == ["A.swift"]


def test_file_edited_between_plan_and_update_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text(stamp("// h1\n// h2\nlet a = 0\n"))
    plans = plan_writes(FILES, tmp_path, force=False)
    (tmp_path / "A.swift").write_text("// edited a moment ago\n")
    with pytest.raises(WriteError, match="changed while bgsession was writing"):
        apply_plan(plans)
    assert (tmp_path / "A.swift").read_text() == "// edited a moment ago\n"


def test_fifo_in_the_way_is_refused_not_replaced(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "A.swift")
    with pytest.raises(WriteError, match="not a regular file"):
        plan_writes(FILES, tmp_path, force=True)
    assert stat.S_ISFIFO(os.lstat(tmp_path / "A.swift").st_mode)


def test_output_path_that_is_a_file_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(WriteError, match="not a folder"):
        plan_writes(FILES, target, force=False)


def test_failed_link_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "link", refuse)
    with pytest.raises(WriteError, match=r"cannot write .*no space left on device"):
        apply_plan(plan_writes(FILES[:1], tmp_path, force=False))
    assert list(tmp_path.iterdir()) == []


def test_failed_rename_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "A.swift").write_text(stamp("// h1\n// h2\nlet a = 0\n"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteError, match=r"cannot write .*no space left on device"):
        apply_plan(plan_writes(FILES[:1], tmp_path, force=False))
    assert [p.name for p in tmp_path.iterdir()] == ["A.swift"]


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
    with pytest.raises(WriteError, match="not a folder"):
        write_atomically(tmp_path / "file" / "A.swift", "x")


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_new_files_get_the_umask_mode(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        apply_plan(plan_writes(FILES[:1], tmp_path, force=False))
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "A.swift").stat().st_mode) == 0o666 & ~umask


def test_updates_keep_the_files_mode(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text(stamp("// h1\n// h2\nlet a = 0\n"))
    (tmp_path / "A.swift").chmod(0o640)
    apply_plan(plan_writes(FILES[:1], tmp_path, force=False))
    assert stat.S_IMODE((tmp_path / "A.swift").stat().st_mode) == 0o640


def test_dry_run_describes_with_diffs_and_stale_files(tmp_path: Path) -> None:
    (tmp_path / "A.swift").write_text("let a = 0\n")
    (tmp_path / "Old.swift").write_text(stamp("// h1\n// h2\nlet old = 1\n"))
    (tmp_path / "Mine.swift").write_text("let mine = 1\n")
    plans = plan_writes(FILES, tmp_path, force=False)
    stale = stale_files(tmp_path, plans)
    assert stale == [tmp_path / "Old.swift"]
    text = describe_plan(plans, diff=True, stale=stale)
    assert f"would refuse to overwrite {tmp_path / 'A.swift'}" in text
    assert "-let a = 0" in text and "+let a = 1" in text
    assert f"would create {tmp_path / 'B.swift'}" in text
    assert f"stale {tmp_path / 'Old.swift'}" in text
    assert not (tmp_path / "B.swift").exists()
