"""The school clock: school-zone now/today, period labels, DST days, and the quick time forms."""

import datetime as dt

import pendulum
import pytest

from advocate_tui.clock import Clock, WhenError, parse_date, parse_when
from advocate_tui.profile import demo_profile

CHICAGO = "America/Chicago"


@pytest.fixture
def clock() -> Clock:
    """Monday 23 November 2026, 10:00 at Cedar Hollow (inside P3)."""
    return Clock.frozen(demo_profile(), "2026-11-23 10:00")


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=CHICAGO)


# --- Clock ------------------------------------------------------------------------------------


def test_frozen_iso_string_is_school_wall_time(clock):
    now = clock.now()
    assert now == at("2026-11-23 10:00")
    assert now.timezone_name == CHICAGO
    assert now.utcoffset() == dt.timedelta(hours=-6)


def test_today_is_the_schools_day_not_utcs():
    instant = "2026-11-24T03:30:00Z"  # already the 24th in UTC
    school = Clock.frozen(demo_profile(), instant)
    assert school.today() == pendulum.date(2026, 11, 23)
    assert school.now().hour == 21
    assert Clock.frozen("UTC", instant).today() == pendulum.date(2026, 11, 24)


def test_frozen_accepts_aware_and_naive_datetimes():
    aware = pendulum.datetime(2026, 11, 24, 3, 30, tz="UTC")
    assert Clock.frozen(CHICAGO, aware).now() == aware
    assert Clock.frozen(CHICAGO, aware).now().hour == 21
    naive = dt.datetime(2026, 11, 23, 9, 15)
    assert Clock.frozen(CHICAGO, naive).now() == at("2026-11-23 09:15")


def test_now_fn_is_converted_to_school_zone():
    instant = dt.datetime(2026, 7, 1, 15, 0, tzinfo=dt.UTC)
    clock = Clock(CHICAGO, now_fn=lambda: instant)
    assert clock.now().hour == 10  # CDT is UTC-5
    assert clock.now().timezone_name == CHICAGO
    assert clock.today() == pendulum.date(2026, 7, 1)
    assert not clock.is_frozen


def test_live_clock_runs_and_cannot_be_advanced():
    clock = Clock(pendulum.timezone(CHICAGO))
    assert abs(clock.now() - pendulum.now("UTC")).total_seconds() < 5
    with pytest.raises(RuntimeError):
        clock.advance(minutes=5)


def test_advance_and_set_move_a_frozen_clock(clock):
    assert clock.advance(minutes=45) == at("2026-11-23 10:45")
    assert clock.now() == at("2026-11-23 10:45")
    clock.advance(hours=14)
    assert clock.today() == pendulum.date(2026, 11, 24)
    assert clock.set("2026-12-01 08:10") == at("2026-12-01 08:10")


def test_label_inside_and_outside_periods(clock):
    assert clock.label() == "P3 · 10:00"
    assert clock.label(at("2026-11-23 09:50")) == "P3 · 09:50"
    assert clock.label(at("2026-11-23 10:42")) == "10:42"  # passing time
    assert clock.label(at("2026-11-23 11:50")) == "Lunch · 11:50"
    assert clock.label(at("2026-11-23 14:30")) == "P7 · 14:30"
    assert clock.label(at("2026-11-23 15:10")) == "15:10"  # P7 has ended
    assert clock.label(at("2026-11-23 07:05")) == "07:05"


def test_label_and_period_use_school_time_for_utc_input(clock):
    utc = pendulum.datetime(2026, 11, 23, 16, 42, tz="UTC")  # 10:42 in Chicago
    assert clock.label(utc) == "10:42"
    assert clock.period_at(pendulum.datetime(2026, 11, 23, 14, 5, tz="UTC")).name == "P1"


def test_period_at_and_clock_without_profile(clock):
    assert clock.period_at().name == "P3"
    assert clock.period_at(at("2026-11-23 12:20")).name == "P5"
    assert clock.period_at(at("2026-11-23 18:00")) is None
    bare = Clock.frozen(CHICAGO, "2026-11-23 10:00")
    assert bare.period_at() is None
    assert bare.label() == "10:00"


