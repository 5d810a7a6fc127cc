"""CICO's vocabularies (a student's phase, a day's status) and its two numbers (the default goal, the top
score): no pydantic here, so the main screen names them before the CICO models are built (:mod:`.cico`
holds the models and re-exports these)."""

from __future__ import annotations

from .enums import Vocab

__all__ = ["DEFAULT_GOAL", "MAX_SCORE", "CicoDayStatus", "CicoPhase"]

#: the goal when the school or the plan names none (per cent of the day's points)
DEFAULT_GOAL = 80
#: the highest score of one expectation in one period
MAX_SCORE = 2


class CicoPhase(Vocab):
    """Where a student is on CICO: the card with an adult, self-monitoring, graduated (or ended)."""

    CICO = "cico"
    SELF_MONITORING = "self_monitoring"
    GRADUATED = "graduated"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {"cico": "On CICO", "self_monitoring": "Self-monitoring"}.get(self.value) or Vocab.label.fget(self)


class CicoDayStatus(Vocab):
    """The day on the card: present, absent, no data (present, but no card came back) or no school."""

    PRESENT = "present"
    ABSENT = "absent"
    NO_DATA = "no_data"
    NO_SCHOOL = "no_school"
