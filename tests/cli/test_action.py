"""The composite GitHub Action (action.yml): its inputs are all used and reach the shell only through
the environment, and its shell steps, run here as the runner would run them (the `${{ }}` expressions
substituted), install bgsession, annotate, write SARIF and the job summary, and fail as fail-on says."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from markdown_it import MarkdownIt

from tests.cli.helpers import REPO, write_app

# One worker runs this module, so the Install step (a real venv and pip install) runs once.
pytestmark = pytest.mark.xdist_group("action")

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def _expressions(value: object) -> list[str]:
    return EXPRESSION.findall(json.dumps(value))


def test_every_input_is_used_and_every_used_input_exists() -> None:
    used = {m.group(1) for e in _expressions(ACTION["runs"]) + _expressions(ACTION["outputs"])
            for m in re.finditer(r"inputs\.([\w-]+)", e)}  # fmt: skip
    assert used == set(ACTION["inputs"])
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and "default" in spec, name


def test_shell_steps_never_splice_expressions_into_the_script() -> None:
    """`run: echo ${{ inputs.paths }}` would let an input run code (GitHub's script-injection warning)."""
    shell_steps = [step for step in STEPS if "run" in step]
    assert shell_steps
    for step in shell_steps:
        assert step["shell"] == "bash"
        assert not EXPRESSION.search(step["run"]), step["name"]


def test_uses_setup_python_and_upload_sarif() -> None:
    uses = {step["uses"].split("@")[0]: step for step in STEPS if "uses" in step}
    assert set(uses) == {"actions/setup-python", "github/codeql-action/upload-sarif"}
    assert uses["actions/setup-python"]["with"]["python-version"] == "${{ inputs.python-version }}"
    assert tuple(int(p) for p in ACTION["inputs"]["python-version"]["default"].split(".")) >= (3, 11)
    assert uses["github/codeql-action/upload-sarif"]["with"]["sarif_file"] == "${{ steps.lint.outputs.sarif-file }}"


class Runner:
    """Plays the runner's part for the shell steps: evaluates the `${{ }}` expressions this action uses
    and keeps each step's outputs ($GITHUB_OUTPUT) for the steps after it."""

    def __init__(self, tmp: Path, workspace: Path, inputs: dict[str, str]) -> None:
        self.tmp = tmp
        self.workspace = workspace
        self.inputs = {name: spec["default"] for name, spec in ACTION["inputs"].items()} | inputs
        self.outputs: dict[str, dict[str, str]] = {}
        self.summary = tmp / "step-summary.md"
        self.summary.write_text("previous step's summary\n", encoding="utf-8")

    def evaluate(self, expression: str) -> str:
        known = {
            "github.action_path": str(REPO),
            "runner.temp": str(self.tmp / "runner-temp"),
            # setup-python's output; the test's interpreter is 3.11 or later like the one it installs.
            "steps.python.outputs.python-path": sys.executable,
        }
        if expression in known:
            return known[expression]
        if expression.startswith("inputs."):
            return self.inputs[expression.removeprefix("inputs.")]
        match = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        assert match is not None, f"the test runner does not know {expression!r}"
        return self.outputs.get(match.group(1), {}).get(match.group(2), "")

    def run(self, step: dict[str, Any]) -> subprocess.CompletedProcess[str]:
        output = self.tmp / f"output-{step.get('id', 'step')}"
        output.write_text("", encoding="utf-8")
        env = {
            key: EXPRESSION.sub(lambda m: self.evaluate(m.group(1)), str(value)) for key, value in step["env"].items()
        }
        environment = {**os.environ, **env, "GITHUB_STEP_SUMMARY": str(self.summary), "GITHUB_OUTPUT": str(output)}
        (self.tmp / "runner-temp").mkdir(exist_ok=True)
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=self.workspace, env=environment, capture_output=True, text=True, check=False, timeout=300,
        )  # fmt: skip
        if "id" in step:
            lines = output.read_text(encoding="utf-8").splitlines()
            self.outputs[step["id"]] = dict(line.split("=", 1) for line in lines)
        return done


