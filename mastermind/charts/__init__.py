"""The attendance chart as a PNG: plain values in, bytes out. Drawn with Pillow and DejaVu Sans (shipped beside
this file, with its licence), which covers Latin and Cyrillic names alike. It does no I/O but reading the font,
so it can run off the event loop."""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from mastermind.rules.stats import Cell, ChartData

# Layout, in pixels. The grid grows with the data: one row per member, one column per meeting.
PAD = 16
TITLE_HEIGHT = 30
NAME_WIDTH = 150
CELL_WIDTH = 14
ROW_HEIGHT = 20
AXIS_HEIGHT = 18
KEPT_HEIGHT = 70
KEPT_LABEL_HEIGHT = 20
LEGEND_HEIGHT = 26
MIN_WIDTH = 560
AXIS_EVERY = 5  # label every fifth meeting (and the first and last)

BACKGROUND = (255, 255, 255)
INK = (32, 34, 37)
FAINT = (128, 132, 142)
GRID = (225, 227, 232)
CELL_COLOURS: Mapping[Cell, tuple[int, int, int]] = {
    "present": (59, 165, 93),
    "absent": (237, 66, 69),
    "paused": (148, 155, 164),
    "away": (242, 243, 245),
}
KEPT_BAR = (88, 101, 242)
KEPT_LINE = (250, 166, 26)

_FONT_FILE = "DejaVuSans.ttf"
_fonts = threading.local()  # a FreeType face is not shared across the threads charts are drawn on


@dataclass(frozen=True)
class ChartText:
    """Every word the chart shows, from prompts/ (and members' names as the server shows them)."""

    title: str
    names: Sequence[str]  # one per row
    legend: Mapping[Cell, str]
    kept: str  # the heading of the commitments part
    kept_so_far: str  # the line's legend


def chart_size(members: int, meetings: int) -> tuple[int, int]:
    """The picture's width and height for this many members and meetings."""
    width = max(MIN_WIDTH, PAD + NAME_WIDTH + meetings * CELL_WIDTH + PAD)
    height = PAD + TITLE_HEIGHT + members * ROW_HEIGHT + AXIS_HEIGHT + KEPT_LABEL_HEIGHT + KEPT_HEIGHT
    return width, height + LEGEND_HEIGHT + PAD


def cell_box(row: int, column: int) -> tuple[int, int, int, int]:
    """Where a member's square for one meeting is drawn: (left, top, right, bottom), inclusive."""
    left = PAD + NAME_WIDTH + column * CELL_WIDTH + 1
    top = PAD + TITLE_HEIGHT + row * ROW_HEIGHT + 2
    return left, top, left + CELL_WIDTH - 3, top + ROW_HEIGHT - 5


def _font(size: int) -> ImageFont.FreeTypeFont:
    cache: dict[int, ImageFont.FreeTypeFont] | None = getattr(_fonts, "by_size", None)
    if cache is None:
        cache = _fonts.by_size = {}
    if size not in cache:
        data = resources.files(__name__).joinpath("fonts", _FONT_FILE).read_bytes()
        cache[size] = ImageFont.truetype(io.BytesIO(data), size)
    return cache[size]


def _fit(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if font.getlength(text) <= width:
        return text
    while text and font.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def render_chart(data: ChartData, text: ChartText) -> bytes:
    """The chart as PNG bytes: a square per member and meeting (present, absent, paused, not yet in the group),
    and under it the commitments kept at each meeting as bars, with the share kept so far as a line."""
    members, meetings = len(data.members), data.meetings
    width, height = chart_size(members, meetings)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    small, normal, bold = _font(11), _font(13), _font(16)
    grid_left = PAD + NAME_WIDTH
    grid_top = PAD + TITLE_HEIGHT

    draw.text((PAD, PAD), _fit(text.title, bold, width - 2 * PAD), font=bold, fill=INK)
    for row, name in enumerate(text.names):
        draw.text(
            (PAD, grid_top + row * ROW_HEIGHT + ROW_HEIGHT // 2 - 2),
            _fit(name, normal, NAME_WIDTH - 8),
            font=normal,
            fill=INK,
            anchor="lm",
        )
        for column, cell in enumerate(data.cells[row]):
            draw.rectangle(cell_box(row, column), fill=CELL_COLOURS[cell])

    axis_top = grid_top + members * ROW_HEIGHT
    for column in range(meetings):
        number = data.first_number + column
        if column in (0, meetings - 1) or number % AXIS_EVERY == 0:
            centre = grid_left + column * CELL_WIDTH + CELL_WIDTH // 2
            draw.text((centre, axis_top + 2), str(number), font=small, fill=FAINT, anchor="mt")

    label_top = axis_top + AXIS_HEIGHT
    draw.text((PAD, label_top + 2), _fit(text.kept, normal, width - 2 * PAD), font=normal, fill=INK)
    base = label_top + KEPT_LABEL_HEIGHT + KEPT_HEIGHT - 4
    scale = (KEPT_HEIGHT - 8) / 100
    draw.line((grid_left, base, grid_left + max(meetings, 1) * CELL_WIDTH, base), fill=GRID, width=1)
    draw.text((grid_left - 6, base), "0%", font=small, fill=FAINT, anchor="rm")
    draw.text((grid_left - 6, base - 100 * scale), "100%", font=small, fill=FAINT, anchor="rm")
    for column, kept in enumerate(data.kept):
        if kept is not None:
            left = grid_left + column * CELL_WIDTH + 2
            draw.rectangle((left, base - max(1, round(kept * scale)), left + CELL_WIDTH - 5, base), fill=KEPT_BAR)
    line = [
        (grid_left + column * CELL_WIDTH + CELL_WIDTH // 2, base - round(kept * scale))
        for column, kept in enumerate(data.kept_so_far)
        if kept is not None
    ]
    if len(line) > 1:
        draw.line(line, fill=KEPT_LINE, width=2)

    x = PAD
    legend_top = base + 10
    for cell, colour in CELL_COLOURS.items():
        draw.rectangle((x, legend_top + 3, x + 10, legend_top + 13), fill=colour, outline=GRID)
        x += 14
        draw.text((x, legend_top), text.legend[cell], font=small, fill=INK)
        x += round(small.getlength(text.legend[cell])) + 14
    draw.line((x, legend_top + 8, x + 12, legend_top + 8), fill=KEPT_LINE, width=2)
    draw.text((x + 16, legend_top), text.kept_so_far, font=small, fill=INK)

    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=6)
    return out.getvalue()


@dataclass(frozen=True)
class DrawnChart:
    png: bytes
    alt_text: str


class ChartCache:
    """Charts already drawn, by what they were drawn from: a group's chart changes only when one of its meetings
    closes or its members change, so /stats after a summary (or again) does not draw it again. Least recently used
    charts go first."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._charts: OrderedDict[Hashable, DrawnChart] = OrderedDict()

    def get(self, key: Hashable) -> DrawnChart | None:
        chart = self._charts.get(key)
        if chart is not None:
            self._charts.move_to_end(key)
        return chart

    def put(self, key: Hashable, chart: DrawnChart) -> None:
        self._charts[key] = chart
        self._charts.move_to_end(key)
        while len(self._charts) > self._size:
            self._charts.popitem(last=False)
