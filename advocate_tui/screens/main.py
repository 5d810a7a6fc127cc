"""The main screen: the advocate's whole shift on one keyboard-driven screen.

A header line (school, the school's date, bell period and clock, live counts), five panes — 1
incidents, 2 doors and patrol, 3 contact notes, 4 attendance, 5 referrals — and the footer. The
keys come from :data:`advocate_tui.commands.KEYS`. Forms, the item view, handoff and lock are other
engineers' screens, imported when first used so this module loads without them.

Pane data comes from :mod:`advocate_tui.services.today`; one load of all five panes takes a few
milliseconds, so it runs on the UI thread (measured here: ~5 ms for the demo school, 8–17 ms with 30
weeks of records and 600 students; every pane is capped at ``today.PAGE`` rows, and reads only its
first ``today.FIRST_PAGE`` at first — more on a taller pane —, the rest as the cursor comes near them).
On a small terminal (under 110×32) the panes not in use collapse to a one-line summary.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Container
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets._toast import ToastRack

from ..commands import ActionCommands, StudentCommands, bindings
from ..messages import RecordsChanged
from ..models.enums import FollowUpStatus
from ..services import rows as rows_service
from ..services import today as today_service
from ..services.today import PANES, Row
from ..services.ends import ATTENDANCE, FOLLOW_UP
from ..services.kinds import kind_named
from ..widgets.pane import Pane
from ..widgets.process_due import ProcessDue
from ..widgets.status import StatusHeader
from .kind_ui import PANE_WIDGETS, form_of, load_screen_class, screen_class_or_say, ui_of
from .main_actions import MainActions
from .shift_footer import ShiftFooter

if TYPE_CHECKING:
    from ..models.base import Record

__all__ = ["MainScreen", "ShiftFooter", "load_screen_class"]

#: narrower or lower than this, the panes not in use collapse to one line
COMPACT_WIDTH, COMPACT_HEIGHT = 110, 32
#: narrower than this, the footer's keys take two lines (on one line they need ~115 columns)
FOOTER_ONE_LINE_WIDTH = 120
#: seconds between looks for other desks' saves (PRAGMA data_version: no table is read)
OTHER_DESKS_POLL = 2.0


class MainScreen(MainActions, Screen):
    """The shift screen: header, five panes, footer; every action on one key."""

    BINDINGS = bindings()
    COMMANDS = Screen.COMMANDS | {ActionCommands, StudentCommands}
    AUTO_FOCUS = f"#{PANES[0]}-table"

    active: reactive[str] = reactive(PANES[0])
    """The pane in use (keys 1-5, or focus): highlighted, and the one shown in full when compact."""

    compact: reactive[bool] = reactive(False)
    """True on a small terminal: only the active pane is shown in full."""

    def compose(self) -> ComposeResult:
        # a small terminal's classes before the widgets are styled: laid out and drawn compact at once
        # (set at the first Resize, they restyled every widget and drew a second frame)
        compact, narrow = _fit(self.app.size)
        self.set_reactive(MainScreen.compact, compact)
        self.set_class(compact, "-compact", update=False)
        self.set_class(narrow, "-two-line-footer", update=False)
        yield StatusHeader(id="status")
        with Container(id="panes"):
            for name in PANES:  # each kind's pane, in the services registry's order (keys 1-5)
                # the first is the active one: its class set now is styled as it mounts (not again)
                yield PANE_WIDGETS[name]().set_class(name == PANES[0], "-active", update=False)
        yield ProcessDue(id="process-due")
        yield ShiftFooter(compact=True)

    def on_mount(self) -> None:
        self.reload()
        self._fit_at_first_layout = True
        self._fresh = True  # the first ScreenResume follows at once: nothing to read again
        self._minute = self.app.desk.clock.now().format("HH:mm")
        self.set_interval(5, self.tick)
        # another desk on the same file: its saves show here within a couple of seconds
        self._seen = today_service.changes_seen(self.app.desk)
        self.set_interval(OTHER_DESKS_POLL, self.poll_other_desks)
        # alerts are drawn in the theme's $error colour: redraw when the theme changes
        self.app.theme_changed_signal.subscribe(self, lambda _theme: [self.pane(n).restyle() for n in PANES])
        self.call_after_refresh(self._offer_drafts)

    def _refresh_layout(self, size=None, scroll: bool = False) -> None:
        """The first layout fills the panes at their real widths before it is painted, so the first
        frame already shows the rows (Textual paints a layout at once and sends the panes their
        Resize after it: the panes were filled one frame late)."""
        if not getattr(self, "_fit_at_first_layout", False) or scroll or not self.is_current:
            super()._refresh_layout(size, scroll)
            return
        self._fit_at_first_layout = False
        with self.app.batch_update():  # the paint waits until the panes are filled
            super()._refresh_layout(size, scroll)
            for name in PANES:
                self.pane(name).fit_width()
            self.query_one(StatusHeader).on_resize()  # its counts on one line or two, at its width
            self._settle_first_layout(size)

    def _settle_first_layout(self, size) -> None:
        """Lay the screen out once more with everything the first layout changed (the tables' rows and
        scroll bars, the toasts' rack shown or not) and take that as done, so the first frame is the
        only one: Textual otherwise lays out and paints every widget again after it, once for each
        widget sized by the first layout, again for the tables at their first idle, and repaints the
        whole screen for its ScreenResume (three frames, ~25 % of the main thread from App.run to
        ready on an empty database, bench/)."""
        for name in PANES:
            self.pane(name).table.settle()
        for rack in self.query(ToastRack):  # what its show() sets next, set now (no layout after)
            rack.display = bool(self.app._notifications)
        for node in self.walk_children(with_self=True):  # (what changed has not cleared them yet: at its idle)
            node._clear_arrangement_cache()
        super()._refresh_layout(size)
        for widget in self.walk_children(with_self=False):
            for node in (widget, widget._vertical_scrollbar, widget._horizontal_scrollbar):
                if node is not None:  # laid out just now, and painted in full next
                    node._layout_required = node._repaint_required = False
        self._layout_required = False
        self._first_paint = True

    def _update_auto_focus(self) -> None:
        """The first focus, styled once: Textual sets the table's ``has_focus`` (whose watcher restyles
        the table and each of its component classes) and then restyles the whole pane it is in for the
        pane's ``:focus-within`` rule, the table again with it (~12 % of the styling of a start, bench/).
        The table's ``has_focus`` is set without its watcher when that restyle of its pane follows."""
        if self.app.app_focus and self.focused is None:
            table = next(iter(self.query(self.AUTO_FOCUS)), None)
            if table is not None and table.focusable and any(node._has_focus_within for node in table.ancestors):
                table.set_reactive(Widget.has_focus, True)
                self.set_focus(table)  # (restyles the pane, the table in it, for :focus-within and :focus)
                return
        super()._update_auto_focus()

    def _compositor_refresh(self) -> None:
        super()._compositor_refresh()
        if getattr(self, "_first_paint", False):  # the whole screen, as ScreenResume asked: done
            self._first_paint = False
            self._repaint_required = False

    #: the screen's own lines (its plain background, under the panes) as last drawn, and what they show
    _background: tuple | None = None

    def render_lines(self, crop):
        """The screen's own background lines, kept while nothing they show changes: Textual draws
        them all again whenever the screen is repainted whole (when a form closes: ~1.7 ms), and the
        compositor cuts new lines again where the same lines' cuts are kept (~1 ms; bench/ quick log)."""
        key = (crop, self.size, self.styles.background, self.background_colors, self.rich_style,
               self.opacity, list(self.get_line_filters()))
        if self._background is not None and self._background[0] == key:
            return self._background[1]
        lines = super().render_lines(crop)
        self._background = (key, lines) if self.styles.background.a == 1 else None
        return lines

    def _screen_resized(self, size) -> None:
        """Lay the screen out again when the terminal's size changes, not on a resize to the size it
        is laid out at already: the terminal's own size event at start is one (Textual keeps it and
        sends it to the screen at the first idle), and laying out and painting every pane again for it
        cost ~40 ms of each start (bench/). A change of what is shown lays out on its own."""
        if size == self._compositor.size and self._compositor.root is self:
            return
        super()._screen_resized(size)

    def _offer_drafts(self) -> None:
        """Offer back forms a crash left unsaved (only over this screen, never over a lock)."""
        if self.app.screen is self:
            from ..services.drafts import pending_drafts

            if not pending_drafts(self.app.desk):  # none (as nearly always): the forms are imported when used
                return
            from .forms.restore import offer_drafts

            offer_drafts(self.app)

    # ------------------------------------------------------------------ data
    def pane(self, name: str) -> Pane:
        return self.query_one(f"#{name}", Pane)

    def reload(self, select: Record | None = None, *, only_its_pane: bool = False) -> None:
        """Read all five panes and the counts again; put the cursor on ``select`` if given.

        ``only_its_pane``: read just the pane that shows ``select`` and the counts (after a save: the
        row shows at once; the caller reads the rest after the frame is painted)."""
        target = None
        if select is not None:
            kind = kind_named(select.kind)
            target = kind.pane if kind is not None else None
            move_on = ui_of(select.kind).select_key  # (a door check: on to the next unchecked door)
            key = move_on(self.app.desk, select) if move_on is not None else select.id
        if only_its_pane and target is not None:
            desk = self.app.desk
            view = today_service.TodayView(day=desk.clock.today(), counts=today_service.counts(desk),
                                           panes={target: today_service.pane_rows(
                                               desk, target, first=max(today_service.FIRST_PAGE, len(self.pane(target).rows)))})
        else:
            view = today_service.load(self.app.desk)
        for name in PANES:
            pane = self.pane(name)
            if name not in view.panes:
                continue
            rows = view.panes[name]
            if pane.rest(rows)[0] and len(pane.rows) > len(rows):  # read as far down as the pane was
                rows = rows.read(len(pane.rows))
            if name != target and pane.loaded and _shown(rows) == _shown(pane.rows) and pane.rest(rows) == pane.rest():
                pane.take_rows(rows)  # the same lines: keep the table, take the fresh records
                continue  # (refilling a DataTable costs far more than comparing its text; bench/)
            pane.set_rows(rows, select=key if name == target else None)
        self.query_one(StatusHeader).show_counts(view.counts)
        self.query_one(ProcessDue).show(self.app.desk)
        self.refresh_bindings()  # R follows the selected row
        if target is not None:
            self.focus_pane(target)

    def tick(self) -> None:
        """Every few seconds: the clock; each new minute, the counts and panes (patrol can fall due)."""
        header = self.query_one(StatusHeader)
        header.refresh_clock()
        minute = self.app.desk.clock.now().format("HH:mm")
        if minute != self._minute:
            self._minute = minute
            self.reload()

    def poll_other_desks(self) -> None:
        """Every ~2 s: if another desk has saved to this file, read the panes and counts again."""
        seen = today_service.changes_seen(self.app.desk)
        if seen is None or seen == self._seen:
            return
        self._seen = seen
        if self.app.screen is self:  # under a form or lock, ScreenResume reads everything on return
            self.reload()

    def on_screen_resume(self, event) -> None:
        if not getattr(self, "_resumed", False):
            # the first: every widget was styled as it was mounted, and each change since (focus, the
            # active pane) restyled its own; Textual would style all of them again (~12 ms, bench/)
            self._resumed = True
            event.refresh_styles = False
        if getattr(self, "_fresh", False):  # a result callback (_saved) has just read everything
            self._fresh = False
            return
        if self.is_mounted:
            self.reload()

    @on(RecordsChanged)
    def _records_changed(self, message: RecordsChanged) -> None:
        self.reload(select=message.record)

    # ------------------------------------------------------------------ panes and focus
    def on_resize(self) -> None:
        self.compact, narrow = _fit(self.size)
        if narrow != self.has_class("-two-line-footer"):
            self.set_class(narrow, "-two-line-footer")
            self.refresh_bindings()  # the footer is made again, with or without the keys it leaves out

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
        if compact:  # the panes' one-line summaries, made when first needed
            for name in PANES:
                self.pane(name).show_summary()

    def focus_pane(self, name: str) -> None:
        """Make ``name`` the active pane and put the keyboard in its list."""
        self.active = name
        pane = self.pane(name)
        pane.set_class(True, "-active")
        # at once, so an arrow typed straight after moves in this list (focus() waits a turn; the keys
        # already queued went on to the list left behind); once laid out, focus_table scrolls it in view
        self.set_focus(pane.table, scroll_visible=False)
        self.call_after_refresh(pane.focus_table)

    def on_descendant_focus(self, event) -> None:
        if event.widget is not self.focused:  # news of a focus already moved on (3 then 1 typed at once)
            return
        for node in event.widget.ancestors_with_self:
            if isinstance(node, Pane):
                self.active = node.PANE
                return

    @on(Pane.Activated)
    def _pane_clicked(self, message: Pane.Activated) -> None:
        self.focus_pane(message.pane.PANE)

    @on(Pane.Chosen)
    def _row_chosen(self, message: Pane.Chosen) -> None:
        self.open_row(message.row, message.pane)

    def current_row(self) -> Row | None:
        return self.pane(self.active).current_row()

    # ------------------------------------------------------------------ opening other screens
    def _push(self, where: tuple[str, str] | str, name: str | None, *args: Any, refresh: bool = True,
              **kwargs: Any) -> bool:
        cls = screen_class_or_say(self, where, name)
        if cls is None:
            return False
        #: the audit trail's newest entry as the form opens: what it saved is what comes after
        self._mark = today_service.mark(self.app.desk) if refresh else None
        self.app.push_screen(cls(*args, **kwargs), self._saved if refresh else None)
        return True

    def _saved(self, record: Any = None) -> None:
        """A form or view closed: show what changed, with the saved record selected."""
        from ..models.base import Record  # (a form closed: its model is built)

        if isinstance(record, Record):
            mark, self._mark = getattr(self, "_mark", None), None
            if self._show_new(record):
                # its row is all that changed on screen, unless the form saved more (a patrol's incident):
                # reading the five panes again would keep the next keys waiting (~0.2 s on a decade)
                if today_service.only_this_saved(self.app.desk, mark, record):
                    self._fresh = True
                    return
            else:
                self.reload(select=record, only_its_pane=True)  # the saved row, at once (bench/: quick log)
            # then, once that frame is on screen, anything else the form changed (a patrol's incident)
            self.set_timer(0.2, self.reload)
        else:
            self.reload()
        # Textual calls this before it pops the screen, so the ScreenResume that follows has nothing to add
        self._fresh = True

    def _show_new(self, record: Record) -> bool:
        """A new incident or note of today: its row goes into its pane as it is, nothing read again
        (the pane's other rows and the counts are what they were). False when the pane must be read."""
        made = today_service.new_row(self.app.desk, record)
        if made is None:
            return False
        name, row = made
        if not self.pane(name).insert_row(row, rows_service.PAGE):
            return False
        self.refresh_bindings()  # R follows the selected row
        self.focus_pane(name)
        return True

    def open_form(self, kind: str, *args: Any, **kwargs: Any) -> bool:
        return self._push(form_of(kind), None, *args, **kwargs)

    def open_row(self, row: Row | None, pane: Pane | None = None) -> None:
        """enter: what the pane makes of its row (a door starts its check, patrol continues, the
        coordinator's note shows whole), else a record opens its view (with history)."""
        if row is None:
            self.notify("Nothing selected — move to a row first")
        elif (pane or self.pane(self.active)).open_row(self, row):
            pass
        elif row.held is not None and (record := self.record_of(row)) is not None:  # (None: damaged, said so)
            detail = ui_of(record.kind).detail
            self._push(*(detail, None, record.id) if detail is not None else ("screens.forms.item", "ItemScreen", record))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``o`` is offered (footer, key) only while the selected row has something to end, ``R``
        only while it is an incident or contact note."""
        if action == "end_item":
            return self.is_mounted and _may_end(self.current_row())
        if action == "referral_from":
            return self.is_mounted and self.may_refer()
        return True

    def on_data_table_row_highlighted(self) -> None:
        self.refresh_bindings()  # the footer offers o and R only on a row they apply to

    def watch_active(self, old: str, new: str) -> None:
        for name in PANES:
            self.pane(name).set_class(name == new, "-active")
        self.refresh_bindings()


def _fit(size) -> tuple[bool, bool]:
    """For a screen of this size: (the panes not in use collapse, the footer's keys take two lines)."""
    return (size.width < COMPACT_WIDTH or size.height < COMPACT_HEIGHT), size.width < FOOTER_ONE_LINE_WIDTH


def _shown(rows: list[Row]) -> list[tuple]:
    """What a pane shows of its rows (comparing records themselves is a deep pydantic comparison)."""
    return [(r.key, r.time, r.students, r.what, r.status, r.carried, r.amended, r.alert) for r in rows]


def _may_end(row: Row | None) -> bool:
    """A quick look (no database, no record validated: ``Row.held``): the row may have something to end."""
    held = row.held if row is not None else None
    if held is None or held.voided:
        return False
    if row.kind == "door":
        return row.alert
    ends = getattr(kind_named(held.kind), "ends", None)  # (ask only what the kind has: no model built)
    if ends in (FOLLOW_UP, ATTENDANCE):
        return held.follow_up_open if ends == FOLLOW_UP else held.status is FollowUpStatus.OPEN
    return getattr(held, "follow_up_open", False) or getattr(held, "status", None) is FollowUpStatus.OPEN
