"""Forming groups from the waiting applicants: who meets with whom, at which weekly time, in which language.

Hard rules: every member of a group speaks the group's language; the group has a weekly slot (a default meeting:
every 2 weeks, 60 minutes) inside every member's hours on every one of the next 26 dates, read exactly as
/schedule find reads them; 3 to 6 members, as close to the target size as the pool allows. Preferences, in order:
as many applicants placed as possible; the same field; experience within one step; earlier applicants first.

The shape of the problem: applicants who are all free at one slot and share a language can meet, so a "bucket" is
a (slot, language) with everyone who could meet there. Any bucket with 3 or more people can be split into groups
of 3 to 6, so placing as many as possible means opening buckets, each with at least 3 people of its own, such that
as many applicants as possible are in an open one. Buckets that fewer than 3 could make are dropped, and so is
any bucket whose people are all in a larger one (it can only ever do less). Then, most constrained applicant
first, each applicant not yet covered opens the bucket of theirs that covers the most people not yet covered,
if it can have three people of its own (a bipartite matching of seats, re-seating people along augmenting paths
when needed). Whoever is still out tries their buckets in place of an open one in the way, and while someone
who could be placed is out, the cover starts again from shuffled orders, within a bounded amount of work.
Everyone in an open bucket is placed; who goes to which of their open buckets follows their field, and each
bucket is split into groups of the sizes the target asks for, by field, then experience, then queue.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from mastermind.errors import Refusal
from mastermind.rules.availability import WeeklyHours
from mastermind.rules.slots import Attendee, Slot, SlotTable, attends_all, free_slots, slot_numbers

MIN_GROUP = 3
MAX_GROUP = 6
DEFAULT_GROUP_SIZE = 4
MEETING_LENGTH = 60  # minutes: the default meeting a group is matched for
MEETING_EVERY_WEEKS = 2
EXPERIENCE_LEVELS = 4  # less than 1 year, 1 to 3 years, 3 to 10 years, more than 10 years
REPAIR_TRIES = 2000  # bounds the second pass of placing, however the pool is made
MAX_STARTS = 8  # while someone placeable is out, cover again from up to this many orders, until this much work:
WORK_BUDGET = 400_000  # buckets visited looking for a free seat, over all the starts

WaitReason = Literal["language", "no_time", "no_common_time", "placed_elsewhere"]


@dataclass(frozen=True)
class Applicant:
    """An applicant as matching sees them; their place in the queue is their place in the sequence given."""

    id: int
    field: str
    experience: int  # 0 (less than a year) to 3 (more than ten years)
    languages: tuple[str, ...]  # of the server's languages, those they speak
    zone: str
    hours: WeeklyHours


@dataclass(frozen=True)
class ProposedGroup:
    """A group to form: its members (in queue order), the weekly time they can all make all year, the language
    they share, and the field most of them work in."""

    members: tuple[int, ...]
    slot: Slot
    language: str
    field: str


@dataclass(frozen=True)
class Waiting:
    """Someone left waiting, and why: nobody else (enough) shares their languages; their hours hold no call all
    year; nobody who shares a language shares a time all year; or those who did were placed at other times."""

    applicant: int
    reason: WaitReason


@dataclass(frozen=True)
class Matching:
    groups: tuple[ProposedGroup, ...]
    waiting: tuple[Waiting, ...]


@dataclass(frozen=True)
class Mates:
    """How many others an applicant could be grouped with (sharing a language and a time all year), and how many of
    those also share their field: the most at any one time."""

    anyone: int
    same_field: int


def check_group_size(size: int) -> int:
    if not MIN_GROUP <= size <= MAX_GROUP:
        raise Refusal("intake.bad_group_size", size=size, min=MIN_GROUP, max=MAX_GROUP)
    return size


def group_sizes(count: int, target: int) -> list[int]:
    """How `count` people (3 or more) who can all meet together split into groups of 3 to 6: the sizes whose
    largest distance from the target is least, then whose distances add up least, then the fewest groups (a
    larger group survives a member leaving). Sizes as even as can be, larger first."""
    if count < MIN_GROUP:
        raise ValueError(f"{count} people can't form a group")
    best: tuple[tuple[int, int, int], list[int]] | None = None
    for groups in range(-(-count // MAX_GROUP), count // MIN_GROUP + 1):
        small, bigger = divmod(count, groups)
        sizes = [small + 1] * bigger + [small] * (groups - bigger)
        key = (max(abs(size - target) for size in sizes), sum(abs(size - target) for size in sizes), groups)
        if best is None or key < best[0]:
            best = (key, sizes)
    assert best is not None
    return best[1]


def pool_key(applicants: Iterable[Applicant], target: int) -> str:
    """A fingerprint of the pool as matching saw it (who, in which order, with what), so that a proposal made
    from it can tell whether the pool has changed since."""
    digest = hashlib.sha256(str(target).encode())
    for applicant in applicants:
        digest.update(repr((applicant.id, applicant.field, applicant.experience, applicant.languages)).encode())
        digest.update(repr((applicant.zone, applicant.hours.days)).encode())
    return digest.hexdigest()


def form_groups(
    applicants: Sequence[Applicant], *, target: int, after: datetime, languages: Sequence[str] = ()
) -> Matching:
    """The groups to form from the applicants (queue order), and who is left waiting and why. `languages` is the
    server's own order of its languages: when the same people share two, the first names their group."""
    check_group_size(target)
    pool = _Pool(applicants, after=after, languages=languages)
    placement = pool.assign(pool.cover())
    chosen = [
        (members, pool.buckets[bucket].language)
        for bucket, people in placement.items()
        for members in _split(people, pool, target)
    ]
    unplaced = pool.everyone
    for members, _ in chosen:
        unplaced &= ~sum(1 << index for index in members)
    groups = sorted((pool.proposed(members, language, unplaced) for members, language in chosen), key=pool.first_place)
    waiting = tuple(Waiting(pool.applicants[index].id, pool.reason(index)) for index in slot_numbers(unplaced))
    return Matching(tuple(groups), waiting)


