"""How generated values become Arrow columns and files: platform time, timestamp spellings,
fixed-width ids, the event schemas and the Parquet/CSV writer."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from zoneinfo import ZoneInfo

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

PLATFORM_TZ = ZoneInfo("Asia/Shanghai")
DAY_S = 86_400


class Clock:
    """Platform days of the window as epoch seconds (UTC) and the platform's UTC offset."""

    def __init__(self, first_day: date, days: int) -> None:
        self.first_day = first_day
        self.days = days
        offsets = {
            datetime.combine(
                first_day + timedelta(days=d), datetime.min.time(), PLATFORM_TZ
            ).utcoffset()
            for d in range(-1, days + 1)
        }
        # Asia/Shanghai has kept +08:00 since 1991, so a fixed offset is exact for it; refuse
        # rather than guess if the zone ever changes its offset around the window.
        if len(offsets) != 1 or (offset := offsets.pop()) is None:
            raise ValueError(f"{PLATFORM_TZ} changes its UTC offset inside the window")
        self.offset_s = int(offset.total_seconds())
        self.first_local_s = (first_day - date(1970, 1, 1)).days * DAY_S

    def instant(self, day: np.ndarray, second_of_day: np.ndarray) -> np.ndarray:
        """UTC epoch seconds of a platform-local day offset and second of that day."""
        secs: np.ndarray = self.first_local_s + day * DAY_S + second_of_day - self.offset_s
        return secs

    def day_of(self, instant: np.ndarray) -> np.ndarray:
        """Platform day (days since 1970-01-01) of UTC epoch seconds."""
        return (instant + self.offset_s) // DAY_S

    def random_instants(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """Uniform instants over the window."""
        return self.instant(rng.integers(0, self.days, n), rng.integers(0, DAY_S, n))


class Stamper:
    """Turns UTC epoch seconds into the table's timestamp column for one output format."""

    def __init__(self, fmt: str, rng: np.random.Generator, offset_s: int) -> None:
        self.fmt = fmt
        self.rng = rng
        self.offset_s = offset_s

    def __call__(self, secs: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
        mask = None if valid is None else ~valid
        if self.fmt == "parquet":
            return pa.array(secs * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=mask)
        # Real exports mix UTC 'Z', explicit '+08:00' and naive platform-local spellings.
        form = self.rng.choice(3, size=len(secs), p=[0.5, 0.25, 0.25])
        return _iso_strings(secs, form, valid, self.offset_s)


def _iso_strings(
    secs: np.ndarray, form: np.ndarray, valid: np.ndarray | None, offset_s: int
) -> pa.Array:
    """ISO 8601 strings: form 0 'YYYY-MM-DDTHH:MM:SSZ', 1 '...+08:00', 2 naive platform time."""
    # Assembled digit by digit in numpy: strftime per row would be a Python loop.
    n = len(secs)
    shown = secs + np.where(form == 0, 0, offset_s)
    sign = "+" if offset_s >= 0 else "-"
    suffix = f"{abs(offset_s) // 3600:02d}:{abs(offset_s) // 60 % 60:02d}".encode()
    day = (shown // DAY_S).astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    second = shown % DAY_S
    buf = np.empty((n, 25), dtype=np.uint8)
    fields = (
        (0, 4, day.astype("datetime64[Y]").astype(np.int64) + 1970),
        (5, 2, month_start.astype(np.int64) % 12 + 1),
        (8, 2, (day - month_start).astype(np.int64) + 1),
        (11, 2, second // 3600),
        (14, 2, second // 60 % 60),
        (17, 2, second % 60),
    )
    for start, width, value in fields:
        buf[:, start : start + width] = _digits(value, width)
    buf[:, [4, 7]] = ord("-")
    buf[:, [13, 16]] = ord(":")
    buf[:, 10] = np.where(form == 2, ord(" "), ord("T"))
    buf[:, 19] = np.where(form == 0, ord("Z"), ord(sign))
    buf[:, 20:25] = np.frombuffer(suffix, dtype=np.uint8)
    lengths = np.array([20, 25, 19])[form]
    if valid is not None:
        lengths[~valid] = 0
    return _strings(buf, lengths, valid)


def _digits(value: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers, as an (n, width) ASCII matrix."""
    value = np.asarray(value, dtype=np.int64)
    if len(value) and (value.min() < 0 or value.max() >= 10**width):
        raise ValueError(f"value does not fit in {width} digits")
    out = np.empty((len(value), width), dtype=np.uint8)
    for j in range(width - 1, -1, -1):
        out[:, j] = value % 10 + ord("0")
        value = value // 10
    return out


def _strings(buf: np.ndarray, lengths: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """Arrow strings from the first lengths[i] bytes of each row of a byte matrix."""
    keep = np.arange(buf.shape[1]) < lengths[:, None]
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(
        len(lengths), pa.py_buffer(offsets), pa.py_buffer(buf[keep]), bitmap
    ).cast(pa.string())


def id_strings(prefix: str, number: np.ndarray, width: int) -> pa.Array:
    """Fixed-width ids such as 'h000001' for integers (vectorised)."""
    head = np.frombuffer(prefix.encode(), dtype=np.uint8)
    buf = np.empty((len(number), len(head) + width), dtype=np.uint8)
    buf[:, : len(head)] = head
    buf[:, len(head) :] = _digits(number, width)
    return _strings(buf, np.full(len(number), buf.shape[1]))


def event_schemas(ts: pa.DataType) -> dict[str, pa.Schema]:
    """Contract schemas of the event tables, timestamps typed for the output format."""
    text = pa.string()
    return {
        "sessions": pa.schema(
            [
                ("session_id", text),
                ("host_id", text),
                ("started_at", ts),
                ("ended_at", ts),
                ("deleted", pa.bool_()),
            ]
        ),
        "views": pa.schema([("session_id", text), ("buyer_id", text), ("viewed_at", ts)]),
        "orders": pa.schema(
            [("order_id", text), ("host_id", text), ("buyer_id", text), ("paid_at", ts)]
        ),
    }


class Writer:
    """Appends record batches to one Parquet or CSV file."""

    def __init__(self, path: Path, schema: pa.Schema, fmt: str) -> None:
        self.schema = schema
        if fmt == "parquet":
            self._sink: pq.ParquetWriter | pacsv.CSVWriter = pq.ParquetWriter(
                path, schema, compression="zstd"
            )
            self._file = None
        else:
            # Arrow quotes header names even with quoting_style="none"; write a plain header.
            self._file = open(path, "wb")  # noqa: SIM115 - closed in close()
            self._file.write((",".join(schema.names) + "\n").encode())
            options = pacsv.WriteOptions(include_header=False, quoting_style="none")
            self._sink = pacsv.CSVWriter(self._file, schema, write_options=options)

    def write(self, columns: list[pa.Array] | list[pa.ChunkedArray]) -> None:
        self._sink.write_table(pa.Table.from_arrays(list(columns), schema=self.schema))

    def close(self) -> None:
        self._sink.close()
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> Writer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
