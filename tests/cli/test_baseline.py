"""Baselines: adopt the tool on a codebase with findings; only new findings fail."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.helpers import DOWNLOADER, bgsession, codes, write_app


def test_write_then_filter_survives_line_shifts(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    written = bgsession("lint", "--write-baseline", "baseline.json", "App", cwd=tmp_path)
    assert written.returncode == 0 and "wrote 1 finding to baseline.json" in written.stderr
    document = json.loads((tmp_path / "baseline.json").read_text(encoding="utf-8"))
    assert document["version"] == 1
    assert [(f["code"], f["path"]) for f in document["findings"]] == [("BGS022", "App/Downloader.swift")]
    # Lines added above the finding do not make it new.
    shifted = "// Downloads.\n// More text.\n\n" + DOWNLOADER
    (tmp_path / "App" / "Downloader.swift").write_text(shifted, encoding="utf-8")
    done = bgsession("lint", "--baseline", "baseline.json", "App", cwd=tmp_path)
    assert codes(done.stdout) == [] and done.returncode == 0
    assert "(1 more in the baseline)" in done.stderr
    # A new finding is reported; the recorded one stays hidden.
    second = shifted.replace(
        "    func urlSessionDidFinishEvents",
        "    func poll(_ url: URL) {\n"
        "        session.dataTask(with: url).resume()\n    }\n\n    func urlSessionDidFinishEvents",
    )
    (tmp_path / "App" / "Downloader.swift").write_text(second, encoding="utf-8")
    done = bgsession("lint", "--baseline", "baseline.json", "App", cwd=tmp_path)
    assert codes(done.stdout) == ["BGS022"] and done.returncode == 1
    assert ":19:" in done.stdout


def test_baseline_paths_are_relative_to_the_baseline_file(tmp_path: Path) -> None:
    write_app(tmp_path / "App")
    (tmp_path / "ci").mkdir()
    bgsession("lint", "--write-baseline", "ci/baseline.json", "App", cwd=tmp_path)
    document = json.loads((tmp_path / "ci" / "baseline.json").read_text(encoding="utf-8"))
    assert document["findings"][0]["path"] == "../App/Downloader.swift"
    # Run from another folder: the same findings match.
    done = bgsession("lint", "--baseline", "../ci/baseline.json", ".", cwd=tmp_path / "App")
    assert codes(done.stdout) == []


def test_a_changed_line_is_a_new_finding(tmp_path: Path) -> None:
    write_app(tmp_path)
    bgsession("lint", "--write-baseline", "b.json", "Downloader.swift", "AppDelegate.swift", cwd=tmp_path)
    changed = DOWNLOADER.replace("session.dataTask(with: url).resume()", "session.dataTask(with: url ).resume()")
    (tmp_path / "Downloader.swift").write_text(changed, encoding="utf-8")
    done = bgsession("lint", "--baseline", "b.json", ".", cwd=tmp_path)
    assert codes(done.stdout) == ["BGS022"]


def test_bad_baseline_is_a_usage_error(tmp_path: Path) -> None:
    write_app(tmp_path)
    (tmp_path / "b.json").write_text("{not json", encoding="utf-8")
    done = bgsession("lint", "--baseline", "b.json", ".", cwd=tmp_path)
    assert done.returncode == 2 and "b.json: not a bgsession baseline (invalid JSON" in done.stderr
    (tmp_path / "b.json").write_text('{"version": 7, "findings": []}', encoding="utf-8")
    done = bgsession("lint", "--baseline", "b.json", ".", cwd=tmp_path)
    assert done.returncode == 2 and "not a bgsession baseline" in done.stderr
    assert "Traceback" not in done.stderr