def mates(applicants: Sequence[Applicant], *, after: datetime) -> dict[int, Mates]:
    """For each applicant, how many others they could be grouped with at best, and how many of those share their
    field too."""
    pool = _Pool(applicants, after=after, languages=())
    found: dict[int, Mates] = {}
    for index, applicant in enumerate(pool.applicants):
        anyone = same = 0
        field = pool.fields[applicant.field]
        for slot in slot_numbers(pool.times[index]):
            for language in applicant.languages:
                together = pool.at[slot] & pool.speakers[language]
                anyone = max(anyone, together.bit_count() - 1)
                same = max(same, (together & field).bit_count() - 1)
        found[applicant.id] = Mates(anyone, same)
    return found


def best_for_seat(
    waiting: Sequence[Applicant], *, language: str | None, field: str | None, starts: Sequence[datetime]
) -> Applicant | None:
    """Who to suggest for a seat a group lost, of the waiting applicants (queue order): someone who speaks the
    group's language (for a group made by hand, which has none, any of the server's) and can make every one of
    the group's next meetings (`starts`); of those, someone of the group's field first, then the earliest."""
    for applicant in sorted(waiting, key=lambda a: a.field != field):  # a stable sort keeps the queue order
        if language is not None and language not in applicant.languages:
            continue
        if attends_all(Attendee(applicant.id, applicant.zone, applicant.hours), starts, length=MEETING_LENGTH):
            return applicant
    return None


# ---------------------------------------------------------------------- how


# Who holds which seat, their bits, how many open buckets each applicant is in, who is in one, the open buckets.
_Cover = tuple[dict[int, int], int, list[int], int, list[int]]


@dataclass(frozen=True)
class _Bucket:
    slot: int
    language: str
    people: int  # bits: applicant indices


