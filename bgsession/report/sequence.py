"""The geometry of an `--explain` trace drawn as a sequence diagram: one lane per party (the app's
process, iOS, the transfer daemon, the session's delegate), one row per step with an arrow from the
acting lane to the receiving one, the step's sentence beside it, the failing step marked, and the
verdict under the last row. Every coordinate is computed here; the template only writes them out."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from bgsession.diagnostics import Lane, TraceStep

LANES: tuple[tuple[Lane, str], ...] = (
    ("app", "App process"),
    ("ios", "iOS"),
    ("daemon", "Transfer daemon"),
    ("delegate", "Session delegate"),
)
_LANE_LEFT = 70
_LANE_GAP = 128
_HEAD_WIDTH = 120
_HEAD_TOP = 8
_HEAD_HEIGHT = 34
_TEXT_X = _LANE_LEFT + _LANE_GAP * (len(LANES) - 1) + 80
_WRAP = 70
_LINE_HEIGHT = 17
_ROW_PADDING = 14
_FIRST_ROW = _HEAD_TOP + _HEAD_HEIGHT + 16
# Bold (failing) text runs about 7.6 pixels a character at 13px.
WIDTH = _TEXT_X + _WRAP * 8 + 16
_ARROW = 7
_LOOP = 22


@dataclass(frozen=True, slots=True)
class LaneHead:
    lane: Lane
    label: str
    x: int
    box_x: int
    box_width: int
    top: int
    height: int
    label_y: int


@dataclass(frozen=True, slots=True)
class TextLine:
    x: int
    y: int
    text: str


@dataclass(frozen=True, slots=True)
class StepShape:
    """One row. `path` is the arrow's shaft (a straight line, or a loop for a party acting on itself),
    `head` its arrowhead polygon; `guide` a faint line from the arrow to the step's text."""

    number: int
    actor: Lane
    receiver: Lane
    failing: bool
    row_y: int
    row_height: int
    path: str
    head: str
    guide_x1: int
    guide_x2: int
    y: int
    lines: tuple[TextLine, ...]
    # Where the failing step's cross sits, left of the lanes.
    mark: TextLine


@dataclass(frozen=True, slots=True)
class Diagram:
    width: int
    height: int
    lanes: tuple[LaneHead, ...]
    lifeline_top: int
    lifeline_bottom: int
    steps: tuple[StepShape, ...]
    verdict: tuple[TextLine, ...]


def lane_x(lane: Lane) -> int:
    return _LANE_LEFT + _LANE_GAP * [name for name, _ in LANES].index(lane)


def _wrapped(text: str, x: int, first_y: int) -> tuple[TextLine, ...]:
    pieces = textwrap.wrap(text, _WRAP, break_long_words=True, break_on_hyphens=False) or [""]
    return tuple(TextLine(x, first_y + index * _LINE_HEIGHT, piece) for index, piece in enumerate(pieces))


def _shape(number: int, step: TraceStep, row_y: int) -> StepShape:
    lines = _wrapped(f"{number}. {step.text}", _TEXT_X, row_y + _ROW_PADDING // 2 + 12)
    y = lines[0].y - 4
    start, end = lane_x(step.actor), lane_x(step.receiver)
    if start == end:
        # A party acting on itself: a loop out to the right and back, the arrowhead pointing home.
        path = f"M{start} {y - 6} h{_LOOP} v12 h{-_LOOP + _ARROW}"
        head = f"{start},{y + 6} {start + _ARROW},{y + 6 - _ARROW // 2} {start + _ARROW},{y + 6 + _ARROW // 2}"
        right = start + _LOOP
    else:
        direction = 1 if end > start else -1
        tip = end - direction * 3
        path = f"M{start + direction * 3} {y} H{tip - direction * _ARROW}"
        back = tip - direction * _ARROW
        head = f"{tip},{y} {back},{y - _ARROW // 2 - 1} {back},{y + _ARROW // 2 + 1}"
        right = max(start, end)
    height = len(lines) * _LINE_HEIGHT + _ROW_PADDING
    return StepShape(
        number,
        step.actor,
        step.receiver,
        step.failing,
        row_y,
        height,
        path,
        head,
        right + 8,
        _TEXT_X - 8,
        y,
        lines,
        TextLine(4, y + 5, "✗"),
    )


def diagram(steps: tuple[TraceStep, ...], verdict: str) -> Diagram:
    """The diagram of a trace's steps, with `verdict` (what breaks) under them."""
    lanes = tuple(
        LaneHead(
            lane,
            label,
            lane_x(lane),
            lane_x(lane) - _HEAD_WIDTH // 2,
            _HEAD_WIDTH,
            _HEAD_TOP,
            _HEAD_HEIGHT,
            _HEAD_TOP + _HEAD_HEIGHT // 2 + 5,
        )
        for lane, label in LANES
    )
    shapes: list[StepShape] = []
    row_y = _FIRST_ROW
    for number, step in enumerate(steps, start=1):
        shape = _shape(number, step, row_y)
        shapes.append(shape)
        row_y += shape.row_height
    lifeline_bottom = row_y + 4
    verdict_lines = _wrapped(f"→ {verdict}", _TEXT_X, row_y + 22) if verdict else ()
    height = (verdict_lines[-1].y if verdict_lines else row_y) + 16
    return Diagram(WIDTH, height, lanes, _HEAD_TOP + _HEAD_HEIGHT, lifeline_bottom, tuple(shapes), verdict_lines)
