"""Every generated variant lints clean: the generator never emits what the linter reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgsession.gen.render import render_files
from bgsession.lint.runner import LintRequest, lint
from tests.gen.variants import VARIANTS

PLIST_EXTENSION = (
    '<?xml version="1.0" encoding="UTF-8"?><plist version="1.0"><dict><key>NSExtension</key><dict/></dict></plist>'
)


@pytest.mark.parametrize("name", sorted(VARIANTS))
def test_variant_lints_clean(tmp_path: Path, name: str) -> None:
    spec = VARIANTS[name]
    for generated in render_files(spec):
        (tmp_path / generated.name).write_text(generated.text)
    if spec.style.value == "extension":
        (tmp_path / "Info.plist").write_text(PLIST_EXTENSION)
    result = lint(LintRequest([str(tmp_path)]))
    assert result.diagnostics == []
    assert result.summary.background_sessions(), "the linter did not see the generated sessions"
