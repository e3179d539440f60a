"""The one clock: recorded instants in UTC, calendar questions in the province's zone.

"Today", "the end of 01/04/2025" and period boundaries are asked in Asia/Ho_Chi_Minh (UTC+7
all year), whichever entry point asks: the web, the API and the CLI hold the same `Clock`,
built from the settings and handed down. Tests give it a fixed `now`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VIETNAM = "Asia/Ho_Chi_Minh"


def system_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Clock:
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(VIETNAM))
    source: Callable[[], datetime] = system_now

    def now(self) -> datetime:
        """The current instant, in UTC (as events and tokens record it)."""
        return self.source().astimezone(UTC)

    def today(self) -> date:
        """The calendar date in the zone now."""
        return self.local(self.now()).date()

    def local(self, instant: datetime) -> datetime:
        """An instant as the zone's wall clock shows it (a naive instant is taken as UTC)."""
        return (instant if instant.tzinfo else instant.replace(tzinfo=UTC)).astimezone(self.zone)

    def start_of_day(self, day: date) -> datetime:
        """The first instant of `day` in the zone, in UTC."""
        return datetime.combine(day, time.min, self.zone).astimezone(UTC)

    def end_of_day(self, day: date) -> datetime:
        """The last instant of `day` in the zone, in UTC: "as known on 01/04/2025" includes
        everything recorded that day in Vietnam."""
        return self.start_of_day(day + timedelta(days=1)) - timedelta(microseconds=1)

    def instant(self, when: datetime | date) -> datetime:
        """A recorded time as typed: an instant as it is (UTC when it names no offset), or a
        date meaning its end in the zone."""
        if isinstance(when, datetime):
            return when if when.tzinfo else when.replace(tzinfo=UTC)
        return self.end_of_day(when)


def fixed(at: datetime, zone: str = VIETNAM) -> Clock:
    """A clock stopped at `at` (for tests and replays)."""
    return Clock(ZoneInfo(zone), lambda: at)


# The clock events are recorded by. Unset, it is the system's; a ledger that records with a
# clock of its own (a simulated history replayed at its dates) sets it while it records.
_RECORDING: ContextVar[Clock | None] = ContextVar("r57_recording_clock", default=None)


def recorded_now() -> datetime:
    """The instant an event is recorded (its timestamp: transaction time), in UTC."""
    clock = _RECORDING.get()
    return clock.now() if clock is not None else system_now()


@contextmanager
def recording_by(clock: Clock) -> Iterator[None]:
    """Events recorded within carry `clock`'s instants as their recorded time."""
    token = _RECORDING.set(clock)
    try:
        yield
    finally:
        _RECORDING.reset(token)
