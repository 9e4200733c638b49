"""Matching applicants into groups (plain Python, no Discord, no database): generated pools of applicants in 11 zones
and 8 fields, the number the matcher places against the exact optimum of a MILP (HiGHS), and the time it takes.

The MILP: for each useful (slot, language) bucket b a binary y_b (the bucket is used), for each class c of applicants
with the same buckets an integer x_cb (how many of them meet in b); at most n_c of a class placed, a used bucket
holds at least 3, nobody in an unused one; maximise the number placed. Its buckets are the matcher's own: every
(slot, language) that 3 or more can make, less those whose people are all in another (reductions that can't change
the optimum). Sizes of 3 to 6 need no constraint: any 3 or more people who can meet together split into groups of
3 to 6.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from mastermind.rules.availability import WeeklyHours
from mastermind.rules.matching import MIN_GROUP, Applicant, _Pool, form_groups

ZONES = (  # (zone, weight): where applicants live
    ("America/Los_Angeles", 8),
    ("America/New_York", 14),
    ("America/Sao_Paulo", 8),
    ("Europe/London", 12),
    ("Europe/Berlin", 14),
    ("Africa/Lagos", 6),
    ("Europe/Moscow", 6),
    ("Asia/Kolkata", 12),
    ("Asia/Jakarta", 8),
    ("Asia/Tokyo", 6),
    ("Australia/Sydney", 6),
)
FIELDS = ("Software", "E-commerce", "Design", "Marketing", "Consulting", "Finance", "Health", "Education")
LANGUAGES = ("English", "Spanish", "Indonesian")
SPANISH = {"America/Los_Angeles": 0.35, "America/New_York": 0.3, "America/Sao_Paulo": 0.3, "Europe/London": 0.1}
START = datetime(2026, 1, 5, 9, tzinfo=UTC)  # a Monday morning


def generated_pool(size: int, seed: int, *, sparse: bool = False) -> list[Applicant]:
    """Applicants as a server might see them: weekday mornings or evenings in their own zone (some also on the
    weekend, some on only some weekdays), most speaking English, a few also Spanish or Indonesian. Sparse: each
    is free only one to three days a week, for one to two hours at any time of day, so that fewer can meet."""
    rng = random.Random(seed)
    names, weights = zip(*ZONES, strict=True)
    pool = []
    for number in range(size):
        zone = rng.choices(names, weights)[0]
        spoken = [language for language in LANGUAGES if rng.random() < _speaks(language, zone)]
        if not spoken:
            spoken = ["Indonesian" if zone == "Asia/Jakarta" else "English"]
        pool.append(
            Applicant(
                id=number + 1,
                field=rng.choice(FIELDS),
                experience=rng.choices(range(4), (25, 35, 30, 10))[0],
                languages=tuple(spoken),
                zone=zone,
                hours=WeeklyHours.of(_sparse_hours(rng) if sparse else _hours(rng)),
            )
        )
    return pool


def _hours(rng: random.Random) -> list[tuple[int, int, int]]:
    if rng.random() < 0.5:
        start = rng.choice(range(6 * 60, 9 * 60 + 1, 30))
        end = start + rng.choice((60, 90, 120, 180))
    else:
        start = rng.choice(range(17 * 60, 21 * 60 + 1, 30))
        end = min(24 * 60, start + rng.choice((60, 90, 120, 180)))
    weekdays = range(5) if rng.random() < 0.8 else rng.sample(range(5), rng.choice((2, 3, 4)))
    ranges = [(day, start, end) for day in weekdays]
    if rng.random() < 0.25:
        weekend_start = rng.choice(range(8 * 60, 12 * 60 + 1, 60))
        ranges += [(day, weekend_start, weekend_start + 180) for day in rng.sample((5, 6), rng.choice((1, 2)))]
    return ranges


def _sparse_hours(rng: random.Random) -> list[tuple[int, int, int]]:
    start = rng.choice(range(6 * 60, 21 * 60 + 1, 30))
    end = min(24 * 60, start + rng.choice((60, 90, 120)))
    return [(day, start, end) for day in rng.sample(range(7), rng.choice((1, 2, 3)))]


def _speaks(language: str, zone: str) -> float:
    if language == "English":
        return 0.85
    if language == "Spanish":
        return SPANISH.get(zone, 0.03)
    return 0.8 if zone == "Asia/Jakarta" else 0.01


@dataclass(frozen=True)
class Optimum:
    placed: int  # the best found; exact when `exact`
    bound: int  # no assignment places more
    exact: bool
    seconds: float


def optimum(pool: list[Applicant], *, time_limit: float = 600) -> Optimum:
    """The most applicants any matching could place, by HiGHS; with its bound if the time ran out."""
    import highspy  # a benchmark and test dependency only

    started = time.perf_counter()
    buckets = _Pool(pool, after=START, languages=LANGUAGES)
    classes: defaultdict[tuple[int, ...], int] = defaultdict(int)
    for options in buckets.options:
        if options:
            classes[tuple(options)] += 1
    if not classes:
        return Optimum(0, 0, True, time.perf_counter() - started)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", time_limit)
    h.setOptionValue("mip_rel_gap", 0.0)
    used = {b: h.addBinary(obj=0) for b in range(len(buckets.buckets))}
    holding: defaultdict[int, list] = defaultdict(list)
    placed = []
    for options, count in classes.items():
        amounts = [h.addIntegral(lb=0, ub=count) for _ in options]
        h.addConstr(sum(amounts) <= count)
        for bucket, amount in zip(options, amounts, strict=True):
            h.addConstr(amount <= count * used[bucket])
            holding[bucket].append(amount)
        placed += amounts
    for bucket, amounts in holding.items():
        h.addConstr(sum(amounts) >= MIN_GROUP * used[bucket])
    h.maximize(sum(placed))
    info = h.getInfo()
    best = round(info.objective_function_value)
    bound = int(info.mip_dual_bound + 1e-6)
    exact = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return Optimum(best, max(best, bound), exact, time.perf_counter() - started)


def matching(
    sizes: tuple[int, ...], *, runs: int, seed: int = 16, exact: bool = True, sparse: bool = False
) -> dict[int, dict]:
    """For each pool size: the matcher's median time over `runs` runs, how many it placed, and the optimum."""
    found: dict[int, dict] = {}
    for size in sizes:
        pool = generated_pool(size, seed + size, sparse=sparse)
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            result = form_groups(pool, target=4, after=START, languages=LANGUAGES)
            timings.append(time.perf_counter() - started)
        placed = sum(len(group.members) for group in result.groups)
        figures: dict = {
            "applicants": size,
            "placed": placed,
            "groups": len(result.groups),
            "median_s": statistics.median(timings),
            "max_s": max(timings),
            "runs": runs,
        }
        if exact:
            best = optimum(pool)
            figures.update(optimum=best.placed, bound=best.bound, exact=best.exact, solver_s=best.seconds)
            figures["gap"] = (best.bound - placed) / best.bound if best.bound else 0.0
        found[size] = figures
    return found
