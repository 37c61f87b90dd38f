"""Inline suppression comments, and the findings about stale or wrong ones."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import DOWNLOADER, bgsession, codes, write_app

DATA_TASK = "        session.dataTask(with: url).resume()\n"


def _lint(tmp_path: Path, downloader: str) -> list[str]:
    write_app(tmp_path, downloader)
    return codes(bgsession("lint", ".", cwd=tmp_path).stdout)


def test_disable_next_line_with_reason(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(
        DATA_TASK, "        // bgsession:disable-next-line BGS022 -- foreground only\n" + DATA_TASK
    )
    assert _lint(tmp_path, source) == []


def test_disable_next_line_skips_comments_and_blank_lines(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(
        DATA_TASK, "        // bgsession:disable-next-line BGS022\n\n        // Quota check.\n" + DATA_TASK
    )
    assert _lint(tmp_path, source) == []


def test_disable_line(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(DATA_TASK, DATA_TASK.rstrip("\n") + "  // bgsession:disable-line BGS022\n")
    assert _lint(tmp_path, source) == []


def test_disable_enable_range_and_all_rules(tmp_path: Path) -> None:
    source = DOWNLOADER.replace("    func fetch(", "    // bgsession:disable BGS022\n    func fetch(").replace(
        "    func urlSessionDidFinishEvents", "    // bgsession:enable BGS022\n    func urlSessionDidFinishEvents"
    )
    assert _lint(tmp_path, source) == []
    no_codes = DOWNLOADER.replace(DATA_TASK, "        /* bgsession:disable-line */ " + DATA_TASK.lstrip())
    assert _lint(tmp_path, no_codes) == []


def test_file_level(tmp_path: Path) -> None:
    assert _lint(tmp_path, "// bgsession:disable-file BGS022\n" + DOWNLOADER) == []


def test_suppressing_another_rule_does_not_hide_the_finding_and_is_reported(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(DATA_TASK, "        // bgsession:disable-next-line BGS020\n" + DATA_TASK)
    assert _lint(tmp_path, source) == ["BGS090", "BGS022"]


def test_unknown_code_and_directive_are_reported(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(
        DATA_TASK,
        "        // bgsession:disable-next-line BGS022, BGS999\n" + DATA_TASK + "        // bgsession:disabel BGS022\n",
    )
    write_app(tmp_path, source)
    done = bgsession("lint", ".", cwd=tmp_path)
    assert codes(done.stdout) == ["BGS091", "BGS091"]
    assert "'BGS999' is not a bgsession rule code" in done.stdout
    assert "unknown bgsession directive 'disabel'" in done.stdout


def test_enable_without_disable(tmp_path: Path) -> None:
    source = DOWNLOADER + "// bgsession:enable BGS022\n"
    assert _lint(tmp_path, source) == ["BGS022", "BGS091"]


def test_unused_suppression_can_itself_be_ignored(tmp_path: Path) -> None:
    source = DOWNLOADER.replace(DATA_TASK, "        // bgsession:disable-next-line BGS013\n" + DATA_TASK)
    write_app(tmp_path, source)
    assert codes(bgsession("lint", "--ignore", "BGS090", ".", cwd=tmp_path).stdout) == ["BGS022"]


def test_objective_c_comment(tmp_path: Path) -> None:
    (tmp_path / "Uploader.m").write_text(
        "#import <Foundation/Foundation.h>\n"
        "@implementation Uploader\n"
        "- (void)start {\n"
        "    // bgsession:disable-next-line BGS003 -- only used to list tasks\n"
        "    _session = [NSURLSession sessionWithConfiguration:\n"
        '        [NSURLSessionConfiguration backgroundSessionConfigurationWithIdentifier:@"com.example.up"]];\n'
        "}\n@end\n",
        encoding="utf-8",
    )
    done = bgsession("lint", ".", cwd=tmp_path)
    assert codes(done.stdout) == [] and done.returncode == 0
