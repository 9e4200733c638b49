"""The benchmark harness still runs and measures what it says, at sizes that take seconds.

The figures themselves come from `python -m bench` on an idle machine (see the README); timings are never asserted
here, only that every scenario does the work it claims to measure.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import simcord.env

from bench.matching import generated_pool, matching
from bench.scenarios import _peak_rate, burst, chart_cost, command_cost, slot_search, timer_accuracy
from bench.worlds import quick_settling
from storage.stats import StatsRepository


async def test_a_burst_sends_every_reminder_and_kickoff_once_and_attributes_part_of_the_cpu_to_the_bot():
    figures = await burst(12, runs=1)

    for label in ("reminders_24h", "reminders_15m", "kickoffs"):
        assert figures[f"{label}_count"] == 12
        assert 0 < figures[f"{label}_bot_s"] < figures[f"{label}_cpu_s"]
        assert 0 < figures[f"{label}_share"] < 1
        assert figures[f"{label}_last_late_s"] >= 0


async def test_command_cost_measures_each_command_against_the_baseline():
    figures = await command_cost(runs=1, calls=2)

    assert set(figures) == {"bench-ping", "group info", "goals list", "stats"}
    assert figures["bench-ping"]["ratio"] == 1
    for name, measured in figures.items():
        assert 0 < measured["handler_ms"] < measured["total_ms"], name


async def test_command_cost_refuses_to_time_a_command_that_fails(monkeypatch):
    async def broken(self, guild_id, group_id):
        raise RuntimeError("the stats query broke")

    monkeypatch.setattr(StatsRepository, "snapshot", broken)

    with pytest.raises(RuntimeError, match=r"commands failed while being measured.*the stats query broke"):
        await command_cost(runs=1, calls=1)


async def test_chart_cost_draws_the_two_year_groups_whole_chart():
    figures = await chart_cost(runs=1)

    assert (figures["members"], figures["meetings"]) == (6, 52)
    assert figures["render_cpu_ms"] > 0
    assert figures["read_ms"] > 0
    assert figures["png_kb"] > 1


async def test_timer_accuracy_reports_the_lateness_of_real_sends():
    figures = await timer_accuracy(12, days=4, runs=1)

    assert figures["count"] >= 12  # every group meets within a fortnight and is reminded a day before
    assert 0 <= figures["p50_s"] <= figures["p99_s"] <= figures["max_s"]


def test_peak_rate_counts_the_busiest_second():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(seconds=s) for s in (3, 0, 0.5, 0.99, 1.0, 1.4)]

    assert _peak_rate(moments) == 4  # 0.5, 0.99, 1.0 and 1.4; 0 and 1.0 are a whole second apart
    assert _peak_rate([start, start + timedelta(seconds=1)]) == 1


def test_quick_settling_is_undone_after_the_benchmark():
    defaults = simcord.env.Env._settle_internal.__kwdefaults__
    before = defaults["idle"]

    with quick_settling():
        assert defaults["idle"] == 0.001

    assert defaults["idle"] == before != 0.001


def test_slot_search_times_the_whole_search_for_six_zones():
    figures = slot_search(runs=2)

    assert figures["candidates"] == 7 * 48 * 6
    assert figures["proposed"] == 3  # the search found its three times every run
    assert 0 < figures["median_ms"] <= figures["max_ms"]


def test_matching_is_measured_against_the_exact_optimum():
    figures = matching((40,), runs=1)[40]

    assert figures["exact"]
    assert 0 < figures["placed"] <= figures["optimum"] == figures["bound"] <= 40
    assert 0 <= figures["gap"] <= 1
    assert 0 < figures["median_s"] <= figures["max_s"]


def test_a_generated_pool_is_spread_over_eleven_zones_and_eight_fields_and_mostly_english():
    pool = generated_pool(500, seed=1)

    assert len({applicant.zone for applicant in pool}) == 11
    assert len({applicant.field for applicant in pool}) == 8
    assert 0.8 < sum("English" in applicant.languages for applicant in pool) / len(pool) < 0.99
    assert {language for applicant in pool for language in applicant.languages} == {"English", "Spanish", "Indonesian"}
    assert all(applicant.languages for applicant in pool)
