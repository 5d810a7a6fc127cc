"""The main screen's first read at start: what it shows, and that every query of it reads an index.

On a decade's encrypted file every row read is a page decrypted: a query that goes through a whole
record table (or every earlier day of one) makes each start slower as the years pile up.
"""

from __future__ import annotations

import pendulum

from advocate_tui.models import Referral, ReferralOutcome, ReferralPurpose, ReferralStatus
from advocate_tui.services import today

from main_seed import at, saved_at, seed_day


def closed_on_friday(store, decided: pendulum.DateTime, reason: str) -> str:
    """A referral of Friday the coordinator closed at ``decided``."""
    return saved_at(store, at("2026-11-20 15:00")).add(Referral(
        referred_at=at("2026-11-20 11:00"), students=["S1002"], destination="RJ coordinator",
        purpose=ReferralPurpose.CONFERENCE, reason=reason, status=ReferralStatus.CLOSED,
        outcome=ReferralOutcome.AGREEMENT_REACHED, closed_at=decided, decided_at=decided)).id


async def test_the_referrals_pane_carries_open_ones_and_those_closed_since_the_last_handoff(make_app, desk):
    ids = seed_day(desk.store)
    # no handoff yet: "since the last handoff" is since the start of today (Monday 11/23)
    this_morning = closed_on_friday(desk.store, at("2026-11-23 07:30"), "Closed this morning")
    last_night = closed_on_friday(desk.store, at("2026-11-22 20:00"), "Closed last night")
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#referrals").rows
        assert [(r.key, r.carried) for r in rows] == [
            (ids["referral"], False), (ids["old_referral"], True), (this_morning, True)]
        assert last_night not in {r.key for r in rows}
        assert app.screen.query_one("#status").counts.open_referrals == 2
        assert app.screen.query_one("#status").counts.attendance_due == 2


def test_every_query_of_the_first_read_reads_an_index(desk):
    """No query of the main screen's first read goes through a whole record table, or through every
    earlier day of one: each is a search or an ordered walk of an index (SQLite's query plans)."""
    seed_day(desk.store)
    conn = desk.store.db.conn
    sent: list[str] = []
    conn.set_trace_callback(sent.append)
    try:
        view = today.load(desk)
    finally:
        conn.set_trace_callback(None)
    assert view.panes["referrals"] and view.counts.attendance_due == 2
    reads = [s for s in sent if s.lstrip().upper().startswith("SELECT")]
    partial = {name for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
               if sql and " WHERE " in sql.upper()}
    assert len(reads) > 10
    for sql in reads:
        plan = [row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}").fetchall()]
        whole = [step for step in plan if step.startswith("SCAN ") and " USING " not in step
                 and "VIRTUAL TABLE" not in step]
        # (a partial index's walk by day, e.g. idx_referrals_open, holds only its few rows: the open ones)
        every_day = [step for step in plan if "(day<?)" in step and _index_in(step) not in partial]
        assert not whole and not every_day, f"{' '.join(sql.split())[:120]}: {plan}"


def _index_in(step: str) -> str | None:
    """The index a query plan's step reads ("SEARCH t USING INDEX idx (day<?)" -> "idx"), None for none."""
    words = step.split()
    return words[words.index("INDEX") + 1] if "INDEX" in words else None


def test_a_full_incidents_pane_lists_the_late_once_then_the_carried_to_the_page(desk, monkeypatch):
    """Late incidents whose follow-ups are also due show once (as late), and the carried ones fill the
    rest of the page, the latest due first; the students named are those of the rows shown only."""
    import datetime as dt

    from advocate_tui.models import Incident, IncidentStudent
    from advocate_tui.services import rows

    monkeypatch.setattr(rows, "PAGE", 4)
    friday = saved_at(desk.store, at("2026-11-20 15:30"))
    carried = [friday.add(Incident(occurred_at=at("2026-11-20 09:00").add(minutes=n), location="Gym",
                                   behavior="Defiance", students=[IncidentStudent(student_id=f"S100{n + 1}")],
                                   follow_up_date=dt.date(2026, 11, 20) + dt.timedelta(days=n))).id
               for n in range(5)]  # due on Friday, … Monday (today), and Tuesday's not yet
    # saved this morning for Friday (no handoff since): logged late, and their follow-ups are due too
    this_morning = saved_at(desk.store, at("2026-11-23 08:00"))
    late = [this_morning.add(Incident(occurred_at=at("2026-11-20 14:00").add(minutes=n), location="Hall",
                                      behavior="Tardy", students=[IncidentStudent(student_id="S1006")],
                                      follow_up_date=dt.date(2026, 11, 23))).id for n in range(2)]
    asked: list[list[str]] = []
    real = type(desk.store).student_labels
    monkeypatch.setattr(type(desk.store), "student_labels", lambda store, ids: asked.append(list(ids)) or real(store, ids))
    shown = today.pane_rows(desk, "incidents")
    assert [r.key for r in shown] == [late[1], late[0], carried[3], carried[2]]  # due Monday, Sunday
    assert [(r.late, r.carried) for r in shown] == [(True, False)] * 2 + [(False, True)] * 2
    assert {s for ids in asked for s in ids} == {"S1006", "S1004", "S1003"}
