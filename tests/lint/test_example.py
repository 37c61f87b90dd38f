"""The bundled example app: its planted defects are found, and fixing them leaves nothing to report."""

from __future__ import annotations

import shutil
from pathlib import Path

from bgsession.lint.runner import LintRequest, lint

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "PhotoBackup"

PLANTED = {
    ("AlbumDownloader.swift", "BGS023"),
    ("PBThumbnailPrefetcher.m", "BGS014"),
    ("UploadService.swift", "BGS002"),
    ("UploadService.swift", "BGS021"),
    ("UploadService.swift", "BGS020"),
}

# The fix an iOS developer would make for each planted defect.
FIXES = {
    "PhotoBackup/AlbumDownloader.swift": [
        (
            "        ioQueue.async {\n"
            "            try? self.storage.moveItem(at: location, to: destination)\n"
            "        }\n",
            "        try? storage.moveItem(at: location, to: destination)\n",
        )
    ],
    "PhotoBackup/UploadService.swift": [
        ("    private var session: URLSession {\n", "    private lazy var session: URLSession = {\n"),
        (
            "delegate: self, delegateQueue: nil)\n    }\n",
            "delegate: self, delegateQueue: nil)\n    }()\n",
        ),
        (
            "        session.uploadTask(with: request, from: photo).resume()\n",
            "        let file = FileManager.default.temporaryDirectory.appendingPathComponent(name)\n"
            "        try? photo.write(to: file)\n"
            "        session.uploadTask(with: request, fromFile: file).resume()\n",
        ),
        ("        session.dataTask(with: server", "        URLSession.shared.dataTask(with: server"),
    ],
    "PhotoBackup/Legacy/PBThumbnailPrefetcher.m": [
        (
            "    if (handler) {\n        handler();\n    }\n",
            "    if (handler) {\n        dispatch_async(dispatch_get_main_queue(), handler);\n    }\n",
        )
    ],
}


def findings(root: Path) -> set[tuple[str, str]]:
    result = lint(LintRequest(paths=[str(root)]))
    assert not result.problems
    return {(Path(d.path).name, d.code) for d in result.diagnostics}


def test_the_example_has_exactly_its_planted_defects() -> None:
    assert findings(EXAMPLE) == PLANTED


def test_fixing_the_planted_defects_leaves_nothing(tmp_path: Path) -> None:
    fixed = tmp_path / "PhotoBackup"
    shutil.copytree(EXAMPLE, fixed)
    for relative, edits in FIXES.items():
        path = fixed / relative
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert old in text, (relative, old)
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")
    assert findings(fixed) == set()
