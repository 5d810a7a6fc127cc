"""The restorative caseload board: what is due today from processes, then every process by stage
(referred, assessing, preparing, scheduled, agreement being followed, closed).

``b`` on the main screen opens it with the cursor on the first thing due: ``d`` done, ``n`` not done,
``w`` waived (a check-in: ``d`` done). ``enter`` opens a process (parties, meetings, agreement);
``s`` starts one from a referral, ``c`` logs a Tier 1 circle; on a coordinator's database ``S`` shows
every school's, then each school's in turn. Fits 80×24. Every change goes through
:mod:`advocate_tui.services.processes`.
"""

from __future__ import annotations

import dataclasses

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from ..models.process import ItemStatus, Stage
from ..palette import ListedCommands
from ..services import process_lists
from ..services import processes as svc
from ..services.schools import is_coordinator, served
from ..widgets.literal import literal
from ..wording import words_of
from .fit_columns import Col, cut, set_columns
from .process_dialogs import CircleForm, ProcessAsk

__all__ = ["ProcessBoard", "ProcessCommands", "STAGE_SHORT"]

#: the board's short stage names (80 columns)
STAGE_SHORT = {Stage.REFERRED: "Referred", Stage.ASSESSING: "Assessing", Stage.PREPARING: "Preparing",
               Stage.SCHEDULED: "Scheduled", Stage.FOLLOWING: "Agreement", Stage.CLOSED: "Closed"}

DUE_COLUMNS = [Col("when", "Due", "Due", 13),  # ("OVERDUE 11/20")
               Col("what", "What", "What", 20, flex=3),
               Col("who", "Who", "Who", 14, flex=2)]
BOARD_COLUMNS = [Col("stage", "Stage", "Stage", 9), Col("kind", "Kind", "Kind", 12, wide=26),
                 Col("who", "Students (role)", "Students", 16, flex=3), Col("next", "Next step", "Next", 16, flex=2)]


def board_columns(words) -> list[Col]:
    """The board's columns, the students' headed in the school's words ("Pupils (role)")."""
    return [dataclasses.replace(c, label=f"{words.Students} (role)", short=words.Students) if c.key == "who" else c
            for c in BOARD_COLUMNS]


