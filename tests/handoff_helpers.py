"""Shared helpers of the handoff tests: a day of fictional activity made through the store.

The pilot test of a full day enters its referrals through the referral form by keys; the service,
bundle, crash and coordinator tests save them through the store.
"""

from __future__ import annotations

from advocate_tui.models import (
    AttendanceFollowUp,
    AttendanceKind,
    CheckpointStatus,
    CheckpointVisit,
    ContactNote,
    DoorCheck,
    DoorStatus,
    Incident,
    IncidentStudent,
    Level,
    PatrolRound,
    Referral,
    ReferralPurpose,
    Urgency,
)


def referral(desk, students, reason, *, urgency=Urgency.ROUTINE, purpose=ReferralPurpose.CONFERENCE,
             at=None, destination="RJ Coordinator"):
    """Save a referral made now (or at ``at``)."""
    return desk.store.add(Referral(referred_at=at or desk.clock.now(), students=list(students), reason=reason,
                                   urgency=urgency, purpose=purpose, destination=destination))


def busy_day(desk, *, referrals: bool = True):
    """Three referrals, two incidents, an attendance follow-up, a door and a patrol exception, two notes.

    With ``referrals=False`` the referrals are left out (a test enters them through the form).
    """
    now = desk.clock.now()
    refs = [] if not referrals else [
        referral(desk, ["S1001"], "Conflict with a peer in the cafeteria", at=now.subtract(hours=2)),
        referral(desk, ["S1003", "S1004"], "=HYPERLINK(\"x\") rumour spreading, needs a circle",
                 urgency=Urgency.URGENT, purpose=ReferralPurpose.CIRCLE, at=now.subtract(hours=1)),
        referral(desk, ["S1005"], "Re-entry after absence", urgency=Urgency.SOON,
                 purpose=ReferralPurpose.REENTRY_MEETING),
    ]
    store = desk.store
    minor = store.add(Incident(occurred_at=now.subtract(hours=3), location="Hallway B", behavior="Disruption",
                               students=[IncidentStudent(student_id="S1001")]))
    major = store.add(Incident(occurred_at=now.subtract(hours=1), location="Gym", behavior="Fighting",
                               level=Level.MAJOR, students=[IncidentStudent(student_id="S1004")]))
    att = store.add(AttendanceFollowUp(student_id="S1006", date=desk.clock.today(),
                                       attendance_kind=AttendanceKind.TARDY, periods=["P1"]))
    door = store.add(DoorCheck(door="North Exit", checked_at=now.subtract(hours=2),
                               status=DoorStatus.PROPPED_OPEN, note="Wedged with a book"))
    secure = store.add(DoorCheck(door="Main Entrance", checked_at=now.subtract(hours=2)))
    patrol = store.add(PatrolRound(zone="Zone A", started_at=now.subtract(minutes=30), checkpoints=[
        CheckpointVisit(checkpoint="Stairwell 1", reached_at=now.subtract(minutes=29)),
        CheckpointVisit(checkpoint="Stairwell 2", reached_at=now.subtract(minutes=25),
                        status=CheckpointStatus.ISSUE, note="Student out of class"),
    ]))
    flagged = store.add(ContactNote(student_id="S1002", at=now.subtract(minutes=40), note="Asked to talk to the coordinator",
                                    for_coordinator=True))
    plain = store.add(ContactNote(student_id="S1002", at=now.subtract(minutes=20), note="Routine check-in"))
    return {"referrals": refs, "minor": minor, "major": major, "attendance": att, "door": door, "secure": secure,
            "patrol": patrol, "flagged": flagged, "plain": plain}


def trust_of(desk) -> str:
    """The desk's key fingerprint, as its person reads it off ``advocate check`` or the handoff screen."""
    from advocate_tui.services.signing import desk_signer

    return desk_signer(desk).fingerprint


def as_the_coordinator_keeps_it(record, school: str = "cedar-hollow-hs") -> dict:
    """A record as a coordinator's database holds it: every student it names keyed '<school>:<number>'
    (a coordinator serves several schools, which may use the same numbers)."""
    data = record.model_dump()
    if "students" in data and data["students"] and isinstance(data["students"][0], str):
        data["students"] = [f"{school}:{sid}" for sid in data["students"]]
    return data