def test_day_bounds_ordinary_day(clock):
    start, end = clock.day_bounds()
    assert start == at("2026-11-23 00:00") and end == at("2026-11-24 00:00")
    assert start.timezone_name == CHICAGO
    assert clock.day_bounds(pendulum.date(2026, 11, 20))[0] == at("2026-11-20 00:00")


def test_day_bounds_on_dst_days(clock):
    start, end = clock.day_bounds(pendulum.date(2026, 3, 8))  # clocks spring forward
    assert (end - start).total_seconds() == 23 * 3600
    assert start.utcoffset() == dt.timedelta(hours=-6)
    assert end.utcoffset() == dt.timedelta(hours=-5)
    start, end = clock.day_bounds("2026-11-01")  # clocks fall back
    assert (end - start).total_seconds() == 25 * 3600
    assert start.in_timezone("UTC") == pendulum.datetime(2026, 11, 1, 5, tz="UTC")


def test_local_shows_a_stored_time_in_the_school_zone_across_the_fall_back_hour(clock):
    """A record saved at 01:30 before the clocks fall back and one at 01:30 after (stored with their
    offsets, read back in any zone) show the same wall time, each with its own offset, in order."""
    first, second = dt.datetime(2026, 11, 1, 6, 30, tzinfo=dt.UTC), dt.datetime(2026, 11, 1, 7, 30, tzinfo=dt.UTC)
    for stored in (first, second, first.astimezone(dt.timezone(dt.timedelta(hours=2))), second.isoformat()):
        value = dt.datetime.fromisoformat(stored) if isinstance(stored, str) else stored
        shown = clock.local(value)
        assert isinstance(shown, pendulum.DateTime) and shown.timezone_name == CHICAGO
        assert shown.format("HH:mm") == "01:30" and shown.timestamp() == value.timestamp()
    early, late = clock.local(first), clock.local(second)
    assert early.utcoffset() == dt.timedelta(hours=-5) and late.utcoffset() == dt.timedelta(hours=-6)
    assert (early.fold, late.fold) == (0, 1) and early.timestamp() + 3600 == late.timestamp()
    assert clock.local(dt.datetime(2026, 7, 1, 15, 0, tzinfo=dt.UTC)).format("YYYY-MM-DD HH:mm Z") == "2026-07-01 10:00 -05:00"
    assert clock.local(at("2026-11-23 10:00")) == at("2026-11-23 10:00")  # already school time: as it was


# --- parse_when -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:40", "2026-11-23 10:40"),
        ("1040", "2026-11-23 10:40"),
        ("940", "2026-11-23 09:40"),
        ("9:05", "2026-11-23 09:05"),
        ("2:15pm", "2026-11-23 14:15"),
        ("2:15 PM", "2026-11-23 14:15"),
        ("2pm", "2026-11-23 14:00"),
        ("9:30am", "2026-11-23 09:30"),
        ("12:05am", "2026-11-23 00:05"),
        ("12:30 p.m.", "2026-11-23 12:30"),
        ("14:15", "2026-11-23 14:15"),
        ("  08:00  ", "2026-11-23 08:00"),
        ("-15m", "2026-11-23 09:45"),
        ("-2h", "2026-11-23 08:00"),
        ("-1h30m", "2026-11-23 08:30"),
        ("- 90 min", "2026-11-23 08:30"),
        ("P3", "2026-11-23 09:50"),
        ("p7", "2026-11-23 14:05"),
        ("Lunch", "2026-11-23 11:35"),
        ("yesterday 10:40", "2026-11-22 10:40"),
        ("Yesterday P1", "2026-11-22 08:00"),
        ("today 2pm", "2026-11-23 14:00"),
        ("2026-11-20 10:40", "2026-11-20 10:40"),
        ("2026-11-20T10:40", "2026-11-20 10:40"),
    ],
)
def test_parse_when_forms(clock, text, expected):
    result = parse_when(text, clock)
    assert result == at(expected)
    assert result.timezone_name == CHICAGO


@pytest.mark.parametrize("text", ["", "now", "NOW", "   "])
def test_parse_when_now(clock, text):
    assert parse_when(text, clock) == clock.now()


