"""A restorative process's vocabularies (roles, relations, willingness, items, closing reasons, board
stages) and its tiers' names: no pydantic here, so the coordinator's board and the main screen can name
them before a process model is built (:mod:`.process` holds the models and re-exports these)."""

from __future__ import annotations

from .enums import Vocab

__all__ = ["Acknowledgment", "ClosingReason", "ItemKind", "ItemStatus", "PartyRole", "Relation", "Stage", "TIER_NAMES",
           "Willingness"]


class _Words(Vocab):
    """A process word: its own labels first, then the shared rule (value with spaces, capitalised)."""

    @property
    def label(self) -> str:
        return _LABELS.get(self.value) or super().label


#: tier -> its name (Tier 1 relate, Tier 2 repair, Tier 3 restore)
TIER_NAMES = {1: "relate", 2: "repair", 3: "restore"}


class PartyRole(_Words):
    """A party's part in a process."""

    HARMED = "harmed"
    RESPONSIBLE = "responsible"
    BOTH = "both"                  # a conflict with harm on each side
    SUPPORTER = "supporter"
    FACILITATOR = "facilitator"
    CO_FACILITATOR = "co_facilitator"
    WITNESS = "witness"
    COMMUNITY = "community"

    @property
    def harmed(self) -> bool:
        """Harmed (alone or with harm on each side)."""
        return self in (PartyRole.HARMED, PartyRole.BOTH)

    @property
    def responsible(self) -> bool:
        """Responsible for harm (alone or with harm on each side)."""
        return self in (PartyRole.RESPONSIBLE, PartyRole.BOTH)


class Relation(_Words):
    """How an adult party is related to the school community."""

    PARENT_CAREGIVER = "parent_caregiver"
    TEACHER = "teacher"
    STAFF = "staff"
    COMMUNITY_MEMBER = "community_member"


class Acknowledgment(_Words):
    """Whether a responsible party acknowledges the harm."""

    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Willingness(_Words):
    """Whether a party is willing to take part."""

    YES = "yes"
    NO = "no"
    NOT_YET = "not_yet"


class ItemStatus(_Words):
    """Where an agreement item stands."""

    OPEN = "open"
    DONE = "done"
    NOT_DONE = "not_done"
    WAIVED = "waived"


class ItemKind(_Words):
    """An ordinary agreement item, or reparation / a community project (with partner, site, hours)."""

    ACTION = "action"
    REPARATION = "reparation"


class ClosingReason(_Words):
    """Why a process was closed."""

    COMPLETED = "agreement_completed"
    PARTLY_COMPLETED = "agreement_partly_completed"
    NOT_COMPLETED = "agreement_not_completed"
    DECLINED_HARMED = "declined_by_harmed"
    DECLINED_RESPONSIBLE = "declined_by_responsible"
    NOT_SUITABLE = "not_suitable"
    NO_CONTACT = "no_contact"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    HELD = "held"                  # a Tier 1 circle: held, nothing to follow


class Stage(_Words):
    """Where a process is on the coordinator's board (derived from the record, never stored)."""

    REFERRED = "referred"
    ASSESSING = "assessing"
    PREPARING = "preparing"
    SCHEDULED = "scheduled"
    FOLLOWING = "following"        # agreement being followed
    CLOSED = "closed"


_LABELS = {
    "both": "Both (harm on each side)", "co_facilitator": "Co-facilitator", "parent_caregiver": "Parent/caregiver",
    "community_member": "Community member", "not_yet": "Not yet", "not_done": "Not done",
    "agreement_completed": "Agreement completed", "agreement_partly_completed": "Agreement partly completed",
    "agreement_not_completed": "Agreement not completed", "declined_by_harmed": "Declined by the harmed party",
    "declined_by_responsible": "Declined by the responsible party", "held": "Held (Tier 1 circle)",
    "following": "Agreement being followed", "reparation": "Reparation / community project",
}
