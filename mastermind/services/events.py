"""The one way parts of the bot tell each other what happened: typed events, each carrying what listeners need.

A publisher never knows who listens. Listeners are awaited in the order they subscribed, so a burst of kickoffs
stays within the delivery workers that publish them; a listener that fails is logged and the others still run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from mastermind.rules.schedule import Occurrence
from storage.models import Commitment, Group

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    """Something that happened, for whoever listens."""


@dataclass(frozen=True)
class NextMeetingChanged(Event):
    """The group's next meeting may have changed (a schedule change, a kickoff, an archive)."""

    group: Group
    upcoming: Occurrence | None


@dataclass(frozen=True)
class CommitmentsChanged(Event):
    """A member's commitments were set, carried over or marked: `upcoming` are those due at the next meeting,
    `marked` the one whose outcome changed, if any."""

    group: Group
    user_id: int
    upcoming: tuple[Commitment, ...] = ()
    marked: Commitment | None = None


@dataclass(frozen=True)
class MemberLeftGroup(Event):
    """A member is out of a group: they left, were removed, left the server or deleted their data. Refilling
    seats follows this."""

    group: Group
    user_id: int


E = TypeVar("E", bound=Event)
Listener = Callable[[E], Awaitable[None]]


class Events:
    def __init__(self) -> None:
        self._listeners: defaultdict[type, list[Callable[[Any], Awaitable[None]]]] = defaultdict(list)

    def subscribe(self, kind: type[E], listener: Listener[E]) -> None:
        self._listeners[kind].append(listener)

    def unsubscribe(self, kind: type[E], listener: Listener[E]) -> None:
        if listener in self._listeners[kind]:
            self._listeners[kind].remove(listener)

    async def publish(self, event: Event) -> None:
        for listener in list(self._listeners[type(event)]):
            try:
                await listener(event)
            except Exception:
                log.exception("A listener of %s failed", type(event).__name__)
