"""The chart renderer: plain data in, a PNG out, whose size follows the members and meetings it shows."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from mastermind.charts import (
    CELL_COLOURS,
    KEPT_BAR,
    MIN_WIDTH,
    ChartCache,
    ChartText,
    DrawnChart,
    cell_box,
    chart_size,
    render_chart,
)
from mastermind.rules.stats import CELLS, ChartData


def text(names) -> ChartText:
    return ChartText(
        title="Основатели: attendance",
        names=names,
        legend={cell: cell for cell in CELLS},
        kept="Commitments kept",
        kept_so_far="so far",
    )


def data(cells, kept) -> ChartData:
    return ChartData(
        members=tuple(range(len(cells))), cells=tuple(map(tuple, cells)), kept=tuple(kept), kept_so_far=tuple(kept)
    )


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    return image.convert("RGB")


@pytest.mark.parametrize(("members", "meetings"), [(1, 1), (3, 2), (6, 52)])
def test_the_picture_grows_with_members_and_meetings(members, meetings):
    cells = [["present"] * meetings for _ in range(members)]

    image = decoded(render_chart(data(cells, [100] * meetings), text([f"m{n}" for n in range(members)])))

    assert image.size == chart_size(members, meetings)


def test_size_is_a_row_per_member_and_a_column_per_meeting_beyond_the_minimum_width():
    narrow, wide = chart_size(2, 1), chart_size(2, 52)
    assert narrow[0] == MIN_WIDTH
    assert chart_size(3, 52)[1] - wide[1] == chart_size(4, 52)[1] - chart_size(3, 52)[1] > 0
    assert chart_size(2, 53)[0] - wide[0] == chart_size(2, 54)[0] - chart_size(2, 53)[0] > 0


def test_each_square_is_drawn_in_the_colour_of_its_meeting():
    cells = [["present", "absent", "paused", "away"], ["away", "present", "present", "absent"]]

    image = decoded(render_chart(data(cells, [100, 50, None, 0]), text(["Ada", "Фёдор Достоевский"])))

    for row, row_cells in enumerate(cells):
        for column, cell in enumerate(row_cells):
            left, top, right, bottom = cell_box(row, column)
            assert image.getpixel(((left + right) // 2, (top + bottom) // 2)) == CELL_COLOURS[cell], (row, column)


def test_commitments_kept_are_bars_as_tall_as_their_share():
    image = decoded(render_chart(data([["present", "present"]], [100, 50]), text(["Ada"])))

    def bar_height(column: int) -> int:
        left, _, right, _ = cell_box(0, column)
        x = (left + right) // 2
        return sum(1 for y in range(image.height) if image.getpixel((x, y)) == KEPT_BAR)

    assert bar_height(0) == pytest.approx(2 * bar_height(1), abs=2)


def test_names_in_cyrillic_are_drawn_with_real_glyphs():
    """DejaVu Sans covers Cyrillic: a name in it leaves ink, where a font without it would leave tofu boxes that
    all look the same. Two different Cyrillic names must draw differently."""
    one = decoded(render_chart(data([["present"]], [None]), text(["Фёдор"])))
    other = decoded(render_chart(data([["present"]], [None]), text(["Жанна"])))
    assert one.tobytes() != other.tobytes()


def test_no_meetings_still_draws_a_valid_picture():
    image = decoded(render_chart(data([[]], []), text(["Ada"])))
    assert image.size == chart_size(1, 0)


def test_the_cache_keeps_the_most_recently_used_charts():
    cache = ChartCache(size=2)
    first, second, third = (DrawnChart(bytes([n]), f"chart {n}") for n in range(3))
    cache.put("a", first)
    cache.put("b", second)
    assert cache.get("a") == first  # now the most recently used
    cache.put("c", third)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == (first, third)
