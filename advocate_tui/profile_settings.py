"""The profile's settings of the school's practices beyond incidents: the kinds of restorative process (issue 12),
hall sweeps, the Peace Room and Check-In/Check-Out (issue 14), each with the school's defaults."""

from dataclasses import field
from typing import Annotated

from .profile_fields import Limits, Name, Strict, listed, strict


# --- restorative processes (issue 12) ------------------------------------------------------------

_DEFAULT_PROCESS_KINDS = (
    ("restorative_conversation", "Restorative conversation", 1), ("class_circle", "Community/class circle", 1),
    ("harm_circle", "Harm circle", 2), ("conference", "Conference", 2), ("peer_mediation", "Peer mediation", 2),
    ("adult_mediation", "Adult mediation", 2), ("reentry", "Re-entry meeting or circle", 3),
    ("circle_of_support", "Circle of support", 3),
)


@strict
class ProcessKindSetting(Strict):
    """A kind of restorative process, its tier (1 relate, 2 repair, 3 restore) and the check-ins it starts
    with (days after the first meeting)."""

    key: Annotated[str, Limits(pattern=r"^[a-z0-9_]{1,40}$")]
    name: Name
    tier: Annotated[int, Limits(ge=1, le=3)]
    check_in_days: Annotated[list[Annotated[int, Limits(ge=1, le=365)]], Limits(max_length=10)] = field(
        default_factory=list)


@strict
class ProcessSettings(Strict):
    """The kinds of restorative process the school runs (default: the eight of Tiers 1-3); a re-entry's
    check-ins default to 2 and 4 weeks after its meeting."""

    kinds: Annotated[list[ProcessKindSetting], listed("process kind")] = field(default_factory=lambda: [
        ProcessKindSetting(key=k, name=n, tier=t, check_in_days=[14, 28] if k == "reentry" else [])
        for k, n, t in _DEFAULT_PROCESS_KINDS])

    def kind(self, key: str) -> ProcessKindSetting | None:
        """The kind with this key (or, failing that, this name), or None."""
        folded = key.strip().casefold()
        return next((k for k in self.kinds if k.key == folded or k.name.casefold() == folded), None)


# --- the rest of the day: hall sweeps, the Peace Room, CICO (issue 14) --------------------------

_DEFAULT_SWEEP_PLACES = ("Hallway", "Restroom", "Stairwell", "Cafeteria", "Library", "Locker area", "Outside",
                         "Parking lot")
_DEFAULT_SENT_TO = ("Back to class", "Office", "Nurse", "Peace Room", "Counselor")
_DEFAULT_PEACE_REASONS = ("Cool down", "Conflict with a peer", "Conflict with an adult", "Upset or anxious",
                          "Sent from a sweep", "Re-entry", "Other")
_DEFAULT_EXPECTATIONS = ("Be safe", "Be respectful", "Be responsible")


@strict
class SweepSettings(Strict):
    """Hall sweeps: where students are met out of class and where they can be sent (the first is "back
    to class"; one named like the Peace Room opens a visit)."""

    places: Annotated[list[Name], listed("sweep place")] = field(default_factory=lambda: list(_DEFAULT_SWEEP_PLACES))
    sent_to: Annotated[list[Name], listed("place to send a student")] = field(
        default_factory=lambda: list(_DEFAULT_SENT_TO))


@strict
class PeaceRoomSettings(Strict):
    """The Peace Room: why students come."""

    reasons: Annotated[list[Name], listed("Peace Room reason")] = field(
        default_factory=lambda: list(_DEFAULT_PEACE_REASONS))


@strict
class CicoSettings(Strict):
    """Check-In/Check-Out: the school's 3-5 expectations, scored 0-2 each period, and the daily goal."""

    expectations: Annotated[list[Name], Limits(min_length=3, max_length=5), listed("expectation")] = field(
        default_factory=lambda: list(_DEFAULT_EXPECTATIONS))
    goal_percent: Annotated[int, Limits(ge=10, le=100)] = 80
