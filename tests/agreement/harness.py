"""Lint a rendered project in memory and ask the model about the same behaviour."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from functools import cache
from pathlib import Path

from bgsession.lint.cache import MemoryCache
from bgsession.lint.rules import RULES_BY_CODE
from bgsession.lint.runner import LintRequest, LintResult, lint
from bgsession.lint.to_model import app_behaviour
from bgsession.model import AppBehaviour, explore
from bgsession.model.codes import COVERED_CODES
from tests.agreement.render import render_project
from tests.agreement.space import Extras, Knobs, behaviour, extras_behaviour

ROOT = "/bgsession-agreement"
# The rendered projects share most of their files: each distinct file is extracted once per process.
_FACTS = MemoryCache()


def lint_project(files: dict[str, str], lang: str) -> LintResult:
    overrides = {f"{ROOT}/{lang}/{name}": text.encode() for name, text in files.items()}
    return lint(LintRequest(paths=[], overrides=overrides, cache=_FACTS))


def lifecycle_codes(result: LintResult) -> frozenset[str]:
    return frozenset(d.code for d in result.diagnostics if RULES_BY_CODE[d.code].lifecycle)


def lint_knobs(knobs: Knobs, lang: str) -> LintResult:
    return lint_project(render_project(knobs, lang), lang)


@cache
def model_codes(knobs: Knobs) -> frozenset[str]:
    found = explore(behaviour(knobs))
    assert set(found) <= set(COVERED_CODES)
    return frozenset(found)


def lint_extras(extras: Extras, lang: str) -> LintResult:
    """The project on disk: a host library is read from its Podfile.lock, which only the walk of a
    folder finds."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / lang
        folder.mkdir()
        for name, text in render_project(extras.base, lang, extras).items():
            (folder / name).write_text(text, encoding="utf-8")
        return lint(LintRequest(paths=[str(folder)], cache=_FACTS))


@cache
def extras_model_codes(extras: Extras) -> frozenset[str]:
    found = explore(extras_behaviour(extras))
    assert set(found) <= set(COVERED_CODES)
    return frozenset(found)


def converted(result: LintResult, knobs: Knobs, expected: AppBehaviour | None = None) -> AppBehaviour:
    """The behaviour the linter's summary converts into, with unstable identifiers' text normalised
    to the rendered one (the summary knows only that it comes from a UUID)."""
    conversion = app_behaviour(result.summary)
    assert conversion is not None
    got = conversion.behaviour
    expected = expected or behaviour(knobs)
    sites = tuple(
        replace(site, identifier=want.identifier) if not site.stable else site
        for site, want in zip(got.sites, expected.sites, strict=False)
    )
    return replace(got, sites=sites)