def _step(name: str) -> dict[str, Any]:
    [step] = [step for step in STEPS if step["name"] == name]
    return step


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Install step, run once: a real venv in runner.temp with bgsession installed from the checkout."""
    tmp = tmp_path_factory.mktemp("action")
    runner = Runner(tmp, tmp, {})
    done = runner.run(_step("Install bgsession"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("bgsession, version ")
    return tmp


def _run_action(
    tmp: Path, workspace: Path, inputs: dict[str, str]
) -> tuple[Runner, list[subprocess.CompletedProcess[str]]]:
    runner = Runner(tmp, workspace, inputs)
    results = [runner.run(_step("Lint"))]
    # (the upload step is GitHub's own action; its input is checked in test_uses_setup_python_and_upload_sarif)
    results.append(runner.run(_step("Fail on findings")))
    return runner, results


@pytest.mark.parametrize(("fail_on", "status"), [("warning", 1), ("error", 0), ("never", 0)])
def test_the_action_lints_annotates_and_summarises(installed: Path, tmp_path: Path, fail_on: str, status: int) -> None:
    workspace = write_app(tmp_path / "workspace")
    (workspace / "Other Folder").mkdir()
    runner, (lint, final) = _run_action(installed, workspace, {"fail-on": fail_on, "paths": ". 'Other Folder'"})
    assert lint.returncode == 0, lint.stderr  # the lint step records the status; the last step decides
    assert lint.stdout.startswith("::warning file=Downloader.swift,line=12,col=9,"), lint.stdout
    assert runner.outputs["lint"]["exit-code"] == str(status)
    assert final.returncode == status, final.stdout
    sarif = json.loads(Path(runner.outputs["lint"]["sarif-file"]).read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["BGS022"]
    summary = runner.summary.read_text(encoding="utf-8")
    assert summary.startswith("previous step's summary\n## bgsession\n")
    html = MarkdownIt("commonmark").enable("table").render(summary)
    assert "<td>BGS022</td>" in html and "<code>Downloader.swift:12:9</code>" in html


def test_args_are_split_like_a_shell_and_never_evaluated(installed: Path, tmp_path: Path) -> None:
    workspace = write_app(tmp_path / "workspace")
    marker = tmp_path / "pwned"
    inputs = {"args": f"--select 'BGS003' --ignore \"$(touch {marker})\"", "paths": "."}
    runner, (lint, final) = _run_action(installed, workspace, inputs)
    assert not marker.exists()
    # `$(touch ...)` reached bgsession as one word, a rule selector that names no rule: a usage error.
    assert "--ignore: " in lint.stderr and "$(touch" in lint.stderr
    assert runner.outputs["lint"]["exit-code"] == "2" and final.returncode == 2
    assert "could not lint" in runner.summary.read_text(encoding="utf-8")


def test_unbalanced_quotes_are_a_clear_error(installed: Path, tmp_path: Path) -> None:
    workspace = write_app(tmp_path / "workspace")
    _, (lint, final) = _run_action(installed, workspace, {"args": "--select 'BGS0"})
    assert "cannot split the args input" in lint.stdout
    assert final.returncode == 2


def test_readme_and_example_workflow_use_the_action() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"<!-- ci: github -->\n```yaml\n(.+?)```", readme, re.DOTALL)
    assert shown is not None
    [readme_step] = yaml.safe_load(shown.group(1))
    workflow = yaml.safe_load((REPO / "docs" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    assert workflow["permissions"]["security-events"] == "write"
    steps = workflow["jobs"]["lint"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[1] == readme_step
    assert set(readme_step["with"]) <= set(ACTION["inputs"])
    assert readme_step["uses"].split("@")[0].endswith("/bgsession")
    # The README's input table lists exactly the action's inputs.
    table = readme.split("| input | meaning |", 1)[1].split("\n\n", 1)[0]
    assert re.findall(r"^\| `([\w-]+)` \|", table, re.MULTILINE) == list(ACTION["inputs"])