class _Pool:
    """The applicants by index (queue order), who can make which slot, and the buckets worth opening."""

    def __init__(self, applicants: Sequence[Applicant], *, after: datetime, languages: Sequence[str]) -> None:
        self.applicants = list(applicants)
        self.place = {applicant.id: index for index, applicant in enumerate(self.applicants)}
        self.everyone = (1 << len(self.applicants)) - 1
        homes = Counter(applicant.zone for applicant in self.applicants)
        anchors = sorted(homes, key=lambda name: (-homes[name], name))
        self.table: SlotTable = free_slots(
            [Attendee(index, a.zone, a.hours) for index, a in enumerate(self.applicants)],
            anchors=anchors,
            length=MEETING_LENGTH,
            every_weeks=MEETING_EVERY_WEEKS,
            after=after,
        )
        self.times = [self.table.free[index] for index in range(len(self.applicants))]
        # Who can make each slot: people with the same times are added together.
        same_times: defaultdict[int, int] = defaultdict(int)
        for index, times in enumerate(self.times):
            same_times[times] |= 1 << index
        at: defaultdict[int, int] = defaultdict(int)
        for times, people in same_times.items():
            for slot in slot_numbers(times):
                at[slot] |= people
        self.at = dict(at)
        spoken = list(dict.fromkeys([*languages, *(lang for a in self.applicants for lang in a.languages)]))
        self.language_order = {language: rank for rank, language in enumerate(spoken)}
        self.speakers = {language: 0 for language in spoken}
        self.fields: defaultdict[str, int] = defaultdict(int)
        for index, applicant in enumerate(self.applicants):
            for language in applicant.languages:
                self.speakers[language] |= 1 << index
            self.fields[applicant.field] |= 1 << index
        self.buckets = self._useful_buckets()
        self._holder: dict[int, int] = {}  # applicant -> the open bucket whose seat they hold
        self._holders = 0
        self._covering: list[int] = []
        self._covered = 0
        self._opened: list[int] = []
        self._waiting: list[int] = []
        self._work = 0
        self.options: list[list[int]] = [[] for _ in self.applicants]
        for number, bucket in enumerate(self.buckets):
            for index in slot_numbers(bucket.people):
                self.options[index].append(number)

    def _useful_buckets(self) -> list[_Bucket]:
        """Every (slot, language) that 3 or more could make, once per set of people, leaving out any whose people
        are all in a larger one."""
        found: dict[int, _Bucket] = {}
        for slot in sorted(self.at):
            free = self.at[slot]
            if free.bit_count() < MIN_GROUP:
                continue
            for language, speakers in self.speakers.items():
                people = free & speakers
                if people.bit_count() >= MIN_GROUP and people not in found:
                    found[people] = _Bucket(slot, language, people)
        kept: list[_Bucket] = []
        holding: defaultdict[int, list[int]] = defaultdict(list)  # applicant -> kept buckets they are in
        for bucket in sorted(found.values(), key=lambda b: (-b.people.bit_count(), b.slot)):
            lowest = (bucket.people & -bucket.people).bit_length() - 1
            if any(bucket.people & kept[other].people == bucket.people for other in holding[lowest]):
                continue
            for index in slot_numbers(bucket.people):
                holding[index].append(len(kept))
            kept.append(bucket)
        return kept

    # ------------------------------------------------------------------ placing as many as possible

    def cover(self) -> list[int]:
        """The buckets to open: most constrained applicant first, each one not yet in an open bucket opens the
        bucket of theirs covering the most people not yet covered, when it can have three seats of its own. Then
        each applicant still out tries each of their buckets instead of an open one whose seats are in the way,
        covering again whoever that leaves out; a change is kept when more people are covered. While someone who
        could be placed is still out and the work allows, it starts again from a shuffled order; the best cover
        wins (of equals, the one leaving out later applicants)."""
        placeable = [i for i, options in enumerate(self.options) if options]
        shuffle = random.Random(len(placeable))
        best: tuple[tuple[int, tuple[int, ...]], _Cover] | None = None
        self._work = 0
        for start in range(MAX_STARTS):
            noise = {i: shuffle.random() if start else 0.0 for i in placeable}
            self._cover_from(sorted(placeable, key=lambda i: (len(self.options[i]) + 2 * noise[i], i)))
            left_out = tuple(i for i in placeable if not self._covering[i])
            score = (len(placeable) - len(left_out), left_out)
            if best is None or score > best[0]:
                best = (score, self._state())
            if not left_out or self._work > WORK_BUDGET:
                break
        assert best is not None
        self._restore(best[1])
        return self._opened

    def _cover_from(self, waiting: list[int]) -> None:
        self._holder, self._holders = {}, 0
        self._covering = [0] * len(self.applicants)  # how many open buckets each applicant is in
        self._covered = 0  # bits: those in at least one
        self._opened = []
        self._waiting = waiting
        self._cover_greedily(waiting)
        tries = REPAIR_TRIES
        changed = True
        while changed and tries > 0:
            changed = False
            for index in waiting:
                if not self._covering[index] and tries > 0:
                    found, tried = self._repair(index, tries)
                    changed, tries = changed or found, tries - tried

    def _cover_greedily(self, waiting: Iterable[int]) -> None:
        for index in waiting:
            if self._covering[index]:
                continue
            field = self.fields[self.applicants[index].field]
            choices = sorted(
                self.options[index],
                key=lambda b: (
                    -(self.buckets[b].people & ~self._covered).bit_count(),
                    -(self.buckets[b].people & field).bit_count(),
                    b,
                ),
            )
            for bucket in choices:
                if self._seat(bucket):
                    self._open(bucket)
                    break

    def _repair(self, index: int, tries: int) -> tuple[bool, int]:
        """Open a bucket of this applicant's instead of an open one holding seats it needs, then cover again those
        that leaves out; kept if more people are covered than before. Returns whether it was, and how many tries
        it took."""
        before = self._covered.bit_count()
        tried = 0
        for bucket in self.options[index]:
            holders = self.buckets[bucket].people & self._holders
            blockers = sorted({self._holder[holder] for holder in slot_numbers(holders)})
            for closing in [[b] for b in blockers] + ([blockers] if len(blockers) > 1 else []):
                if tried == tries:
                    return False, tried
                tried += 1
                saved = self._state()
                lost = 0
                for blocking in closing:
                    self._close(blocking)
                    lost |= self.buckets[blocking].people
                if self._seat(bucket):
                    self._open(bucket)
                    lost &= ~self._covered
                    self._cover_greedily(i for i in self._waiting if lost >> i & 1)
                    if self._covered.bit_count() > before:
                        return True, tried
                self._restore(saved)
        return False, tried

    def _state(self) -> _Cover:
        return dict(self._holder), self._holders, list(self._covering), self._covered, list(self._opened)

    def _restore(self, state: _Cover) -> None:
        holder, self._holders, covering, self._covered, opened = state
        self._holder, self._covering, self._opened = dict(holder), list(covering), list(opened)

    def _open(self, bucket: int) -> None:
        self._opened.append(bucket)
        for index in slot_numbers(self.buckets[bucket].people):
            self._covering[index] += 1
        self._covered |= self.buckets[bucket].people

    def _close(self, bucket: int) -> None:
        self._opened.remove(bucket)
        for index in slot_numbers(self.buckets[bucket].people):
            self._covering[index] -= 1
            if not self._covering[index]:
                self._covered &= ~(1 << index)
        for holder in [h for h, held in self._holder.items() if held == bucket]:
            self._hold(holder, None)

    def _seat(self, bucket: int) -> bool:
        """Give the bucket three seats, each held by a different applicant who holds no other; people already
        holding a seat may move to this one when someone else can take theirs. All or nothing."""
        moves: list[tuple[int, int | None]] = []  # (applicant, the bucket they held before), to undo
        for _ in range(MIN_GROUP):
            path = self._augmenting_path(bucket)
            if path is None:
                for applicant, before in reversed(moves):
                    self._hold(applicant, before)
                return False
            for applicant, into in path:
                moves.append((applicant, self._holder.get(applicant)))
                self._hold(applicant, into)
        return True

    def _augmenting_path(self, start: int) -> list[tuple[int, int]] | None:
        """(applicant, bucket) moves that free a seat for `start`: a chain of seat holders each moving to the bucket
        before, ending with someone who held no seat."""
        seats_of = {start: (self.buckets[start].people & ~self._holders)}
        if seats_of[start]:
            return [(self._first(seats_of[start]), start)]
        came_from: dict[int, tuple[int, int]] = {}  # bucket -> (the bucket its holder moves to, that holder)
        queue = deque([start])
        seen = {start}
        while queue:
            bucket = queue.popleft()
            self._work += 1
            for holder in slot_numbers(self.buckets[bucket].people & self._holders):
                source = self._holder[holder]
                if source in seen:
                    continue
                seen.add(source)
                came_from[source] = (bucket, holder)
                free = self.buckets[source].people & ~self._holders
                if free:
                    path = [(self._first(free), source)]
                    while source != start:
                        into, moving = came_from[source]
                        path.append((moving, into))
                        source = into
                    return path
                queue.append(source)
        return None

    def _first(self, people: int) -> int:
        """Who takes a free seat: the one with the fewest buckets (the others stay free for other seats)."""
        return min(slot_numbers(people), key=lambda index: (len(self.options[index]), index))

    def _hold(self, applicant: int, bucket: int | None) -> None:
        if bucket is None:
            self._holder.pop(applicant, None)
            self._holders &= ~(1 << applicant)
        else:
            self._holder[applicant] = bucket
            self._holders |= 1 << applicant

    # ------------------------------------------------------------------ who goes where

    def assign(self, opened: list[int]) -> dict[int, list[int]]:
        """Everyone in an open bucket, placed in one of theirs: seat holders where they sit, the others with the
        most people of their field; then anyone moves to another of their buckets with more of their field, as
        long as every bucket keeps three."""
        is_open = set(opened)
        where: dict[int, int] = dict(self._holder)
        counts: defaultdict[tuple[int, str], int] = defaultdict(int)
        size: defaultdict[int, int] = defaultdict(int)
        for applicant, bucket in where.items():
            counts[bucket, self.applicants[applicant].field] += 1
            size[bucket] += 1
        choices = {
            index: [b for b in options if b in is_open]
            for index, options in enumerate(self.options)
            if any(b in is_open for b in options)
        }
        for index in sorted(choices, key=lambda i: (len(choices[i]), i)):
            if index in where:
                continue
            field = self.applicants[index].field
            bucket = max(choices[index], key=lambda b: (counts[b, field], -b))
            where[index] = bucket
            counts[bucket, field] += 1
            size[bucket] += 1
        moved = True
        while moved:
            moved = False
            for index, options in choices.items():
                if len(options) < 2:
                    continue
                here, field = where[index], self.applicants[index].field
                best = max(options, key=lambda b: (counts[b, field] - (b == here), b == here, -b))
                if best != here and size[here] > MIN_GROUP and counts[best, field] > counts[here, field] - 1:
                    counts[here, field] -= 1
                    size[here] -= 1
                    counts[best, field] += 1
                    size[best] += 1
                    where[index] = best
                    moved = True
        placement: defaultdict[int, list[int]] = defaultdict(list)
        for index in sorted(where):
            placement[where[index]].append(index)
        return dict(placement)

    def proposed(self, members: list[int], language: str, unplaced: int) -> ProposedGroup:
        """The group, named by the field most of its members share (of equals, the earliest member's), at its
        weekly time: of those every member can make all year, one anchored in the zone most of them live in, then
        the one the most applicants still waiting (who speak the language) can make, so that the group can be
        refilled; then the earliest in the week."""
        members = sorted(members)
        fields = Counter(self.applicants[index].field for index in members)
        field = next(
            self.applicants[i].field for i in members if fields[self.applicants[i].field] == max(fields.values())
        )
        homes = Counter(self.applicants[index].zone for index in members)
        home = next(self.applicants[i].zone for i in members if homes[self.applicants[i].zone] == max(homes.values()))
        common = -1
        for index in members:
            common &= self.times[index]
        waiting, speakers = unplaced & self.speakers[language], self.speakers[language]
        slot = min(
            slot_numbers(common),
            key=lambda number: (
                self.table.anchor_of(number) != home,
                -(self.at[number] & waiting).bit_count(),
                -(self.at[number] & speakers).bit_count(),
                number,
            ),
        )
        ids = tuple(self.applicants[index].id for index in members)
        return ProposedGroup(ids, self.table.slot(slot), language, field)

    def first_place(self, group: ProposedGroup) -> int:
        return min(self.place[member] for member in group.members)

    def reason(self, index: int) -> WaitReason:
        applicant = self.applicants[index]
        if all(self.speakers[language].bit_count() < MIN_GROUP for language in applicant.languages):
            return "language"
        if not self.times[index]:
            return "no_time"
        if not self.options[index]:
            return "no_common_time"
        return "placed_elsewhere"


