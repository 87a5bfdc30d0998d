"""Every definition in docs/rules.md, tested at its boundary through the DuckDB pipeline."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from builders import Platform

D = date(2026, 11, 26)  # evaluation day: the window is 2026-10-27 .. 2026-11-25
FIRST, LAST = date(2026, 10, 27), date(2026, 11, 25)


def at(day: date, hh: int = 20, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss)


# --- valid session: MORE than 15 minutes --------------------------------------------------


def test_a_session_of_exactly_15_minutes_is_not_valid_and_one_second_more_is(tmp_path):
    p = Platform()
    p.host("exact")
    p.session("exact", at(LAST), at(LAST, 20, 15, 0))
    p.host("longer")
    p.session("longer", at(LAST), at(LAST, 20, 15, 1))
    p.host("minute_more")
    p.session("minute_more", at(LAST), at(LAST, 20, 16))
    g = p.grade(tmp_path, D)
    assert g.metric("exact", "live_sessions_30d") == 0
    assert g.metric("longer", "live_sessions_30d") == 1
    assert g.metric("minute_more", "live_sessions_30d") == 1


def test_a_fraction_of_a_second_over_15_minutes_is_valid(tmp_path):
    p = Platform()
    p.host("h")
    p.session("h", "2026-11-25T20:00:00", "2026-11-25T20:15:00.5")
    assert p.grade(tmp_path, D).metric("h", "live_sessions_30d") == 1


def test_deleted_sessions_count(tmp_path):
    p = Platform()
    p.host("h")
    p.session("h", at(LAST), minutes=30, deleted=True)
    p.session("h", at(LAST, 21), minutes=30, deleted=False)
    assert p.grade(tmp_path, D).metric("h", "live_sessions_30d") == 2


# --- the window: D-30 .. D-1, T+1 -------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (FIRST - timedelta(days=1), 0),  # D-31: before the window
        (FIRST, 1),  # D-30: first day of the window
        (LAST, 1),  # D-1: last day of the window
        (D, 0),  # D itself: not yet counted (T+1)
    ],
)
def test_the_window_is_the_30_platform_days_before_the_evaluation_day(tmp_path, day, counted):
    p = Platform()
    p.host("h")
    p.session("h", at(day), minutes=20)
    p.host("b")
    p.buyers_for("b", 1, day)
    g = p.grade(tmp_path, D)
    assert g.metric("h", "live_sessions_30d") == counted
    assert g.metric("b", "live_buyers_30d") == counted


def test_the_window_edges_at_platform_midnight(tmp_path):
    p = Platform()
    p.host("h")
    p.session("h", "2026-10-26T23:59:59", "2026-10-27T00:30:00")  # starts on D-31: no
    p.session("h", "2026-10-27T00:00:00", "2026-10-27T00:30:00")  # starts on D-30: yes
    p.session("h", "2026-11-25T23:59:00", "2026-11-26T00:30:00")  # starts on D-1: yes
    p.session("h", "2026-11-26T00:00:00", "2026-11-26T00:30:00")  # starts on D: no
    assert p.grade(tmp_path, D).metric("h", "live_sessions_30d") == 2


# --- platform day: Asia/Shanghai, naive text is platform local ----------------------------


def test_utc_input_across_platform_midnight_counts_on_the_platform_day(tmp_path):
    p = Platform()
    p.host("h")
    # 2026-11-25T16:30Z is 2026-11-26 00:30 in Shanghai: day D, not counted yet.
    p.session("h", "2026-11-25T16:30:00Z", "2026-11-25T17:30:00Z")
    # 2026-10-26T16:00Z is 2026-10-27 00:00 in Shanghai: D-30, counted.
    p.session("h", "2026-10-26T16:00:00Z", "2026-10-26T17:00:00Z")
    # 2026-10-26T15:59:59Z is 2026-10-26 23:59:59 in Shanghai: D-31, not counted.
    p.session("h", "2026-10-26T15:59:59Z", "2026-10-26T17:00:00Z")
    # An explicit offset is honoured too: 2026-11-25 08:00-05:00 is 21:00 in Shanghai.
    p.session("h", "2026-11-25T08:00:00-05:00", "2026-11-25T09:00:00-05:00")
    assert p.grade(tmp_path, D).metric("h", "live_sessions_30d") == 2
    # A day later the 00:30 session is in (D-1) and the 00:00 one has left (D-31).
    assert p.grade(tmp_path / "next", D + timedelta(days=1)).metric("h", "live_sessions_30d") == 2


def test_parquet_timestamps_with_and_without_zone(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    p = Platform()
    p.host("h")
    folder = p.write(tmp_path, "parquet")
    utc = pa.timestamp("us", tz="UTC")
    pq.write_table(
        pa.table(
            {
                "session_id": ["z1", "z2", "n1"],
                "host_id": ["h", "h", "h"],
                # 16:30Z on 11-25 is 00:30 on D in Shanghai (not counted); 15:30Z is 23:30 on D-1.
                "started_at": pa.array(
                    [datetime(2026, 11, 25, 16, 30), datetime(2026, 11, 25, 15, 30), None], utc
                ),
                "ended_at": pa.array(
                    [datetime(2026, 11, 25, 17, 30), datetime(2026, 11, 25, 16, 30), None], utc
                ),
                "deleted": [False, False, False],
            }
        ),
        folder / "sessions.parquet",
    )
    from livetier import rulebooks
    from livetier.services.evaluate import evaluate

    result = evaluate(folder, D, rulebooks.load())
    assert result.metrics["h"]["live_sessions_30d"] == 1
    assert {p["row_id"] for p in result.problems if p["reason"] == "crosses_midnight"} == {"z2"}
    assert {p["row_id"] for p in result.problems if p["reason"] == "unparseable_timestamp"} == {
        "n1"
    }


def test_a_session_crossing_midnight_counts_on_its_start_day_and_is_reported(tmp_path):
    p = Platform()
    p.host("h")
    sid = p.session("h", "2026-11-25T23:50:00", "2026-11-26T00:20:00")
    g = p.grade(tmp_path, D)
    assert g.metric("h", "live_sessions_30d") == 1
    assert g.problems("crosses_midnight") == {sid}
    crossing = next(x for x in g.result.problems if x["row_id"] == sid)
    assert crossing["counted"] is True


# --- live buyers ------------------------------------------------------------------------


def test_a_buyer_counts_once_per_host_and_day_however_many_views_and_orders(tmp_path):
    p = Platform()
    p.host("h")
    s = p.session("h", at(LAST), minutes=60)
    for minute in (1, 2, 3):
        p.view(s, "b1", at(LAST, 20, minute))
    for minute in (10, 20):
        p.order("h", "b1", at(LAST, 20, minute))
    assert p.grade(tmp_path, D).metric("h", "live_buyers_30d") == 1


def test_the_same_buyer_on_another_day_counts_again(tmp_path):
    p = Platform()
    p.host("h")
    for day in (LAST - timedelta(days=1), LAST):
        s = p.session("h", at(day), minutes=60)
        p.view(s, "b1", at(day, 20, 5))
        p.order("h", "b1", at(day, 20, 10))
    assert p.grade(tmp_path, D).metric("h", "live_buyers_30d") == 2


def test_payment_before_the_view_does_not_count_and_at_the_same_instant_does(tmp_path):
    p = Platform()
    p.host("before")
    s = p.session("before", at(LAST), minutes=60)
    p.view(s, "b1", at(LAST, 20, 30))
    p.order("before", "b1", at(LAST, 20, 29, 59))
    p.host("same")
    s = p.session("same", at(LAST), minutes=60)
    p.view(s, "b1", at(LAST, 20, 30))
    p.order("same", "b1", at(LAST, 20, 30))
    g = p.grade(tmp_path, D)
    assert g.metric("before", "live_buyers_30d") == 0
    assert g.metric("same", "live_buyers_30d") == 1


def test_a_payment_after_midnight_does_not_count_for_the_viewing_day(tmp_path):
    p = Platform()
    p.host("h")
    day = LAST - timedelta(days=2)
    s = p.session("h", at(day, 23, 30), minutes=60)
    p.view(s, "b1", at(day, 23, 50))
    p.order("h", "b1", at(day + timedelta(days=1), 0, 10))  # next platform day, no view that day
    assert p.grade(tmp_path, D).metric("h", "live_buyers_30d") == 0


def test_a_later_view_the_same_day_is_enough(tmp_path):
    # The buyer paid after the first view but before the second: one view before it suffices.
    p = Platform()
    p.host("h")
    s = p.session("h", at(LAST), minutes=120)
    p.view(s, "b1", at(LAST, 20, 0))
    p.order("h", "b1", at(LAST, 20, 30))
    p.view(s, "b1", at(LAST, 21, 0))
    assert p.grade(tmp_path, D).metric("h", "live_buyers_30d") == 1


def test_unpaid_orders_and_other_hosts_sessions_never_count(tmp_path):
    p = Platform()
    p.host("h")
    p.host("other")
    s = p.session("h", at(LAST), minutes=60)
    p.view(s, "b1", at(LAST, 20, 5))
    p.order("h", "b1", None)  # unpaid
    s_other = p.session("other", at(LAST), minutes=60)
    p.view(s_other, "b2", at(LAST, 20, 5))
    p.order("h", "b2", at(LAST, 20, 10))  # paid h, but viewed only the other host
    g = p.grade(tmp_path, D)
    assert g.metric("h", "live_buyers_30d") == 0
    assert g.metric("other", "live_buyers_30d") == 0


def test_a_view_counts_on_its_own_platform_day_even_in_a_session_started_the_day_before(tmp_path):
    p = Platform()
    p.host("h")
    s = p.session("h", "2026-11-24T23:30:00", "2026-11-25T01:00:00")
    p.view(s, "b1", "2026-11-25T00:10:00")
    p.order("h", "b1", "2026-11-25T00:20:00")
    assert p.grade(tmp_path, D).metric("h", "live_buyers_30d") == 1


# --- which profile snapshot --------------------------------------------------------------


def test_the_latest_snapshot_on_or_before_d_minus_1_is_used(tmp_path):
    p = Platform()
    p.host("h", snapshot_date="2026-11-01", fans="100")
    p.host("h", snapshot_date="2026-11-25", fans="600")
    p.host("h", snapshot_date="2026-11-26", fans="9000")  # dated D: not yet visible
    p.host("late", snapshot_date="2026-11-26")  # no snapshot before D: not graded
    g = p.grade(tmp_path, D)
    assert g.metric("h", "fans") == 600
    assert g.metric("h", "snapshot_date") == date(2026, 11, 25)
    assert "late" not in g.result.metrics
    assert g.problems("not_graded") == {"late"}
    earlier = p.grade(tmp_path / "earlier", date(2026, 11, 25))
    assert earlier.metric("h", "fans") == 100


def test_a_file_without_snapshot_date_is_valid_for_every_day(tmp_path):
    p = Platform()
    p.host("h", fans="42")
    assert p.grade(tmp_path, date(2026, 2, 2)).metric("h", "fans") == 42


def test_conflicting_profiles_are_reported_and_the_host_is_not_graded(tmp_path):
    p = Platform()
    p.host("h", fans="1")
    p.host("h", fans="2")  # same host, no snapshot_date, different content
    p.host("twin")
    p.host("twin")  # identical rows collapse to one
    g = p.grade(tmp_path, D)
    assert "h" not in g.result.metrics
    assert g.problems("conflicting_duplicate") == {"h@*"}
    assert g.problems("not_graded") == {"h"}
    assert g.problems("duplicate_row") == {"twin@*"}
    assert g.metric("twin", "snapshot_date") is None


def test_an_unusable_newest_snapshot_is_not_replaced_by_an_older_one(tmp_path):
    # Grading on the stale 11-01 profile would fail open: the host is not graded instead.
    p = Platform()
    p.host("h", snapshot_date="2026-11-01")
    p.host("h", snapshot_date="2026-11-25", category_line="", dishonest_record="true")
    g = p.grade(tmp_path, D)
    assert "h" not in g.result.metrics
    assert g.problems("not_graded") == {"h"}
    assert g.problems("unknown_category_line") == {"h@2026-11-25"}


def test_codes_are_trimmed_and_case_insensitive_so_restrictions_cannot_be_dodged(tmp_path):
    p = Platform()
    p.host("padded", category=" E_Cigarette ")
    p.host("line", category_line=" Consumer ")
    p.host("blank_flag", enterprise_member=" ")  # blank is unknown, and unknown fails
    g = p.grade(tmp_path, D)
    assert g.tier("padded") == "none"
    assert g.metric("line", "fans") == 1000 and g[("line")].line == "consumer"
    assert g.tier("blank_flag") == "none"


def test_loose_iso_forms_parse_and_a_blank_payment_is_unpaid(tmp_path):
    p = Platform()
    p.host("h")
    s = p.session("h", "2026-11-25T20:00", "2026-11-25t20:30:00.1234567")
    p.view(s, "b1", "2026-11-25T12:05:00z")  # 20:05 in Shanghai
    p.order("h", "b1", "2026-11-25T20:10+08")
    p.order("h", "b2", " ")
    g = p.grade(tmp_path, D)
    assert g.metric("h", "live_sessions_30d") == 1
    assert g.metric("h", "live_buyers_30d") == 1
    assert g.result.problems == []
