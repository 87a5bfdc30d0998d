"""Baseline: livetier's full evaluation in plain pandas, down to tiers.

The same definitions and the same row rejections as baseline_sql.py (see its docstring), written
the way a data scientist would in pandas: read the Parquet files, drop bad rows, merge, group.
Ids are read as pyarrow-backed strings (pandas' own StringDtype("pyarrow")), not Python objects:
with object strings, 60M views do not fit the machine.

Run: `python bench/baseline_pandas.py DATA_DIR 2026-11-26`: prints the tier counts per line.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import baseline_rules as rules
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

_STR = pd.StringDtype("pyarrow")


def _read(path: Path) -> pd.DataFrame:
    return pq.read_table(path).to_pandas(types_mapper={pa.string(): _STR}.get)


def _seconds(ts: pd.Series) -> pd.Series:
    """UTC epoch seconds (float, NaN when missing) of a timestamp column."""
    return (ts - pd.Timestamp(0, tz="UTC")).dt.total_seconds()


def _day(seconds: pd.Series) -> pd.Series:
    """Platform day (days since 1970-01-01, float) of UTC epoch seconds."""
    return np.floor((seconds + rules.OFFSET_HOURS * 3600) / 86400)


def _clean_ids(df: pd.DataFrame, key: str, required: list[str]) -> pd.DataFrame:
    """Exact duplicates once; every row of a key whose rows disagree dropped; no missing ids."""
    df = df.drop_duplicates()
    df = df[~df.duplicated(subset=[key], keep=False)]
    return df.dropna(subset=required)


def _profiles(data: Path, last: date) -> pd.DataFrame:
    h = _read(data / "hosts.parquet")
    h["snapshot_date"] = pd.to_datetime(h["snapshot_date"])
    for col in ("category_line", "category"):
        h[col] = h[col].str.strip().str.lower().replace("", pd.NA)
    for col in ("bsr_description", "bsr_shipping"):
        h[col] = h[col].where(np.isfinite(h[col]))
    h = h.drop_duplicates()
    dated = h.dropna(subset=["host_id", "snapshot_date"])
    dated = dated[dated["snapshot_date"] <= pd.Timestamp(last)]
    latest = dated.groupby("host_id", as_index=False)["snapshot_date"].max()
    ok = h[~h.duplicated(subset=["host_id", "snapshot_date"], keep=False)]
    ok = ok[ok["category_line"].isin(rules.LINES)]
    return ok.merge(latest, on=["host_id", "snapshot_date"])


def _flag(values: pd.Series, wanted: bool) -> pd.Series:
    """True where the flag is known and equals ``wanted`` (fail closed)."""
    return values.notna() & (values.astype("boolean") == wanted).fillna(False)


def _grade(m: pd.DataFrame) -> pd.Series:
    basic = pd.Series(True, index=m.index)
    for col in rules.MUST_BE_TRUE:
        basic &= _flag(m[col], True)
    for col in rules.MUST_BE_FALSE:
        basic &= _flag(m[col], False)
    basic &= m["category"].notna() & ~m["category"].isin(rules.RESTRICTED)
    tier = pd.Series("none", index=m.index, dtype=object)
    tier[basic] = "ordinary"
    for tier_name in ("expert", "honor"):  # ascending: a higher tier met overwrites
        for line, tiers in rules.THRESHOLDS.items():
            minimums, (sessions, buyers, mode) = tiers[tier_name]
            met = basic & (m["category_line"] == line)
            for col, v in minimums.items():
                met &= (m[col] >= v).fillna(False).astype(bool)  # NaN/NA fails
            s_ok, b_ok = m["live_sessions"] >= sessions, m["live_buyers"] >= buyers
            met &= (s_ok | b_ok) if mode == "any" else (s_ok & b_ok)
            tier[met] = tier_name
    return tier


def tier_counts(data: Path, day: date) -> dict[str, dict[str, int]]:
    """Hosts per line and tier, e.g. {"consumer": {"expert": 12, ...}, ...}."""
    first, last = rules.window(day)
    lo = (pd.Timestamp(first) - pd.Timestamp(0)).days
    hi = (pd.Timestamp(last) - pd.Timestamp(0)).days
    profile = _profiles(data, last)
    known = _read(data / "hosts.parquet")["host_id"].dropna().unique()

    s = _clean_ids(_read(data / "sessions.parquet"), "session_id", ["session_id", "host_id"])
    s["st"], s["en"] = _seconds(s["started_at"]), _seconds(s["ended_at"])
    s = s[(s["en"] >= s["st"]) & s["host_id"].isin(known)]  # NaN compares False: dropped
    day_s = _day(s["st"])
    valid = s[(s["en"] > s["st"] + rules.VALID_SESSION_MINUTES * 60) & day_s.between(lo, hi)]
    live_sessions = valid.groupby("host_id").size().rename("live_sessions")

    o = _clean_ids(_read(data / "orders.parquet"), "order_id", ["order_id", "host_id", "buyer_id"])
    o["t"] = _seconds(o["paid_at"])
    o["day"] = _day(o["t"])
    o = o[o["host_id"].isin(known) & o["day"].between(lo, hi)]  # unpaid: NaN day, dropped
    last_paid = o.groupby(["host_id", "buyer_id", "day"], as_index=False)["t"].max()

    v = _read(data / "views.parquet").dropna(subset=["session_id", "buyer_id", "viewed_at"])
    v = v.merge(s[["session_id", "host_id"]], on="session_id")
    v["t"] = _seconds(v["viewed_at"])
    v["day"] = _day(v["t"])
    first_view = v.groupby(["host_id", "buyer_id", "day"], as_index=False)["t"].min()
    both = first_view.merge(last_paid, on=["host_id", "buyer_id", "day"], suffixes=("_v", "_p"))
    live_buyers = both[both["t_v"] <= both["t_p"]].groupby("host_id").size().rename("live_buyers")

    m = profile.merge(live_sessions, how="left", left_on="host_id", right_index=True)
    m = m.merge(live_buyers, how="left", left_on="host_id", right_index=True)
    m[["live_sessions", "live_buyers"]] = m[["live_sessions", "live_buyers"]].fillna(0)
    m["tier"] = _grade(m)
    out: dict[str, dict[str, int]] = {}
    for (line, tier), n in m.groupby(["category_line", "tier"]).size().items():
        out.setdefault(str(line), {})[str(tier)] = int(n)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("day", type=date.fromisoformat)
    args = ap.parse_args()
    print(json.dumps(tier_counts(args.data, args.day)))


if __name__ == "__main__":
    main()
