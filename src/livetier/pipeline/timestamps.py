"""Timestamps to instants and platform days, the same way on every engine.

The engines' own zone handling cannot be trusted through Ibis (docs/design.md, "Engine
pitfalls": casts drop the target zone, and Spark reads naive text as UTC). So the pipeline
keeps every instant as a naive UTC timestamp (the engine session zone is pinned to UTC) and
applies the platform zone itself: the zone's UTC offsets, taken from the IANA database with
zoneinfo for the years around the evaluation day, become a CASE expression (a constant for
Asia/Shanghai, which has had no daylight saving since 1991). Nothing assumes a fixed +8 h.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import ibis

from livetier.pipeline.tables import without

# ISO 8601 as platforms write it: a date, "T" or a space, hh:mm with optional seconds and
# fraction (microseconds kept, finer digits dropped), and an optional "Z" or +hh:mm / +hhmm /
# +hh offset. Anything else is unparseable.
_ISO = (
    r"^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}(?::\d{2})?)(?:(\.\d{1,6})\d*)?"
    r"([Zz]|[+-]\d{2}(?::?\d{2})?)?$"
)


@dataclass(frozen=True)
class PlatformZone:
    """The platform zone's UTC offsets over a span: offsets[i] holds from transitions[i-1]."""

    name: str
    transitions: tuple[datetime, ...]  # naive UTC instants where the offset changes
    offsets: tuple[int, ...]  # seconds east of UTC; one more than transitions

    @classmethod
    def around(cls, name: str, day: date, years: int = 2) -> PlatformZone:
        """The zone's offsets from ``years`` before ``day`` to ``years`` after it.

        Events further away than that cannot fall in a 30-day window ending at ``day``; they
        take the nearest known offset.
        """
        zone = ZoneInfo(name)
        start = datetime(day.year - years, 1, 1, tzinfo=UTC)
        end = datetime(day.year + years + 1, 1, 1, tzinfo=UTC)

        def offset(at: datetime) -> int:
            delta = at.astimezone(zone).utcoffset()
            return int(delta.total_seconds()) if delta else 0

        transitions: list[datetime] = []
        offsets = [offset(start)]
        at = start
        while at < end:
            step = at + timedelta(days=1)
            if offset(step) != offsets[-1]:
                lo, hi = at, step  # the change lies in (lo, hi]: bisect to the second
                while hi - lo > timedelta(seconds=1):
                    mid = lo + (hi - lo) / 2
                    lo, hi = (mid, hi) if offset(mid) == offsets[-1] else (lo, mid)
                transitions.append(hi.replace(tzinfo=None, microsecond=0))
                offsets.append(offset(step))
            at = step
        return cls(name, tuple(transitions), tuple(offsets))

    def offset_at_utc(self, instant: ibis.TimestampValue) -> ibis.IntegerValue:
        """Seconds east of UTC at a UTC instant."""
        return self._piecewise(instant, self.transitions)

    def offset_at_local(self, wall: ibis.TimestampValue) -> ibis.IntegerValue:
        """Seconds east of UTC for a platform wall-clock time.

        A wall time that is skipped or repeated by a transition takes the earlier offset, as
        Python's zoneinfo does with fold=0.
        """
        bounds = tuple(
            t + timedelta(seconds=max(before, after))
            for t, before, after in zip(
                self.transitions, self.offsets, self.offsets[1:], strict=False
            )
        )
        return self._piecewise(wall, bounds)

    def _piecewise(
        self, at: ibis.TimestampValue, bounds: tuple[datetime, ...]
    ) -> ibis.IntegerValue:
        if not bounds:
            return ibis.literal(self.offsets[0], type="int64")
        branches = [(at < ibis.timestamp(b), o) for b, o in zip(bounds, self.offsets, strict=False)]
        return ibis.cases(*branches, else_=self.offsets[-1])


def add_instant(t: ibis.Table, column: str, zone: PlatformZone, utc: str, day: str) -> ibis.Table:
    """Add ``utc`` (naive UTC instant) and ``day`` (platform day) for a timestamp column.

    Text with "Z" or an offset is absolute; text without one is platform local time. An engine
    timestamp with a zone is absolute; one without a zone is platform local time. Both new
    columns are NULL where the value does not parse. Each step is its own projection so the
    engine parses a value once, not once per use.
    """
    value = t[column]
    kind = value.type()
    if kind.is_timestamp() and kind.timezone is not None:
        # Absolute (the usual Parquet export): the session zone is UTC, so the cast gives the
        # UTC wall time. This is the hot path for tens of millions of views; keep it lean.
        t = t.mutate(**{utc: value.cast("timestamp")})
        t = t.mutate(**{day: (t[utc] + zone.offset_at_utc(t[utc]).as_interval("s")).date()})
        return t
    if kind.is_timestamp():  # naive engine timestamp: platform wall time
        t = t.mutate(**{utc: value - zone.offset_at_local(value).as_interval("s")})
        return t.mutate(**{day: value.date()})
    text = value.strip()
    t = t.mutate(
        _wall=(
            text.re_extract(_ISO, 1)
            + " "
            + text.re_extract(_ISO, 2)
            + text.re_extract(_ISO, 3).fill_null("")
        ).try_cast("timestamp"),
        _suffix=text.re_extract(_ISO, 4),
    )
    t = t.mutate(_absolute=t._suffix.length() > 0, _offset=_offset_seconds(t._suffix))
    t = t.mutate(
        **{
            utc: ibis.ifelse(
                t._absolute,
                t._wall - t._offset.as_interval("s"),
                t._wall - zone.offset_at_local(t._wall).as_interval("s"),
            )
        }
    )
    local = ibis.ifelse(t._absolute, t[utc] + zone.offset_at_utc(t[utc]).as_interval("s"), t._wall)
    t = t.mutate(**{day: local.date()})
    return without(t, "_wall", "_suffix", "_absolute", "_offset")


def unusable(t: ibis.Table, column: str, utc: str) -> ibis.BooleanValue:
    """Whether a timestamp is missing or does not parse (``utc`` from add_instant).

    An engine timestamp always converts, so only its absence is checked: this keeps the
    conversion of tens of millions of views out of the data-quality query.
    """
    if t[column].type().is_timestamp():
        return t[column].isnull()
    return t[utc].isnull()


def _offset_seconds(suffix: ibis.StringValue) -> ibis.IntegerValue:
    """Seconds east of UTC written as "Z", "+08:00", "+0800" or "+08" ("" when absent)."""
    digits = suffix.replace(":", "")
    hours = digits.substr(1, 2).try_cast("int64")
    minutes = ibis.ifelse(digits.length() >= 5, digits.substr(3, 2).try_cast("int64"), 0)
    sign = ibis.ifelse(digits.startswith("-"), -1, 1)
    return ibis.ifelse(suffix.upper() == "Z", 0, sign * (hours * 3600 + minutes * 60)).fill_null(0)