def _split(members: list[int], pool: _Pool, target: int) -> list[list[int]]:
    """One bucket's people as groups of the sizes group_sizes gives: ordered by field (the largest first), then
    experience, then queue, and cut where the fields and experience change, as far as the sizes allow."""
    fields = Counter(pool.applicants[index].field for index in members)
    rank = {field: place for place, field in enumerate(sorted(fields, key=lambda f: (-fields[f], f)))}
    ordered = sorted(members, key=lambda i: (rank[pool.applicants[i].field], pool.applicants[i].experience, i))
    sizes = group_sizes(len(ordered), target)
    small, groups = min(sizes), len(sizes)
    bigger = groups - sizes.count(small)

    def cost(start: int, size: int) -> tuple[int, int]:
        chunk = ordered[start : start + size]
        kinds = Counter(pool.applicants[i].field for i in chunk)
        levels = Counter(pool.applicants[i].experience for i in chunk)
        in_step = max(levels[level] + levels[level + 1] for level in range(EXPERIENCE_LEVELS))
        return size - max(kinds.values()), size - in_step

    # best[(chunks made, larger ones among them)] = (cost so far, the cuts)
    best: dict[tuple[int, int], tuple[tuple[int, int], list[int]]] = {(0, 0): ((0, 0), [])}
    for made in range(groups):
        for used in range(min(made, bigger) + 1):
            if (made, used) not in best:
                continue
            (fields_off, experience_off), cuts = best[made, used]
            start = made * small + used
            for extra in (0, 1):
                if used + extra > bigger or made - used + 1 - extra > groups - bigger:
                    continue
                off = cost(start, small + extra)
                key = (made + 1, used + extra)
                total = (fields_off + off[0], experience_off + off[1])
                if key not in best or total < best[key][0]:
                    best[key] = (total, [*cuts, small + extra])
    _, cuts = best[groups, bigger]
    split: list[list[int]] = []
    start = 0
    for size in cuts:
        split.append(ordered[start : start + size])
        start += size
    return split