def test_parse_when_iso_with_offset_is_converted(clock):
    assert parse_when("2026-11-20T16:40:00Z", clock) == at("2026-11-20 10:40")
    assert parse_when("2026-11-20T16:40:00Z", clock).timezone_name == CHICAGO


def test_parse_when_relative_crosses_midnight():
    clock = Clock.frozen(CHICAGO, "2026-11-23 00:10")
    assert parse_when("-15m", clock) == at("2026-11-22 23:55")


def test_parse_when_today_is_the_schools_today():
    clock = Clock.frozen(demo_profile(), "2026-11-24T03:30:00Z")  # 21:30 on the 23rd at school
    assert parse_when("10:40", clock) == at("2026-11-23 10:40")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("10:75", '"10:75" is not a time — try 10:40, -15m or P3'),
        ("25:00", '"25:00" is not a time — try 10:40, -15m or P3'),
        ("13pm", '"13pm" is not a time — try 10:40, -15m or P3'),
        ("0:30am", '"0:30am" is not a time — try 10:40, -15m or P3'),
        ("10", '"10" is not a time — try 10:40, -15m or P3'),
        ("soon", '"soon" is not a time — try 10:40, -15m or P3'),
        ("-15", '"-15" is not a time — try 10:40, -15m or P3'),
        ("+15m", '"+15m" is not a time — try 10:40, -15m or P3'),
        ("yesterday", '"yesterday" is not a time — try 10:40, -15m or P3'),
        ("yesterday 10:99", '"yesterday 10:99" is not a time — try 10:40, -15m or P3'),
        ("P9", 'there is no period "P9" — periods are P1, P2, P3, P4, Lunch, P5, P6, P7'),
        ("2026-02-30 10:00", '"2026-02-30 10:00" has no such date — try 10:40, -15m or P3'),
        ("2026-11-20 banana", '"2026-11-20 banana" is not a time — try 10:40, -15m or P3'),
    ],
)
def test_parse_when_errors(clock, text, message):
    with pytest.raises(WhenError) as info:
        parse_when(text, clock)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_parse_when_period_needs_a_profile():
    bare = Clock.frozen(CHICAGO, "2026-11-23 10:00")
    with pytest.raises(WhenError, match='"P3" is not a time'):
        parse_when("P3", bare)
    assert parse_when("10:40", bare) == at("2026-11-23 10:40")


# --- parse_date -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (2026, 11, 23)),
        ("today", (2026, 11, 23)),
        ("Tomorrow", (2026, 11, 24)),
        ("yesterday", (2026, 11, 22)),
        ("+3d", (2026, 11, 26)),
        ("+10d", (2026, 12, 3)),
        ("-2d", (2026, 11, 21)),
        ("+1w", (2026, 11, 30)),
        ("mon", (2026, 11, 30)),  # today is a Monday: the next one
        ("tue", (2026, 11, 24)),
        ("wed", (2026, 11, 25)),
        ("thu", (2026, 11, 26)),
        ("fri", (2026, 11, 27)),
        ("Friday", (2026, 11, 27)),
        ("sat", (2026, 11, 28)),
        ("2026-11-30", (2026, 11, 30)),
        ("2027-01-04", (2027, 1, 4)),
        ("11/30", (2026, 11, 30)),
        ("1/4/2027", (2027, 1, 4)),
        ("1/4/27", (2027, 1, 4)),
    ],
)
def test_parse_date_forms_without_a_calendar(text, expected):
    """A clock made from a bare timezone knows no school calendar: days are calendar days."""
    result = parse_date(text, Clock.frozen(CHICAGO, "2026-11-23 10:00"))
    assert result == pendulum.date(*expected)
    assert isinstance(result, pendulum.Date)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (2026, 11, 23)),
        ("Tomorrow", (2026, 11, 24)),
        ("+1d", (2026, 11, 24)),
        ("+2d", (2026, 11, 25)),
        ("+3d", (2026, 11, 30)),    # Thu 26 and Fri 27 are the Thanksgiving break, then the weekend
        ("+10d", (2026, 12, 9)),
        ("yesterday", (2026, 11, 20)),  # Monday: the last school day was Friday
        ("-2d", (2026, 11, 19)),
        ("+1w", (2026, 11, 30)),
        ("fri", (2026, 11, 27)),    # named outright: taken as typed (the form notes it has no school)
        ("sat", (2026, 11, 28)),
        ("2026-11-26", (2026, 11, 26)),
    ],
)
def test_parse_date_counts_school_days_on_the_school_calendar(clock, text, expected):
    result = parse_date(text, clock)
    assert result == pendulum.date(*expected)
    assert isinstance(result, pendulum.Date)


