"""`python -m bench`: every benchmark, one table. `--quick` for a fast, rougher pass. `python -m bench matching`:
only the matching benchmark (row 7)."""

from __future__ import annotations

import argparse
import asyncio
import os
import platform

from bench.matching import matching
from bench.scenarios import burst, chart_cost, command_cost, slot_search, startup, timer_accuracy

PLATFORM_RATE = 50  # requests a second Discord allows a bot


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {system}"


Row = tuple[str, str, str, str]
MATCHING_TARGETS = {50: None, 500: 2.0, 5000: 60.0}  # seconds
MATCHING_GAP = 0.02  # placed within 2% of the optimum at 500


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="?", choices=["matching"], help="run only this benchmark")
    parser.add_argument("--quick", action="store_true", help="fewer runs and smaller sizes")
    args = parser.parse_args()
    rows: list[Row] = []
    if args.only == "matching":
        matching_rows(rows, quick=args.quick)
    else:
        every_row(rows, quick=args.quick)
    print(f"\nMachine: {machine()}\n")
    widths = [max(len(r[i]) for r in [("What", "Figure", "Target", ""), *rows]) for i in range(4)]
    header = ("What", "Figure", "Target", "")
    for line in (header, tuple("-" * w for w in widths), *rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def add_row(rows: list[Row], what: str, figure: str, target: str, verdict: bool | None) -> None:
    rows.append((what, figure, target, "" if verdict is None else ("met" if verdict else "MISSED")))


def matching_rows(rows: list[Row], *, quick: bool) -> None:
    """7. The matcher against the exact optimum (HiGHS), on generated pools; then on pools of sparse hours."""
    sizes = (50, 500) if quick else tuple(MATCHING_TARGETS)
    runs = 3 if quick else 5
    found = [("", size, figures) for size, figures in matching(sizes, runs=runs).items()]
    found += [(", sparse hours", size, figures) for size, figures in matching((500,), runs=runs, sparse=True).items()]
    for kind, size, figures in found:
        limit = MATCHING_TARGETS[size]
        exact = "optimum" if figures["exact"] else "best found"
        placed = (
            f"placed {figures['placed']:,} of {size:,} ({figures['groups']:,} groups); {exact} {figures['optimum']:,}, "
            f"bound {figures['bound']:,} (solver {figures['solver_s']:.1f} s)"
        )
        add_row(
            rows,
            f"7. matching {size:,} applicants{kind}: placed vs the exact optimum",
            placed,
            "within 2%" if size == 500 else "",
            figures["gap"] <= MATCHING_GAP if size == 500 else None,
        )
        add_row(
            rows,
            f"7. matching {size:,} applicants{kind}: time",
            f"median {figures['median_s']:.2f} s, slowest {figures['max_s']:.2f} s of {figures['runs']} runs",
            f"< {limit:.0f} s" if limit else "",
            figures["max_s"] < limit if limit else None,
        )


def every_row(rows: list[Row], *, quick: bool) -> None:
    runs = 2 if quick else 5

    def row(what: str, figure: str, target: str, verdict: bool | None) -> None:
        add_row(rows, what, figure, target, verdict)

    cost = asyncio.run(command_cost(runs=runs, calls=10 if quick else 30))
    base = cost["bench-ping"]
    row("1. trivial command (baseline)", f"{base['total_ms']:.2f} ms per call", "", None)
    for name in ("group info", "goals list", "stats"):
        figures = cost[name]
        row(
            f"1. /{name}, 2 years of history",
            f"{figures['total_ms']:.2f} ms = {figures['ratio']:.2f}x baseline",
            "≤ 1.5x",
            figures["ratio"] <= 1.5,
        )
    row(
        "1. /stats handler (bot-side)",
        f"{cost['stats']['handler_ms']:.2f} ms",
        "≤ 20 ms",
        cost["stats"]["handler_ms"] <= 20,
    )

    chart = asyncio.run(chart_cost(runs=5 if quick else 30))
    row(
        f"6. attendance chart, same group ({chart['members']} members × {chart['meetings']} meetings)",
        f"{chart['render_cpu_ms']:.1f} ms CPU to draw ({chart['png_kb']:.0f} KB PNG); "
        f"its data read in {chart['read_ms']:.1f} ms",
        "< 50 ms",
        chart["render_cpu_ms"] < 50,
    )

    sizes = [100, 1000] if quick else [1000, 10_000]
    boot = startup(sizes, runs=min(runs, 3), guilds=100)
    for size, figures in boot.items():
        row(
            f"2. start-up, {size:,} groups / 100 servers",
            f"{figures['seconds']:.2f} s (empty: {figures['baseline_seconds']:.2f} s, {figures['ratio']:.1f}x); "
            f"{figures['planned']:,} planned",
            "< 2 s",
            figures["seconds"] < 2 and figures["planned"] == size,
        )
        memory = f"{figures['rss_mb']:.0f} MB (empty: {figures['baseline_rss_mb']:.0f} MB)"
        row(f"2. peak memory, {size:,} groups", memory, "< 300 MB", figures["rss_mb"] < 300)

    groups = 200 if quick else 1000
    blast = asyncio.run(burst(groups, runs=1 if quick else 3))
    floor = groups / PLATFORM_RATE
    for label in ("reminders_24h", "reminders_15m", "kickoffs"):
        bot_side = blast[f"{label}_bot_s"]
        row(
            f"3. burst: {int(blast[f'{label}_count']):,} {label.replace('_', ' ')} due the same second",
            f"bot {bot_side:.2f} s CPU = {bot_side / floor:.3f} of the {floor:.0f} s platform floor "
            f"(with simcord {blast[f'{label}_cpu_s']:.2f} s); last one {blast[f'{label}_last_late_s']:.1f} s late; "
            f"peak {blast[f'{label}_requests_per_s']:.0f} messages/s",
            "≤ 0.1",
            bot_side / floor <= 0.1,
        )

    accuracy = asyncio.run(timer_accuracy(groups, days=7 if quick else 30, runs=1 if quick else 3))
    row(
        f"4. lateness of {int(accuracy['count']):,} reminders and kickoffs, {groups:,} groups, "
        f"{7 if quick else 30} days",
        f"p50 {accuracy['p50_s']:.3f} s · p99 {accuracy['p99_s']:.3f} s · max {accuracy['max_s']:.3f} s "
        f"(ran in {accuracy['wall_s']:.0f} s)",
        "p99 < 1 s",
        accuracy["p99_s"] < 1,
    )

    search = slot_search(runs=3 if quick else 11)
    row(
        f"5. /schedule find's search, 6 members in 6 zones ({search['candidates']:,} candidates × 26 dates)",
        f"median {search['median_ms']:.0f} ms, slowest {search['max_ms']:.0f} ms of {search['runs']} runs",
        "< 200 ms",
        search["max_ms"] < 200,
    )

    matching_rows(rows, quick=quick)


if __name__ == "__main__":
    main()
