"""Which rules a selector names: the one reading of codes, prefixes and names.

`--select`, `--ignore`, `[lint] select`/`ignore` and `[lint.severity]` keys all accept an exact code
(`BGS020`), a code prefix (`BGS0`, `BGS02`) or a rule name (`completion-handler-task`). Suppression
comments accept exact codes and names only (a prefix there would silence rules added later without
anyone reading the comment again). A selector that names no rule is an error with the closest match:
a typo must never select nothing and pass.
"""

from __future__ import annotations

import re

from bgsession.lint.rules import RULES_BY_CODE, RULES_BY_NAME

_CODE_OR_PREFIX = re.compile(r"BGS\d{0,3}")


class UnknownSelectorError(ValueError):
    """A selector that matches no rule; the message names it and the closest match."""


def resolve(selector: str) -> frozenset[str]:
    """The codes a selector names. Raises UnknownSelectorError when it names none."""
    text = selector.strip()
    upper = text.upper()
    if _CODE_OR_PREFIX.fullmatch(upper):
        codes = frozenset(code for code in RULES_BY_CODE if code.startswith(upper))
        if codes:
            return codes
    named = RULES_BY_NAME.get(text.lower())
    if named is not None:
        return frozenset({named.code})
    raise UnknownSelectorError(f"{text!r} matches no rule{closest(text)}")


def resolve_all(selectors: tuple[str, ...] | list[str]) -> frozenset[str]:
    """The union of what each selector names; the first unknown one raises UnknownSelectorError."""
    codes: set[str] = set()
    for selector in selectors:
        codes |= resolve(selector)
    return frozenset(codes)


def exact(word: str) -> str | None:
    """The code a suppression comment's word names (an exact code or a rule name), or None."""
    upper = word.upper()
    if upper in RULES_BY_CODE:
        return upper
    named = RULES_BY_NAME.get(word.lower())
    return named.code if named is not None else None


def closest(text: str) -> str:
    """`; did you mean BGS020?` for the nearest code or name, or "" when nothing is near."""
    # Bounded: selectors are short words; a long one is compared by its first 40 characters only.
    probe = text.strip()[:40]
    if not probe:
        return ""
    import difflib  # only a selector that names no rule needs it

    upper = probe.upper()
    if upper.startswith("BGS"):
        digits = upper[3:]
        # `BGS20` -> BGS020: a dropped leading zero is the common slip.
        padded = f"BGS{digits.zfill(3)}" if digits.isdigit() and len(digits) < 3 else None
        if padded in RULES_BY_CODE:
            return f"; did you mean {padded}?"
        near = difflib.get_close_matches(upper, list(RULES_BY_CODE), n=1, cutoff=0.8)
    else:
        near = difflib.get_close_matches(probe.lower(), list(RULES_BY_NAME), n=1, cutoff=0.6)
    return f"; did you mean {near[0]}?" if near else ""


__all__ = ["UnknownSelectorError", "closest", "exact", "resolve", "resolve_all"]
