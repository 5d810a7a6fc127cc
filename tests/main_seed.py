"""A fixed, fictional day at the demo school for the main-screen tests (clock frozen at 10:45 Monday).

Today (2026-11-23): two incidents, a door found propped open and two secure, a finished patrol round
with an issue, two contact notes, an attendance follow-up, a referral, and one voided incident.
Carried over from Friday (2026-11-20): a referral not closed, an open attendance follow-up and an
incident whose follow-up is due today.
"""

from __future__ import annotations

import datetime as dt

import pendulum

from advocate_tui.models import (
    AttendanceFollowUp,
    AttendanceKind,
    CheckpointStatus,
    CheckpointVisit,
    ContactKind,
    ContactNote,
    DoorCheck,
    DoorStatus,
    Incident,
    IncidentStudent,
    PatrolRound,
    Referral,
    ReferralPurpose,
    StudentRole,
    Urgency,
)

TZ = "America/Chicago"


def at(text: str) -> pendulum.DateTime:
    return pendulum.parse(text, tz=TZ)


def saved_at(store, when: pendulum.DateTime):
    """The same database seen by a desk whose clock says ``when`` (records saved on an earlier day)."""
    return store.replay(now=lambda: when)


def seed_day(store) -> dict[str, str]:
    """Write the fixed day; return the ids of the records tests look for."""
    ids = {}
    friday = dt.date(2026, 11, 20)
    today, store = store, saved_at(store, at("2026-11-20 15:30"))  # Friday's records, saved on Friday
    ids["old_incident"] = store.add(Incident(
        occurred_at=at("2026-11-20 13:15"), location="Gym", behavior="Physical contact",
        students=[IncidentStudent(student_id="S1004", role=StudentRole.RESPONSIBLE)],
        description="Shoving in line", follow_up_date=dt.date(2026, 11, 23))).id
    ids["old_referral"] = store.add(Referral(
        referred_at=at("2026-11-20 14:00"), students=["S1005"], destination="Counselor",
        purpose=ReferralPurpose.SERVICES, reason="Asked to talk to someone about home")).id
    ids["old_attendance"] = store.add(AttendanceFollowUp(
        student_id="S1006", date=friday, attendance_kind=AttendanceKind.ABSENT_UNEXCUSED, periods=["P1", "P2"])).id
    store = today
    ids["fight"] = store.add(Incident(
        occurred_at=at("2026-11-23 09:12"), location="Hallway", behavior="Disrespect",
        students=[IncidentStudent(student_id="S1001", role=StudentRole.RESPONSIBLE),
                  IncidentStudent(student_id="S1003", role=StudentRole.HARMED)],
        description="Name-calling at the lockers")).id
    ids["tardy"] = store.add(Incident(
        occurred_at=at("2026-11-23 10:20"), location="Cafeteria", behavior="Disruption",
        students=[IncidentStudent(student_id="S1006")], description="Loud at the snack line")).id
    voided = store.add(Incident(occurred_at=at("2026-11-23 08:05"), location="Library", behavior="Defiance",
                                students=[IncidentStudent(student_id="S1002")], description="Logged by mistake"))
    store.void(Incident, voided.id, "wrong student")
    ids["voided"] = voided.id
    ids["propped"] = store.add(DoorCheck(door="Gym east", checked_at=at("2026-11-23 07:40"),
                                         status=DoorStatus.PROPPED_OPEN, note="Wedged with a chair")).id
    store.add(DoorCheck(door="Main entrance", checked_at=at("2026-11-23 07:35")))
    store.add(DoorCheck(door="Bus loop", checked_at=at("2026-11-23 07:45")))
    ids["round"] = store.add(PatrolRound(
        zone="South wing", started_at=at("2026-11-23 09:30"), finished_at=at("2026-11-23 09:50"),
        checkpoints=[CheckpointVisit(checkpoint="Cafeteria", reached_at=at("2026-11-23 09:32")),
                     CheckpointVisit(checkpoint="Gym lobby", reached_at=at("2026-11-23 09:38"),
                                     status=CheckpointStatus.ISSUE, note="Students without passes")])).id
    ids["note"] = store.add(ContactNote(student_id="S1003", at=at("2026-11-23 09:40"),
                                        contact_kind=ContactKind.RESTORATIVE_CONVERSATION,
                                        note="Talked through the hallway incident", for_coordinator=True)).id
    ids["call"] = store.add(ContactNote(student_id="S1006", at=at("2026-11-23 10:05"),
                                        contact_kind=ContactKind.CAREGIVER_CALL, note="Left a voicemail for grandma",
                                        follow_up_date=dt.date(2026, 11, 24))).id
    ids["attendance"] = store.add(AttendanceFollowUp(student_id="S1005", date=dt.date(2026, 11, 23),
                                                     attendance_kind=AttendanceKind.TARDY, periods=["P1"],
                                                     cause="Missed the bus")).id
    ids["referral"] = store.add(Referral(referred_at=at("2026-11-23 09:55"), students=["S1001", "S1003"],
                                         destination="RJ coordinator", purpose=ReferralPurpose.MEDIATION,
                                         urgency=Urgency.SOON, reason="Hallway conflict", incident_id=ids["fight"])).id
    return ids


def screen_text(app) -> str:
    """What the current screen shows, as plain text lines (what a person would read)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def find(pilot, letters: str):
    """``/`` on the main screen, then ``letters`` typed into the search box."""
    await pilot.press("slash")
    await pilot.pause()
    for ch in letters:
        await pilot.press("space" if ch == " " else ch)
    await pilot.pause()