def test_tomorrow_and_plus_days_step_over_the_break_and_the_weekend():
    clock = Clock.frozen(demo_profile(), "2026-11-25 10:00")   # the Wednesday before Thanksgiving
    assert parse_date("tomorrow", clock) == pendulum.date(2026, 11, 30)
    assert parse_date("+3d", clock) == pendulum.date(2026, 12, 2)
    assert clock.day_off(pendulum.date(2026, 11, 26)) == "Thanksgiving break"
    assert clock.day_off(pendulum.date(2026, 11, 28)) == "weekend"
    assert clock.day_off() is None
    assert Clock.frozen(CHICAGO, "2026-11-26 10:00").day_off() is None    # no profile, no calendar
    holiday = Clock.frozen(demo_profile(), "2026-11-26 10:00")
    assert holiday.period_at() is None and holiday.label() == "10:00"      # no bells on Thanksgiving


def test_parse_date_uses_the_schools_today():
    clock = Clock.frozen(demo_profile(), "2026-11-24T03:30:00Z")
    assert parse_date("today", clock) == pendulum.date(2026, 11, 23)
    assert parse_date("tomorrow", clock) == pendulum.date(2026, 11, 24)
    assert parse_date("mon", clock) == pendulum.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("someday", '"someday" is not a date — try today, +3d, fri or 11/30'),
        ("t", '"t" is not a date — try today, +3d, fri or 11/30'),
        ("+3", '"+3" is not a date — try today, +3d, fri or 11/30'),
        ("13/45", '"13/45" has no such date — try today, +3d, fri or 11/30'),
        ("2/30", '"2/30" has no such date — try today, +3d, fri or 11/30'),
        ("2026-13-01", '"2026-13-01" has no such date — try today, +3d, fri or 11/30'),
        ("10:40", '"10:40" is not a date — try today, +3d, fri or 11/30'),
    ],
)
def test_parse_date_errors(clock, text, message):
    with pytest.raises(WhenError) as info:
        parse_date(text, clock)
    assert str(info.value) == message


# --- huge offsets (QA: typing "-9999999999m" crashed the form's live preview) -------------------

@pytest.mark.parametrize("text", ["-9999999999m", "-99999999m", "-745h", "-99999999999999999999h"])
def test_relative_times_too_far_back_are_refused_in_words(text):
    from advocate_tui.clock import Clock, WhenError, parse_when
    from advocate_tui.profile import demo_profile

    clock = Clock.frozen(demo_profile(), "2026-11-23 10:45")
    with pytest.raises(WhenError, match="too far back"):
        parse_when(text, clock)


@pytest.mark.parametrize("text", ["+999999999d", "+400d", "-99999999999999999999w"])
def test_relative_dates_more_than_a_year_away_are_refused_in_words(text):
    from advocate_tui.clock import Clock, WhenError, parse_date
    from advocate_tui.profile import demo_profile

    clock = Clock.frozen(demo_profile(), "2026-11-23 10:45")
    with pytest.raises(WhenError, match="more than a year away"):
        parse_date(text, clock)


def test_any_text_is_a_time_or_a_clear_error():
    from hypothesis import given, settings, strategies as st

    from advocate_tui.clock import Clock, WhenError, parse_date, parse_when
    from advocate_tui.profile import demo_profile

    clock = Clock.frozen(demo_profile(), "2026-11-23 10:45")
    alphabet = st.sampled_from(list("0123456789+-:/ hmdwpPyesterdaytomorrownow"))

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet, max_size=24))
    def check(text):
        for parse in (parse_when, parse_date):
            try:
                parse(text, clock)
            except WhenError:
                pass

    check()
