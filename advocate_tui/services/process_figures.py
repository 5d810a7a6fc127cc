"""The restorative programme's figures over a stretch of school days (processes by kind and stage, how they closed,
days from referral to meeting, repeated harm after a meeting) and the same as the data screen's tables; in a
coordinator's database, of one school or every school."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..desk import Desk
from ..models.process_words import ItemStatus
from ..store import processes as q
from .process_lists import STAGES, kind_name, of_school
from ..models.kinds import REFERRAL

if TYPE_CHECKING:
    from ..models.referral import Referral


#: the days after a meeting within which a new incident counts as repeated harm
REPEAT_WINDOWS = (30, 60, 90)
# ------------------------------------------------------------------ the programme's figures


@dataclass
class Figures:
    """What the programme learns from its processes over a range of days (exact counts; the report
    suppresses small ones)."""

    processes: int = 0
    by_kind: Counter = field(default_factory=Counter)
    by_tier: Counter = field(default_factory=Counter)
    by_stage: Counter = field(default_factory=Counter)
    referrals: int = 0
    referrals_to_meeting: int = 0
    #: days from each such referral to its first meeting held
    days_to_meeting: list[int] = field(default_factory=list)
    agreements_ended: int = 0           #: agreements with no item left open
    agreements_on_time: int = 0         #: ... every item (not waived) done by its due date
    #: responsible students after a held meeting whose window has passed, per window (days)
    repeat_basis: dict[int, int] = field(default_factory=dict)
    repeat_harm: dict[int, int] = field(default_factory=dict)
    #: questionnaire answers: each score's list; would take part again (yes, answered)
    scores: dict[str, list[int]] = field(default_factory=lambda: {"felt_heard": [], "fair": [], "repaired": []})
    again_yes: int = 0
    again_answered: int = 0
    harmed_processes: int = 0           #: closed processes with a harmed party and an agreement
    harmed_told: int = 0

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days_to_meeting) if self.days_to_meeting else None

    def average(self, score: str) -> float | None:
        values = self.scores[score]
        return round(sum(values) / len(values), 2) if values else None


def figures(desk: Desk, start: date, end: date, school: str | None = None) -> Figures:
    """The figures of processes started (and referrals made) on the days ``start``..``end``; in a
    coordinator's database ``school`` (a short name) counts that school's only (None: every school)."""
    store, f = desk.store, Figures()
    local = desk.clock.local
    today = desk.clock.today()
    processes = of_school(desk, q.processes_between(store, start, end), school)
    f.processes = len(processes)
    for p in processes:
        f.by_kind[kind_name(desk, p.process_kind)] += 1
        f.by_tier[p.tier] += 1
        f.by_stage[p.stage] += 1
        if p.items and not any(i.status is ItemStatus.OPEN for i in p.items):
            f.agreements_ended += 1
            if all(i.status is ItemStatus.WAIVED or (i.status is ItemStatus.DONE and not i.done_late) for i in p.items):
                f.agreements_on_time += 1
        first = p.first_meeting
        if first is not None:
            met = local(first.at).date()
            for party in p.parties:
                if party.student_id and party.role.responsible:
                    for window in REPEAT_WINDOWS:
                        if met + timedelta(days=window) <= today:
                            f.repeat_basis[window] = f.repeat_basis.get(window, 0) + 1
                            if q.harm_days(store, party.student_id, met, met + timedelta(days=window)):
                                f.repeat_harm[window] = f.repeat_harm.get(window, 0) + 1
        for party in p.parties:
            if party.questionnaire:
                for score in f.scores:
                    if (value := getattr(party.questionnaire, score)) is not None:
                        f.scores[score].append(value)
                if party.questionnaire.again is not None:
                    f.again_answered += 1
                    f.again_yes += party.questionnaire.again
        if p.closed_at is not None and p.items and any(x.role.harmed for x in p.parties):
            f.harmed_processes += 1
            f.harmed_told += p.harmed_told_at is not None
    referrals = q.referral_times_between(store, start, end)
    if school is not None:
        theirs = store.record_schools(REFERRAL.kind, [rid for rid, _at in referrals])
        referrals = [(rid, at) for rid, at in referrals if theirs.get(rid) == school]
    f.referrals = len(referrals)
    by_referral = {p.referral_id: p for p in processes if p.referral_id}
    missing = [rid for rid, _at in referrals if rid not in by_referral]
    for rid in q.referrals_with_process(store, missing):  # a referral's process started after the range
        if (p := q.process_of_referral(store, rid)) is not None:
            by_referral[rid] = p
    for rid, referred_at in referrals:
        p = by_referral.get(rid)
        if p is not None and p.first_meeting is not None:
            f.referrals_to_meeting += 1
            f.days_to_meeting.append((local(p.first_meeting.at).date() - local(referred_at).date()).days)
    return f


# ------------------------------------------------------------------ the figures as the data screen's tables
#: the averages table's median row (the issue's "median days from referral to meeting")
MEDIAN_DAYS = "Days from referral to first meeting (median)"
#: the outcomes table's rows that count some of another row (part -> whole): each pair is suppressed on
#: its own (the rows are different measures, not the parts of one total)
OUTCOME_PARTS = {
    "Referrals that became a meeting": "Referrals made",
    "Agreements completed on time": "Agreements followed to their end",
    "Harmed parties told the outcome": "Harmed parties to tell (closed, with an agreement)",
    "... of them yes": "Questionnaires answered 'would take part again'",
    **{f"... in a new incident within {w} days (repeat harm)": f"Responsible students {w} days past a meeting"
       for w in REPEAT_WINDOWS},
}


def figure_tables(desk: Desk, start: date, end: date, school: str | None = None) -> list:
    """The figures of :func:`figures` as the data screen's and the report's tables (no student named):
    processes by kind, tier and stage; what came of them (counts, suppressed under 5 in the report);
    and the averages (each over the answers or meetings behind it, shown only where there are 5 or more:
    ``days`` holds how many, ``basis`` the sum, so a district adds schools' up before dividing)."""
    from .stat_table import StatTable

    f = figures(desk, start, end, school)
    tiers = [(f"Tier {t} ({name})", f.by_tier.get(t, 0)) for t, name in ((1, "relate"), (2, "repair"), (3, "restore"))
             if f.by_tier.get(t)]
    outcomes = [
        ("Referrals made", f.referrals), ("Referrals that became a meeting", f.referrals_to_meeting),
        ("Agreements followed to their end", f.agreements_ended), ("Agreements completed on time", f.agreements_on_time),
        ("Harmed parties to tell (closed, with an agreement)", f.harmed_processes),
        ("Harmed parties told the outcome", f.harmed_told),
    ]
    outcomes += [("Questionnaires answered 'would take part again'", f.again_answered),
                 ("... of them yes", f.again_yes)]
    for window in REPEAT_WINDOWS:
        outcomes += [(f"Responsible students {window} days past a meeting", f.repeat_basis.get(window, 0)),
                     (f"... in a new incident within {window} days (repeat harm)", f.repeat_harm.get(window, 0))]
    averages: list[tuple[str, float]] = []
    basis: dict[str, int] = {}
    days: dict[str, int] = {}

    def add(label: str, values: list[int]) -> None:
        if values:
            averages.append((label, round(sum(values) / len(values), 2)))
            basis[label], days[label] = sum(values), len(values)
    if f.median_days is not None:  # the measure; a median has no sum, so it is not in ``basis`` (nor
        averages.append((MEDIAN_DAYS, f.median_days))  # the district's JSON) and hides under 5 meetings
        days[MEDIAN_DAYS] = len(f.days_to_meeting)
    add("Days from referral to first meeting (mean)", f.days_to_meeting)
    add("Felt heard (1–5)", f.scores["felt_heard"])
    add("The process was fair (1–5)", f.scores["fair"])
    add("The harm was repaired (1–5)", f.scores["repaired"])
    return [
        StatTable("proc_kind", "Restorative processes by kind", sorted(f.by_kind.items(), key=lambda kv: -kv[1]), "kind"),
        StatTable("proc_tier", "Restorative processes by tier", tiers, "tier", ordered=True),
        StatTable("proc_stage", "Restorative processes by stage",
                  [(s.label, f.by_stage[s]) for s in STAGES if f.by_stage.get(s)], "stage", ordered=True),
        StatTable("proc_outcomes", "What came of restorative processes", outcomes, "measure", ordered=True,
                  parts=OUTCOME_PARTS),
        StatTable("proc_averages", "Restorative processes: averages", averages, "measure",
                  basis=basis, days=days, value="average", ordered=True, suppress_by_days=True),
    ]