class ProcessBoard(Screen):
    """The coordinator's caseload (and the advocate's due items) for restorative processes."""

    CSS_PATH = "processes.tcss"
    BINDINGS = [
        Binding("d", "mark('done')", "Done", id="process.done"),
        Binding("n", "mark('not_done')", "Not done", id="process.not_done"),
        Binding("w", "mark('waived')", "Waived", id="process.waived", show=False),
        Binding("enter", "open", "Open", id="process.open", priority=True),
        Binding("s", "start", "Start", id="process.start", tooltip="Start a process from a referral"),
        Binding("c", "circle", "Circle", id="process.circle", tooltip="Log a Tier 1 circle"),
        Binding("S", "next_school", "School", id="process.school", show=False,
                tooltip="A coordinator's database: every school, then each school in turn"),
        Binding("escape", "back", "Back", id="process.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.due: dict[str, process_lists.DueItem] = {}
        self.processes: dict = {}
        self._width = 0
        #: a coordinator's database: the one school shown (None: every school)
        self.school: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="board-due-title")
        yield DataTable(id="board-due", cursor_type="row")
        yield Static("", id="board-title")
        yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
        yield Static("", id="board-detail")
        yield Static("", id="board-message")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        (self.query_one("#board-due") if self.due else self.query_one("#board")).focus()

    # ------------------------------------------------------------------ reading
    def reload(self, keep: str | None = None) -> None:
        desk = self.app.desk
        width = self.app.size.width
        due_table, board = self.query_one("#board-due", DataTable), self.query_one("#board", DataTable)
        if width != self._width or not board.columns:
            self._due_layout = set_columns(due_table, DUE_COLUMNS, width)
            self._board_layout = set_columns(board, board_columns(words_of(desk.profile)), width)
            self._width = width
        else:
            due_table.clear()
            board.clear()
        today = desk.clock.today()
        words = words_of(desk.profile)
        items = process_lists.due_items(desk, school=self.school)
        self.due = {f"{d.what}:{d.process_id}:{d.ref_id}": d for d in items}
        roster = desk.store.students_by_id({s for d in items for s in d.student_ids})
        for key, d in self.due.items():
            if d.what == "meeting":
                when = f"today {desk.clock.local(d.when).format('HH:mm')}"
                what = f"{d.text} meeting" + (f", {d.place}" if d.place else "")
            else:
                when = "OVERDUE " + words.date(d.due) if d.overdue else "today"
                what = d.text
            who = d.owner or ", ".join(_who(roster, s) for s in d.student_ids)
            cells = {"when": when, "what": what, "who": who}
            due_table.add_row(*[cut(cells[c.key], w) for c, _, w in self._due_layout], key=key)
        late = sum(1 for d in items if d.overdue)
        self.query_one("#board-due-title", Static).update(literal(
            f"Due today: {len(items)}" + (f" ({late} overdue)" if late else "")
            + (" · d done · n not done · w waived" if items else " · nothing due")))
        due_table.display = bool(items)
        stages = process_lists.board(desk, school=self.school)
        self.processes = {}
        for stage in process_lists.STAGES:
            for p in stages[stage]:
                self.processes[p.id] = p
                cells = {"stage": STAGE_SHORT[stage], "kind": process_lists.kind_name(desk, p.process_kind),
                         "who": process_lists.students_line(desk, p), "next": process_lists.next_step(desk, p)}
                board.add_row(*[cut(cells[c.key], w) for c, _, w in self._board_layout], key=p.id)
        counts = " · ".join(f"{STAGE_SHORT[s]} {len(stages[s])}" for s in process_lists.STAGES if stages[s])
        several = is_coordinator(desk) and len(served(desk)) > 1
        school = f" · {self.school}" if self.school else " · every school" if several else ""
        self.query_one("#board-title", Static).update(literal(
            f"Processes{school} ({words.day(today)}): {counts or 'none yet'} · enter open · s start · c circle"
            + (" · S school" if several else "")))
        if keep and keep in self.processes:
            board.move_cursor(row=board.get_row_index(keep))
        self._show_detail()

    def on_resize(self) -> None:
        if self._width and self.app.size.width != self._width:
            self.reload()

    def _key(self, table_id: str) -> str | None:
        table = self.query_one(table_id, DataTable)
        if table.row_count == 0 or table.cursor_row is None:
            return None
        return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value

    def selected_due(self) -> process_lists.DueItem | None:
        key = self._key("#board-due")
        return self.due.get(key) if key else None

    def selected_process(self):
        if self.focused is self.query_one("#board-due") and (d := self.selected_due()) is not None:
            return self.processes.get(d.process_id) or self.app.desk.store.get(svc.Process, d.process_id)
        key = self._key("#board")
        return self.processes.get(key) if key else None

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._show_detail()

    def on_descendant_focus(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        p = self.selected_process()
        detail = self.query_one("#board-detail", Static)
        if p is None:
            detail.update(literal("No process yet: s starts one from a referral, c logs a Tier 1 circle."))
            return
        desk = self.app.desk
        origin = "from a referral" if p.referral_id else "from an incident" if p.incident_id else "no referral"
        school = process_lists.schools_of_processes(desk, [p]).get(p.id) if is_coordinator(desk) else None
        lines = [f"{process_lists.kind_name(desk, p.process_kind)} · Tier {p.tier} · {p.stage.label} · {origin}"
                 + (f" · facilitator {p.facilitator}" if p.facilitator else "") + (f" · {school}" if school else ""),
                 process_lists.students_line(desk, p), f"Next: {process_lists.next_step(desk, p)}"]
        detail.update(literal("\n".join(lines)))

    def message(self, text: str, *, error: bool = False) -> None:
        msg = self.query_one("#board-message", Static)
        msg.update(literal(text))
        msg.set_class(error, "-error")

    # ------------------------------------------------------------------ actions
    def action_mark(self, status: str) -> None:
        d = self.selected_due() if self.focused is self.query_one("#board-due") else None
        if d is None:
            self.message("Pick something due first (the list at the top).", error=True)
            return
        desk = self.app.desk
        try:
            if d.what == "item":
                svc.mark_item(desk, d.process_id, d.ref_id, ItemStatus(status))
                done = f"{ItemStatus(status).label}: {d.text}"
            elif d.what == "check_in" and status == "done":
                svc.mark_check_in(desk, d.process_id, d.ref_id)
                done = "Check-in done."
            else:
                self.message("A meeting is marked held in its process (enter, then M)." if d.what == "meeting"
                             else "A check-in is done (d) or stays due.", error=True)
                return
        except svc.ProcessError as exc:
            self.message(str(exc), error=True)
            return
        self.message(done)
        self.reload()
        self.query_one("#board-due" if self.due else "#board").focus()

    def action_open(self) -> None:
        p = self.selected_process()
        if p is None:
            return
        from .process_detail import ProcessDetail

        self.app.push_screen(ProcessDetail(p.id), lambda _=None: self.reload(keep=p.id))

    def action_start(self) -> None:
        desk = self.app.desk
        refs = process_lists.referrals_awaiting(desk)
        if not refs:
            self.message("Every open referral has a process already.", error=True)
            return
        roster = desk.store.students_by_id({s for r in refs for s in r.students})
        words = words_of(desk.profile)
        choices = [(r.id, f"{r.purpose.label} · {', '.join(_who(roster, s) for s in r.students)} · "
                          f"{words.date(desk.clock.local(r.referred_at).date())}") for r in refs[:30]]
        kinds = desk.profile.processes.kinds

        def chosen(values: dict | None) -> None:
            if not values:
                return
            typed = values["kind"].strip()
            kind = desk.profile.processes.kind(typed) if typed else None
            if typed and kind is None:
                self.message(f"Not a kind of process: {typed}", error=True)
                return
            try:
                p = svc.start_from_referral(desk, values["choice"], kind.key if kind else None,
                                            facilitator=values["facilitator"].strip())
            except svc.ProcessError as exc:
                self.message(str(exc), error=True)
                return
            self.message(f"Started: {process_lists.kind_name(desk, p.process_kind)}.")
            self.reload(keep=p.id)
            self.query_one("#board").focus()
        def problem(values: dict) -> str | None:
            """A kind not known, said in the dialog (what was typed stays there to be put right)."""
            typed = values["kind"].strip()
            if typed and desk.profile.processes.kind(typed) is None:
                return f"Not a kind of process: {typed} — type one of {', '.join(k.key for k in kinds)}, or leave it empty"
            return None
        self.app.push_screen(ProcessAsk(
            "Start a process from a referral", [
                ("kind", "Kind (empty: as the referral asks)", ", ".join(k.key for k in kinds[:4]) + "…", ""),
                ("facilitator", "Facilitator", "name", "")],
            choices=choices, choice_label="Referral (1–9, or arrows and enter):", check=problem), chosen)

    def action_circle(self) -> None:
        desk = self.app.desk

        def done(values: dict | None) -> None:
            if not values:
                return
            count = values["participants"].strip()
            try:
                p = svc.log_circle(desk, group_name=values["group"].strip(), topic=values["topic"].strip(),
                                   facilitator=values["facilitator"].strip(), participants=int(count) if count else None)
            except svc.ProcessError as exc:
                self.message(str(exc), error=True)
                return
            self.message(f"Circle logged: {p.group_name}.")
            self.reload(keep=p.id)
        self.app.push_screen(CircleForm(facilitator=desk.user), done)

    def action_next_school(self) -> None:
        """`S` (a coordinator's database): every school, then each school in turn."""
        desk = self.app.desk
        if not is_coordinator(desk):
            self.message("This database is one school's: every process here is that school's.")
            return
        choices = [None] + [s.short for s in served(desk)]
        index = choices.index(self.school) if self.school in choices else 0
        self.school = choices[(index + 1) % len(choices)]
        self.reload()
        self.message(f"School: {self.school or 'every school'}.")

    def action_back(self) -> None:
        if self.app.desk_screens_under(self) > 0:
            self.dismiss()


def _who(roster: dict, sid: str) -> str:
    student = roster.get(sid)
    return student.display_name if student else sid


class ProcessCommands(ListedCommands):
    """Command palette: the restorative caseload board and the Tier 1 circle."""

    def _board(self) -> None:
        if not isinstance(self.app.screen, ProcessBoard):
            self.app.push_screen(ProcessBoard())

    def _circle(self) -> None:
        self._board()
        self.app.call_later(lambda: self.app.screen.run_action("circle"))

    def commands(self):
        yield "Restorative processes: the caseload board and what is due (b)", self._board, "Processes by stage"
        yield "Tier 1 circle: log a class circle (b c)", self._circle, "Class, how many, topic, facilitator"
