"""The coordinator's view: the handed-off referrals and everything else the handoffs carry, per school.

`advocate --coordinator` opens it. Two lists, `1` and `2`: the referrals (urgent first, then oldest) with
the coordinator's actions — accept, facilitator, schedule (time and place), decline (with a reason),
close (asked first), reopen (with a reason), a note for the advocate — and the whole handoff: shift
summaries, contact notes flagged for the coordinator, incidents, open attendance follow-ups, door and
patrol exceptions. Both are filtered by school (`S`), handoff day (`[` `]`) and handoff (`h`); every row
names its school. `R` signs and writes the reply to the school; `i` imports a bundle picked from the
handoff folder. Each change goes through the coordinator service (and so ``store.set_status``), which
keeps it in the referral's history; after it the cursor stays on the row. Another desk's saves to
the same file (the advocate's handoff, on one school's database) show within seconds.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from ..models import Handoff, ReferralOutcome, ReferralStatus
from ..palette import ListedCommands
from ..services import coordinator as svc
from ..services.coordinator import Filters
from ..services.referral_word import word
from ..services.schools import is_coordinator, served
from ..services.today import changes_seen
from ..widgets.literal import literal
from .coordinator_bundle_import import BundleImport
from .coordinator_dialogs import CoordinatorAsk, CoordinatorHelp
from .coordinator_lists import CoordinatorLists
from .coordinator_referral_actions import ReferralActions
from .main import OTHER_DESKS_POLL, ShiftFooter

#: narrower than this, the footer's keys take two lines
FOOTER_ONE_LINE_WIDTH = 140
#: the actions on a referral (hidden from the footer in the whole-handoff list)
_REFERRAL_ACTIONS = {"accept", "assign", "schedule", "decline", "close_referral", "reopen", "note"}

__all__ = ["CoordinatorScreen", "CoordinatorAsk", "CoordinatorCommands"]


class CoordinatorScreen(CoordinatorLists, ReferralActions, BundleImport, Screen):
    """The coordinator's two lists (referrals; the whole handoff), filters, actions and the reply."""

    CSS_PATH = "coordinator.tcss"
    BINDINGS = [
        Binding("a", "accept", "Accept", id="coordinator.accept"),
        Binding("f", "assign", "Facilitator", id="coordinator.assign", show=False),
        Binding("s", "schedule", "Schedule", id="coordinator.schedule"),
        Binding("d", "decline", "Decline", id="coordinator.decline"),
        Binding("c", "close_referral", "Close", id="coordinator.close"),
        Binding("o", "reopen", "Reopen", id="coordinator.reopen"),
        Binding("n", "note", "Note", id="coordinator.note", show=False),
        Binding("R", "reply", "Reply", id="coordinator.reply", tooltip="Sign and write the reply to the school"),
        Binding("1", "view('referrals')", "Referrals", id="coordinator.referrals"),
        Binding("2", "view('day')", "Handoff", id="coordinator.day", tooltip="Everything the handoffs carry"),
        Binding("S", "next_school", "School", id="coordinator.school"),
        Binding("left_square_bracket", "day(1)", "Day", id="coordinator.earlier",
                tooltip="One handoff day: the latest, then earlier ones (] later, then all days)"),
        Binding("right_square_bracket", "day(-1)", "Later", id="coordinator.later", show=False),
        Binding("h", "next_handoff", "Handoff", id="coordinator.handoff", show=False),
        Binding("0", "all", "All", id="coordinator.all", show=False),
        Binding("v", "toggle_closed", "Show closed", id="coordinator.closed", show=False),
        Binding("i", "import_bundle", "Import", id="coordinator.import", tooltip="Import a handoff bundle (.json)"),
        Binding("escape", "back", "Back", id="coordinator.back"),
        Binding("D", "data", "Data", id="coordinator.data", tooltip="The coordinator's data: PBIS Big 5 and more",
                show=False),
        Binding("b", "process_board", "Processes", id="coordinator.processes",
                tooltip="Restorative processes: the caseload board", show=False),
        Binding("question_mark", "help", "Help", id="coordinator.help"),
        Binding("q", "quit", "Quit", id="coordinator.quit"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.show_closed = False
        self.view = "referrals"
        self.filters = Filters()
        self.referrals: dict = {}
        self.schools: dict[str, str] = {}
        self.items: dict = {}
        self._width = 0
        self._layouts: dict = {}
        self._school_labels: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="coordinator-title", markup=False)
        yield DataTable(id="coordinator-queue", cursor_type="row", zebra_stripes=True)
        yield DataTable(id="coordinator-day", cursor_type="row", zebra_stripes=True)
        yield Static("", id="coordinator-detail", markup=False)
        yield Static("", id="coordinator-message", markup=False)
        yield ShiftFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#coordinator-day").display = False
        self.reload()
        self.query_one("#coordinator-queue", DataTable).focus()
        self._seen = changes_seen(self.app.desk)
        self.set_interval(OTHER_DESKS_POLL, self.poll_other_desks)

    # ------------------------------------------------------------------ showing
    @property
    def district(self) -> bool:
        """True on a coordinator's own database (several schools possible): each row names its school."""
        return is_coordinator(self.app.desk)

    def _table(self) -> DataTable:
        return self.query_one("#coordinator-queue" if self.view == "referrals" else "#coordinator-day", DataTable)

    def reload(self, keep: str | None = None) -> None:
        """Read the list in use (and the title) from the services and show it; the cursor stays on ``keep``."""
        if self.view == "referrals":
            self._fill_referrals()
        else:
            self._fill_day()
        table = self._table()
        rows = self.referrals if self.view == "referrals" else self.items
        if keep and keep in rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_title()
        self._show_detail()
        self.refresh_bindings()

    def _scope(self) -> str:
        f = self.filters
        if self.district:
            schools = served(self.app.desk)
            school = f.school or (f"all {len(schools)} schools" if len(schools) != 1 else schools[0].short)
        else:
            school = self.app.desk.profile.school.short_name or "this school"
        day = f.day.isoformat() if f.day else "all days"
        handoff = ""
        if f.handoff_id:
            h = self.app.desk.store.get(Handoff, f.handoff_id)
            handoff = f" · handoff #{h.sequence} {h.signed_by}" if h else ""
        return f"{school} · {day}{handoff}"

    def _show_title(self) -> None:
        if self.view == "referrals":
            refs = list(self.referrals.values())
            open_count = sum(1 for r in refs if r.status is not ReferralStatus.CLOSED and not r.voided)
            closed = sum(1 for r in refs if r.status is ReferralStatus.CLOSED)
            text = (f"1 Referrals — {self._scope()}: {open_count} open"
                    + (f", {closed} closed" + ("" if self.show_closed else " today") if closed else ""))
        else:
            text = f"2 Whole handoff — {self._scope()}: {len(self.items)} item(s)"
        self.query_one("#coordinator-title", Static).update(literal(text, one_line=True))

    def on_resize(self) -> None:
        self.set_class(self.app.size.width < FOOTER_ONE_LINE_WIDTH, "-two-line-footer")
        if self.app.size.width != self._width:
            self._width = self.app.size.width
            if self.is_mounted and self._layouts:
                current = self._current_key()
                self.reload(keep=current)

    def poll_other_desks(self) -> None:
        """Every ~2 s: another desk's save to this file (a new handoff, on a school's database) shows here."""
        seen = changes_seen(self.app.desk)
        if seen is None or seen == self._seen:
            return
        self._seen = seen
        if self.app.screen is self:
            self.reload(keep=self._current_key())

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def _current_key(self) -> str | None:
        table = self._table()
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def _selected(self):
        """The referral under the cursor (None in the whole-handoff list or an empty one)."""
        if self.view != "referrals":
            return None
        key = self._current_key()
        return self.referrals.get(key) if key else None

    def _show_detail(self) -> None:
        detail = self.query_one("#coordinator-detail", Static)
        if self.view == "day":
            key = self._current_key()
            item = self.items.get(key) if key else None
            detail.update(literal(self._item_detail(item) if item else
                                  "Nothing in these handoffs. [ ] change the day, S the school, 0 shows everything."))
            return
        ref = self._selected()
        if ref is None:
            detail.update("Nothing handed off here yet. i imports a bundle from the handoff folder."
                          if not any(self.filters.__dict__.values()) else
                          "No referrals for this school, day or handoff: 0 shows everything.")
            return
        detail.update(literal("\n".join(self._referral_detail(ref))))

    def _item_detail(self, item) -> str:
        desk = self.app.desk
        roster = desk.store.students_by_id(item.students)
        who = "; ".join(roster[s].describe() if s in roster else s for s in item.students)
        return (f"{item.school} · {svc.label_of(desk, item.handoff)}" + (f"\n{who}" if who else "")
                + f"\n{item.detail}")

    def _referral_detail(self, ref) -> list[str]:
        desk = self.app.desk
        clock, words = desk.clock, desk.words
        made = f"Referred {words.stamp(clock.local(ref.referred_at))}"
        if ref.handed_off_at:
            made += f" · handed off {words.stamp(clock.local(ref.handed_off_at))}"
        if ref.handoff_id:
            made += " · from " + svc.handoff_label(desk, ref)
        lines = [f"VOIDED by the advocate: {ref.void_reason}"] if ref.voided else []
        names = svc.students_of(desk, [ref])
        school = self.schools.get(ref.id, "")
        lines.append("; ".join((names[s].describe() if s in names else s)
                               + (f" — {role.label.lower()}" if (role := ref.role_of(s)) else "") for s in ref.students)
                     + (f" · {school}" if school and self.district else ""))
        plan = [f"{ref.urgency.label} · {ref.purpose.label} → {ref.destination}", word(clock, ref)]
        if ref.scheduled_for and ref.status is not ReferralStatus.ACCEPTED:
            plan.append(f"meeting was {clock.local(ref.scheduled_for).format('ddd')} {words.stamp(clock.local(ref.scheduled_for))}"
                        + (f", {ref.place}" if ref.place else ""))
        lines += [" · ".join(plan)]
        if ref.outcome_note and ref.outcome is not ReferralOutcome.DECLINED:
            lines.append(f"Outcome note: {ref.outcome_note}")
        if ref.coordinator_note:
            lines.append(f"Note for the advocate: {ref.coordinator_note}")
        reopened = [e for e in desk.store.history(ref.id) if (e.note or "").startswith("reopened: ")]
        if reopened:
            last = reopened[-1]
            lines.append(f"Reopened {words.date_time(clock.local(last.at), padded=True)} by {last.by}: "
                         f"{last.note.removeprefix('reopened: ')}")
        lines += [f"Reason: {ref.reason}" + (" (amended by the advocate)" if ref.amended else ""), made]
        return lines

    def _message(self, text: str, *, error: bool = False, warning: bool = False) -> None:
        msg = self.query_one("#coordinator-message", Static)
        msg.update(literal(text))
        msg.set_class(error, "-error")
        msg.set_class(warning and not error, "-warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer shows a referral's actions in the referral list only (there every key works, and says
        why not when it can't: a voided or closed referral), and 1 or 2, whichever list is not shown; "esc Back"
        (and escape does something) only when there is a screen to go back to."""
        if action == "back":
            return self._can_go_back()
        if action in _REFERRAL_ACTIONS:
            return self.view == "referrals"
        if action == "view":
            return parameters[0] != self.view
        return True

    # ------------------------------------------------------------------ views and filters
    def action_view(self, view: str) -> None:
        if view == self.view:
            return
        self.view = view
        self.query_one("#coordinator-queue").display = view == "referrals"
        self.query_one("#coordinator-day").display = view == "day"
        self.reload()
        self._table().focus()

    def _refilter(self, **changes) -> None:
        self.filters = dataclasses.replace(self.filters, **changes)
        self.reload()

    def action_next_school(self) -> None:
        """`S`: every school, then each school in turn (a coordinator's database)."""
        if not self.district:
            self._message("This database is one school's: everything here is that school's.")
            return
        choices = [None] + [s.short for s in served(self.app.desk)]
        index = choices.index(self.filters.school) if self.filters.school in choices else 0
        self._refilter(school=choices[(index + 1) % len(choices)], handoff_id=None)
        self._message(f"School: {self.filters.school or 'all'}.")

    def action_day(self, step: int) -> None:
        """`[` an earlier handoff day, `]` a later one (past the latest: all days)."""
        days = svc.days(self.app.desk, self.filters.school)
        if not days:
            self._message("No handoffs yet.", warning=True)
            return
        if self.filters.day is None:
            day = days[0] if step > 0 else None
        else:
            index = days.index(self.filters.day) if self.filters.day in days else 0
            index += step
            day = days[index] if 0 <= index < len(days) else (None if index < 0 else days[-1])
        self._refilter(day=day, handoff_id=None)

    def action_next_handoff(self) -> None:
        handoffs = svc.handoffs(self.app.desk, Filters(school=self.filters.school, day=self.filters.day))
        if not handoffs:
            self._message("No handoffs for this school and day.", warning=True)
            return
        ids = [None] + [h.id for h in handoffs]
        index = ids.index(self.filters.handoff_id) if self.filters.handoff_id in ids else 0
        self._refilter(handoff_id=ids[(index + 1) % len(ids)])

    def action_all(self) -> None:
        self._refilter(school=None, day=None, handoff_id=None)

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self.reload(keep=self._current_key())

    # ------------------------------------------------------------------ other screens
    def action_data(self) -> None:
        from .data_commands import open_data

        open_data(self.app)

    def action_help(self) -> None:
        self.app.push_screen(CoordinatorHelp())

    def action_process_board(self) -> None:
        """b: the restorative caseload board (issue 12)."""
        from .processes import ProcessBoard

        self.app.push_screen(ProcessBoard())

    async def action_quit(self) -> None:
        """q: quit the app (the app asks first when a dialog or form holds typed text)."""
        await self.app.action_quit()

    def _can_go_back(self) -> bool:
        """Opened over the shift screen (the palette): escape goes back; `advocate --coordinator` has
        nothing behind it."""
        return not getattr(self.app, "coordinator", False) and self.app.desk_screens_under(self) > 0

    def action_back(self) -> None:
        """Back to the shift screen when opened from it; `advocate --coordinator` stays here."""
        if self._can_go_back():
            self.dismiss()


class CoordinatorCommands(ListedCommands):
    """Command palette: open the coordinator's view."""

    NAME = "Coordinator view: handed-off referrals to accept, assign, schedule, close"

    def _open(self) -> None:
        if not isinstance(self.app.screen, CoordinatorScreen):
            self.app.push_screen(CoordinatorScreen())

    def commands(self):
        yield self.NAME, self._open, "The coordinator's queue"


