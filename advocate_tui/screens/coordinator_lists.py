"""The coordinator's two lists (referrals; everything the handoffs carry): their columns, narrow and wide,
and their rows' cells."""

from __future__ import annotations

import dataclasses

from textual.widgets import DataTable

from ..models import ReferralStatus
from ..services import coordinator as svc
from ..services.referral_word import meeting_when, word
from ..services.schools import served
from .fit_columns import NARROW, Col, cut, set_columns


#: The referrals' columns. Where they don't all fit (under ~130 terminal columns): short labels, and "Next
#: step" sums up the status, facilitator, schedule and place (the columns dropped there), so nothing the
#: next step needs is lost; the destination is in the detail.
COLUMNS = [
    Col("urgency", "Urgency", "Urg.", 7, wide=10), Col("school", "School", "School", 12),
    Col("students", "Students", "Students", 12, flex=2, narrow_flex=0), Col("purpose", "Purpose", "For", 10, wide=16),
    Col("status", "Status", "", 20, drop=1, flex=1), Col("facilitator", "Facilitator", "", 10, drop=1),
    Col("scheduled", "Meeting", "", 14, drop=1), Col("next", "", "Next step", 20, flex=3, narrow_only=True),
    Col("to", "To", "", 14, drop=1),
]
#: The whole handoff's columns.
DAY_COLUMNS = [
    Col("school", "School", "School", 12), Col("kind", "Kind", "Kind", 8, wide=10), Col("when", "When", "When", 11),
    Col("students", "Students", "Students", 12, flex=2, narrow_flex=0), Col("what", "What", "What", 20, flex=5),
]


def _school_labels(shorts: list[str]) -> dict[str, str]:
    """Each school's label in a narrow list: the first part of its short name when no other school's starts
    the same ('cedar' for cedar-hollow-hs beside lincoln-ms), else the whole short name."""
    firsts = [s.split("-")[0] for s in shorts]
    return {s: f if firsts.count(f) == 1 else s for s, f in zip(shorts, firsts)}


def _people(ids: list[str], names: dict, narrow: bool, room: int) -> str:
    """The students of a row: full names, or narrow 'Zo O.' ('Zo O. +1' rather than a name cut short)."""
    who = [(names[s].display_name if not narrow else
            f"{names[s].preferred_name or names[s].given_name} {names[s].family_name[:1]}.")
           if s in names else s for s in ids]
    if len(who) > 1 and len(", ".join(who)) > room:
        who = [f"{who[0]} +{len(who) - 1}"]
    return ", ".join(who)


class CoordinatorLists:
    """How the coordinator's two lists are laid out and filled: the referrals and the whole handoff, each row's cells."""

    def _layout(self, table: DataTable, cols: list[Col]) -> list:
        width = self.app.size.width
        # the school column as wide as the longest short name served (at most 15), only where several can be
        # (and not when one school is shown: the title names it); narrow, each school's shortest label
        several = self.district and self.filters.school is None
        self._school_labels = _school_labels([s.short for s in served(self.app.desk)]) if several else {}
        wide = max((len(s) for s in self._school_labels), default=6)
        short = max((len(s) for s in self._school_labels.values()), default=6)
        shown = [dataclasses.replace(c, width=max(6, min(12, short)), wide=max(6, min(15, wide)))
                 if c.key == "school" else c for c in cols if c.key != "school" or several]
        if not several:  # the school column's room: the urgency whole with a two-digit age ("soon 12d")
            shown = [dataclasses.replace(c, width=8) if c.key == "urgency" else c for c in shown]
        key = (table.id, width, several, wide)
        if self._layouts.get(table.id) != key or not table.columns:
            self._layouts[table.id] = key
            setattr(self, f"_fit_{table.id}", set_columns(table, shown, width, self.app.desk.words))
        else:
            table.clear()
        return getattr(self, f"_fit_{table.id}")

    def _fill_referrals(self) -> None:
        desk = self.app.desk
        refs = svc.queue(desk, include_closed=self.show_closed, filters=self.filters)
        self.referrals = {r.id: r for r in refs}
        self.schools = svc.school_of_referrals(desk, refs)
        names = svc.students_of(desk, refs)
        table = self.query_one("#coordinator-queue", DataTable)
        layout = self._layout(table, COLUMNS)
        narrow = any(c.key == "next" for c, _, _ in layout)
        room = next((w for c, _, w in layout if c.key == "students"), 20)
        for r in refs:
            cells = self._referral_cells(r, names, narrow, room)
            table.add_row(*[cut(cells[c.key], w) for c, _, w in layout], key=r.id)

    def _referral_cells(self, r, names, narrow: bool, room: int = 20) -> dict[str, str]:
        desk = self.app.desk
        age = f"{svc.age_days(desk, r)}d"
        urgency = "URGENT" if r.urgency.value == "urgent" else r.urgency.label
        if narrow:
            urgency = {"urgent": "URG", "soon": "soon", "routine": ""}[r.urgency.value]
        who = _people(r.students, names, narrow, room)
        status = word(desk.clock, r) if r.status is not ReferralStatus.HANDED_OFF else "Handed off"
        if r.voided:
            status = f"VOIDED: {r.void_reason}"
        meeting = ""
        if r.scheduled_for:
            meeting = meeting_when(desk.clock, r) + (f", {r.place}" if r.place else "")
        school = self.schools.get(r.id, "")
        return {"urgency": f"{urgency} {age}".strip(),
                "school": self._school_labels.get(school, school) if narrow else school,
                "students": who, "purpose": r.purpose.label, "status": status,
                "facilitator": r.facilitator or "", "scheduled": meeting, "to": r.destination,
                "next": self._next_step(r, status)}

    def _next_step(self, r, status: str) -> str:
        """What the narrow list says instead of status, facilitator and meeting: the state, then what's next."""
        if r.voided:
            return status
        if r.status is ReferralStatus.HANDED_OFF:
            return "New → accept / decline"
        if r.status is ReferralStatus.CLOSED:
            return status + " (o reopens)"
        bits = []
        if r.scheduled_for:
            bits.append(meeting_when(self.app.desk.clock, r) + (f" {r.place}" if r.place else ""))
        else:
            bits.append("Accepted → schedule")
        if r.facilitator:  # the family name is enough here (the detail has it in full)
            bits.append(r.facilitator.split()[-1])
        return " · ".join(bits)

    def _fill_day(self) -> None:
        desk = self.app.desk
        items = svc.day_items(desk, self.filters)
        self.items = {i.key: i for i in items}
        roster = desk.store.students_by_id([s for i in items for s in i.students])
        table = self.query_one("#coordinator-day", DataTable)
        layout = self._layout(table, DAY_COLUMNS)
        narrow = self.app.size.width < NARROW
        room = next((w for c, _, w in layout if c.key == "students"), 20)
        for i in items:
            when = i.when if not hasattr(i.when, "hour") else desk.clock.local(i.when)
            kind = (i.short if narrow else "") or i.label
            kind += " !" if i.alert else ""
            who = _people(i.students, roster, narrow, room) or "—"
            school = self._school_labels.get(i.school, i.school) if narrow else i.school  # as the referrals say it
            cells = {"school": school, "kind": kind, "when": when.strftime("%m/%d %H:%M") if hasattr(when, "hour")
                     else when.strftime("%m/%d"), "students": who, "what": i.what}
            table.add_row(*[cut(cells[c.key], w) for c, _, w in layout], key=i.key)
