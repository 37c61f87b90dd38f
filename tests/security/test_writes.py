"""Items 2, 3, 5 and 14: every write goes through files.py.

redteam/02: --write-baseline wrote a predictable temp name through planted symlinks (file outside replaced).
redteam/03: rules --write-docs wrote through a planted symlink and deleted the team's BGS*.md.
redteam/05: -o /dev/null replaced the device with a regular 0600 file; reports were always 0600.
redteam/14: a file name that is not UTF-8 crashed every report writer and left temp files behind.
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from bgsession import files
from bgsession.commands.rules import GENERATED, rule_pages, write_rule_pages
from bgsession.errors import UsageError

from .helpers import FINDING, bad_swift, run


def _leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp") or ".tmp-" in name)


def test_baseline_ignores_links_planted_for_temporary_names(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious user data outside the repository\n", encoding="utf-8")
    repo = tmp_path / "repo"
    bad_swift(repo / "Uploader.swift")
    last = int(Path("/proc/sys/kernel/ns_last_pid").read_text()) if Path("/proc/sys/kernel/ns_last_pid").exists() else 1
    for pid in range(last + 1, last + 300):
        (repo / f"..bgsession-baseline.json.tmp-{pid}").symlink_to("../victim.txt")
    done = run("lint", "--no-cache", "--write-baseline", ".bgsession-baseline.json", ".", cwd=repo)
    assert done.returncode == 0, done.stderr
    assert victim.read_text(encoding="utf-8") == "precious user data outside the repository\n"
    baseline = repo / ".bgsession-baseline.json"
    assert not baseline.is_symlink() and json.loads(baseline.read_text(encoding="utf-8"))["findings"]
    assert stat.S_IMODE(baseline.stat().st_mode) == 0o666 & ~files.current_umask()


def test_a_baseline_that_is_a_link_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    (tmp_path / "repo" / "baseline.json").symlink_to("../victim.txt")
    done = run("lint", "--no-cache", "--write-baseline", "baseline.json", ".", cwd=tmp_path / "repo")
    assert done.returncode == 2 and "symbolic link" in done.stderr and "Traceback" not in done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_fifo_report_is_written_in_place_and_stays_a_fifo(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = run("lint", "--no-cache", "-o", fifo, tmp_path / "repo", timeout=30)
    reader.join(timeout=30)
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert FINDING.encode() in received[0]
    # Nobody reading: an error naming the file, not a hang.
    done = run("lint", "--no-cache", "-o", fifo, tmp_path / "repo", timeout=30)
    assert done.returncode == 2 and "nothing reads from it" in done.stderr


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to create a device")
def test_a_device_report_stays_a_device(tmp_path: Path) -> None:
    # What `-o /dev/null` as root did to the real /dev/null, on a private copy of it.
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = os.lstat(device)
    done = run("lint", "--no-cache", "-o", device, "--sarif-output", tmp_path / "only.sarif", tmp_path / "repo")
    assert done.returncode == 1, done.stderr
    status = os.lstat(device)
    assert stat.S_ISCHR(status.st_mode) and (status.st_mode, status.st_ino) == (before.st_mode, before.st_ino)
    assert json.loads((tmp_path / "only.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_reports_take_the_umask_and_keep_an_existing_mode(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    existing = tmp_path / "report.txt"
    existing.write_text("old\n", encoding="utf-8")
    existing.chmod(0o640)
    previous = os.umask(0o022)
    try:
        files.current_umask.cache_clear()
        done = run("lint", "--no-cache", "-o", existing, "--sarif-output", tmp_path / "new.sarif", tmp_path / "repo")
    finally:
        os.umask(previous)
        files.current_umask.cache_clear()
    assert done.returncode == 1, done.stderr
    assert stat.S_IMODE(existing.stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new.sarif").stat().st_mode) == 0o644
    assert _leftovers(tmp_path) == []


def test_a_report_path_that_is_a_link_or_a_folder_is_refused(tmp_path: Path) -> None:
    bad_swift(tmp_path / "repo" / "Uploader.swift")
    (tmp_path / "victim").write_text("keep\n", encoding="utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "victim")
    (tmp_path / "folder").mkdir()
    for target in (tmp_path / "link.txt", tmp_path / "folder"):
        done = run("lint", "--no-cache", "--json-output", target, tmp_path / "repo")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "refusing" in done.stderr or "is a directory" in done.stderr
    assert (tmp_path / "victim").read_text(encoding="utf-8") == "keep\n"
    # A link to a terminal or pipe (`-o /dev/stdout`) is written in place.
    assert FINDING in run("lint", "--no-cache", "-o", "/dev/stdout", tmp_path / "repo").stdout


def test_writer_cleans_up_after_any_exception(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", fail)
    with pytest.raises(KeyboardInterrupt):
        files.write_file(tmp_path / "report.txt", "x")
    assert os.listdir(tmp_path) == []


def test_create_new_never_replaces(tmp_path: Path) -> None:
    target = tmp_path / "Generated.swift"
    files.create_new(target, "first\n")
    with pytest.raises(FileExistsError):
        files.create_new(target, "second\n")
    (tmp_path / "link.swift").symlink_to(tmp_path / "elsewhere.swift")
    with pytest.raises(FileExistsError):
        files.create_new(tmp_path / "link.swift", "third\n")
    assert target.read_text(encoding="utf-8") == "first\n" and not (tmp_path / "elsewhere.swift").exists()
    assert _leftovers(tmp_path) == []


def test_undecodable_file_names_reach_every_report(tmp_path: Path) -> None:
    source = os.fsencode(tmp_path) + b"/src/inv\xff.swift"
    os.makedirs(os.fsencode(tmp_path) + b"/src")
    with open(source, "wb") as stream:
        stream.write(bad_swift(tmp_path / "model.swift").read_bytes())
    (tmp_path / "model.swift").unlink()
    out = tmp_path / "out"
    out.mkdir()
    done = run(
        "lint", "--no-cache", "-o", out / "report.txt", "--sarif-output", out / "r.sarif",
        "--json-output", out / "r.json", "--junit-output", out / "r.xml", tmp_path / "src",
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "inv\\u{DCFF}.swift:6:16: error:" in (out / "report.txt").read_text(encoding="utf-8")
    sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert unquote_to_bytes(uri).endswith(b"inv\xff.swift")
    path = json.loads((out / "r.json").read_text(encoding="utf-8"))["diagnostics"][0]["path"]
    assert os.fsencode(path) == source
    done = run("lint", "--no-cache", "--format", "github", "--sarif-output", out / "g.sarif", tmp_path / "src")
    assert done.returncode == 1 and (out / "g.sarif").exists(), done.stderr
    done = run("lint", "--no-cache", "--write-baseline", out / "bl.json", tmp_path / "src")
    assert done.returncode == 0, done.stderr
    assert run("lint", "--no-cache", "--baseline", out / "bl.json", tmp_path / "src").returncode == 0
    # A report path that is not UTF-8 itself.
    weird = os.fsdecode(os.fsencode(out) + b"/rep\xfe.txt")
    assert run("lint", "--no-cache", "-o", weird, tmp_path / "src").returncode == 1
    assert os.path.exists(os.fsencode(weird))
    assert _leftovers(out) == []


def test_write_docs_never_writes_through_links_and_keeps_the_teams_files(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    docs = tmp_path / "repo" / "docs" / "rules"
    docs.mkdir(parents=True)
    (docs / "BGS-team-notes.md").write_text("the team's own notes\n", encoding="utf-8")
    (docs / "BGS001.md").symlink_to("../../../victim.txt")
    done = run("rules", "--write-docs", "docs/rules", cwd=tmp_path / "repo")
    assert done.returncode == 2 and "BGS001.md" in done.stderr and "Traceback" not in done.stderr
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert (docs / "BGS-team-notes.md").read_text(encoding="utf-8") == "the team's own notes\n"
    (docs / "BGS001.md").unlink()
    assert run("rules", "--write-docs", "docs/rules", cwd=tmp_path / "repo").returncode == 0
    assert (docs / "BGS001.md").read_text(encoding="utf-8") == rule_pages()["BGS001.md"]
    assert (docs / "BGS-team-notes.md").exists()
    # A page of a rule that no longer exists is deleted only because this command wrote it.
    (docs / "BGS999.md").write_text(GENERATED + "\n\nold\n", encoding="utf-8")
    write_rule_pages(docs, tmp_path / "repo")
    assert not (docs / "BGS999.md").exists() and (docs / "BGS-team-notes.md").exists()


def test_write_docs_stays_inside_the_project(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "outside").mkdir()
    with pytest.raises(UsageError, match="outside the project"):
        write_rule_pages(tmp_path / "outside", tmp_path / "repo")
    (tmp_path / "repo" / "docs").symlink_to(tmp_path / "outside", target_is_directory=True)
    with pytest.raises(UsageError):
        write_rule_pages(tmp_path / "repo" / "docs" / "rules", tmp_path / "repo")
    assert os.listdir(tmp_path / "outside") == []
