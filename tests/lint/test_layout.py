"""The folders are the pipeline: what each stage may load, and the contract between queries and Python."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bgsession.grammars import QUERY_FILES, SourceLanguage, query_text

LINT = Path(__file__).resolve().parents[2] / "bgsession" / "lint"


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def test_extraction_loads_neither_the_project_stage_nor_the_rules() -> None:
    # Workers import extraction only: the catalog must not leak into what produces cached facts.
    loaded = _loaded_after("import bgsession.lint.extract")
    assert not {name for name in loaded if name.startswith(("bgsession.lint.project", "bgsession.lint.rules"))}
    assert "bgsession.model" not in loaded and "bgsession.lint.runner" not in loaded


def test_the_public_face_is_lazy() -> None:
    loaded = _loaded_after("import bgsession.lint")
    assert "bgsession.lint.runner" not in loaded
    loaded = _loaded_after("from bgsession.lint import lint, LintRequest, LintResult")
    assert "bgsession.lint.runner" in loaded and "bgsession.model" not in loaded


def _captures(language: SourceLanguage) -> set[str]:
    text = "\n".join(query_text(language, name) for name in QUERY_FILES[language])
    return set(re.findall(r"@([A-Za-z_][\w.]*)", text))


def _names_classify_reads(source: str) -> set[str]:
    """String keys `classify(leaves)` reads: `leaves.get("x")`, `leaves["x"]`, and the names of a
    `for name in ("a", "b")` loop whose body reads `leaves`."""
    function = next(
        node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.FunctionDef) and node.name == "classify"
    )
    names: set[str] = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "leaves"
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == "leaves":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
        elif isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple):
            if any(isinstance(inner, ast.Name) and inner.id == "leaves" for inner in ast.walk(node)):
                names.update(element.value for element in node.iter.elts if isinstance(element, ast.Constant))
    return names


@pytest.mark.parametrize("language", list(SourceLanguage), ids=lambda language: language.value)
def test_every_capture_classify_reads_is_defined_in_the_queries(language: SourceLanguage) -> None:
    source = (LINT / "extract" / language.value / "classify.py").read_text(encoding="utf-8")
    read = _names_classify_reads(source)
    assert read, "the test found no capture names: it no longer understands classify()"
    assert read <= _captures(language), sorted(read - _captures(language))


def test_a_task_on_a_call_result_is_a_fact_not_an_internal_error(tmp_path: Path) -> None:
    # receiver_kind "call" (a session returned by a factory call): the Literal set once missed it, and
    # the per-file safety net turned every such file into a BGS000 note (seen on real code, reduced).
    from bgsession.lint.runner import LintRequest, lint

    (tmp_path / "A.swift").write_text(
        "final class Player {\n"
        "    private func play(url: URL, server: Server) {\n"
        "        let session = HomeAssistantAPI.makeCertificateAwareURLSession(server: server)\n"
        "        task = session.dataTask(with: url) { [weak self] data, response, error in\n"
        "        }\n    }\n}\n"
    )
    messages = [d.message for d in lint(LintRequest([str(tmp_path)])).diagnostics]
    assert not [message for message in messages if "internal error" in message], messages
