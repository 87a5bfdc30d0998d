"""What the API's bodies share: tier names, ids and days in requests, and the error body."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator

TierName = Literal["none", "ordinary", "expert", "honor"]
Scalar = bool | int | float | str | None
HOST_ID = r"^[^\x00-\x1f\x7f]{1,128}$"  # any printable id the input data may use
MAX_ID = 2**31 - 1
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only YYYY-MM-DD is a day: not a timestamp number, nor a date with a time."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise ValueError("a day is written YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_day)]
"""A day in a request, as docs/rules.md writes days: YYYY-MM-DD and nothing else."""


def _json_number(value: Any) -> Any:
    """A JSON number (1 and 1.0 are the same integer to JSON Schema), not a string or boolean."""
    if isinstance(value, str | bool):
        raise ValueError("expected a JSON number")
    return value


Id = Annotated[int, BeforeValidator(_json_number)]
"""An id in a request body."""


class Problem(BaseModel):
    """An error: what went wrong, and for refusals a machine-readable reason."""

    detail: str
    reason: str | None = None
    next_allowed_day: date | None = None
