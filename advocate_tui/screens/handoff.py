"""`H`: the day's-end handoff — review what goes to the coordinator, add a shift summary, sign off.

The review scrolls at the top; the shift summary and the signature stay at the bottom, the cursor in
the summary (the first field to fill; tab and shift+tab move between the summary, the signature and
the button). Signing asks first (``y``; it can't be undone), and a handoff with nothing in it says so
before anything is signed. Every row of another day shows its date. The screen calls the handoff
service (one transaction) and then writes the bundle files, signed with this desk's key; it shows
where they went, and the key's fingerprint for the coordinator to compare. It is a full Screen (not
a modal) so nothing else shows behind it.
"""

from __future__ import annotations

import dataclasses

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static, TextArea

from ..services import handoff as handoff_service
from ..services.bundle import BundleError, write_bundle
from ..services.handoff import HandoffError, HandoffReview
from ..services.signing import desk_signer
from ..services.text_fit import counted
from ..widgets.form_input import FormInput, forward_if_blurred, move_on_tab
from ..widgets.literal import literal
from .fit_columns import Col, cut, set_columns
from .forms.confirm import ConfirmScreen
from .thread_work import thread_work

_DRAFT_KEY = "handoff_summary"

#: The review's columns; under 100 terminal columns short labels and "To" only in the detail below.
COLUMNS = [
    Col("urgency", "Urgency", "Urg.", 7), Col("made", "Made", "Made", 11, wide=24),
    Col("students", "Students", "Students", 12, flex=2), Col("purpose", "Purpose", "Purpose", 12, wide=16),
    Col("to", "To", "To", 14, drop=1), Col("reason", "Reason", "Reason", 12, flex=3),
]


class SummaryArea(TextArea):
    """The shift summary: tab moves the cursor to the signature at once, and keys typed behind it (one
    burst at a terminal: "… more", tab, "JD") follow the cursor there, as in the forms' fields."""

    async def _on_key(self, event: events.Key) -> None:
        if forward_if_blurred(self, event) or move_on_tab(self, event):
            return
        await super()._on_key(event)


class HandoffScreen(Screen):
    """The handoff review, the shift summary and the sign-off."""

    CSS_PATH = "handoff.tcss"
    #: the cursor starts in the summary, the first field to fill — from the first frame, so keys typed
    #: right after H (while the review is read) land there, not in the referral table
    AUTO_FOCUS = "#handoff-summary"
    BINDINGS = [
        Binding("ctrl+s", "sign_off", "Sign off", id="handoff.sign_off", tooltip="Sign and hand the queue to the coordinator"),
        Binding("escape", "close", "Back", id="handoff.close"),
        Binding("S", "shift_report", "Shift report", id="handoff.shift_report",
                tooltip="The day's end-of-shift report (goes into the bundle)"),
    ]

    def action_shift_report(self) -> None:
        """The end-of-shift report that goes into the bundle (issue 14)."""
        from .shift_report import ShiftReportScreen

        self.app.push_screen(ShiftReportScreen())

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.review: HandoffReview | None = None
        self._signing = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="handoff-body", can_focus=False):
            yield Static(id="handoff-title", markup=False)
            yield Static(id="handoff-result", markup=False)
            yield DataTable(id="handoff-referrals", cursor_type="row", zebra_stripes=True)
            yield Static(id="handoff-detail", markup=False)
            yield Static(id="handoff-others", markup=False)
            yield Static(id="handoff-key", markup=False)
        with Vertical(id="handoff-form"):
            yield Label("Shift summary for the coordinator (optional) · tab: to the signature", classes="handoff-label")
            yield SummaryArea(id="handoff-summary", soft_wrap=True, tab_behavior="focus")
            with Horizontal(id="handoff-sign"):
                yield Label("Signed by", classes="handoff-label")
                yield FormInput(id="handoff-signer", placeholder="name or initials, e.g. JR", max_length=100,
                                next_on_enter=False)  # (its editing keys act in the order typed; enter signs)
                yield Button("Sign off  ctrl+s", id="handoff-sign-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self._width = 0
        self.set_class(self.app.size.height < self.SHORT_HEIGHT, "-short")
        draft = self.app.desk.extras.get(_DRAFT_KEY)
        if draft:
            summary = self.query_one("#handoff-summary", TextArea)
            summary.text = draft
            summary.move_cursor(summary.document.end)  # typing goes on after it, not in front of it
        self.refresh_review()
        self._show_key()
        body = self.query_one("#handoff-body", VerticalScroll)
        self.call_after_refresh(body.scroll_home, animate=False)  # the title first (the table scrolls to its cursor)

    def _show_key(self) -> None:
        """This desk's signing key fingerprint (the key is made now if the desk has none yet)."""
        try:
            fingerprint = desk_signer(self.app.desk).fingerprint
        except Exception as exc:  # the store's one-line errors (a busy database...)
            text = f"This desk's signing key could not be read ({exc}); it is made at the next sign-off."
        else:
            text = (f"Bundles are signed with this desk's key {fingerprint} — the coordinator compares it "
                    "before trusting the first one.")
        self.query_one("#handoff-key", Static).update(literal(text))

    # ------------------------------------------------------------------ showing
    def refresh_review(self) -> None:
        """Read the review from the service and show it."""
        desk = self.app.desk
        rv = self.review = handoff_service.review(desk)
        self.query_one("#handoff-title", Static).update(literal(self._title(rv)))
        table = self.query_one("#handoff-referrals", DataTable)
        width = self.app.size.width
        if width != self._width or not table.columns:
            self._layout = set_columns(table, COLUMNS, width - 4, desk.words)  # the body's padding and scrollbar
            self._width = width
        else:
            table.clear()
        made_width = next((w for c, _, w in self._layout if c.key == "made"), 11)
        for r in rv.referrals:
            made = desk.clock.label(r.referred_at)
            if rv.is_carried_over(r):
                made = f"{desk.words.day(desk.clock.local(r.referred_at), padded=True)} · carried over"
                if len(made) > made_width:
                    made = f"{desk.words.day(desk.clock.local(r.referred_at), padded=True)} ↩"
            cells = {"urgency": r.urgency.label.upper() if r.urgency.value == "urgent" else r.urgency.label,
                     "made": made, "students": rv.student_names(r.students), "purpose": r.purpose.label,
                     "to": r.destination, "reason": r.reason}
            table.add_row(*[cut(cells[c.key], w) for c, _, w in self._layout], key=r.id)
        table.display = bool(rv.referrals)
        self._show_detail()
        self.query_one("#handoff-others", Static).update(literal(self._others_text(rv)))

    def _title(self, rv: HandoffReview) -> str:
        earlier = f" · handoff {rv.sequence - 1} already signed today" if rv.earlier else ""
        head = f"Handoff {self.app.desk.words.full_date(rv.day)} #{rv.sequence}{earlier} — "
        if rv.is_empty:
            since = ""
            if rv.earlier:
                last = rv.earlier[-1]
                since = f" since handoff {last.sequence} at {self.app.desk.clock.label(last.signed_at)}"
            return head + f"nothing new to hand off{since}: a sign-off now would carry only your summary"
        carried = sum(1 for r in rv.referrals if rv.is_carried_over(r))
        return (head + f"{counted(len(rv.referrals), 'referral')} to hand off"
                + (f", {carried} carried over from earlier days" if carried else "")
                + (f", {counted(len(rv.changes), 'change')} to earlier handoffs" if rv.changes else ""))

    def _contents(self, rv: HandoffReview) -> str:
        """What a sign-off would carry, in one line ('3 referrals, 2 incidents (1 logged late), …'), kind by kind."""
        desk = self.app.desk
        return ", ".join(bit for part in _shown_parts() if part.contents for bit in part.contents(desk, rv))

    #: lower than this, the summary box is three lines instead of five (the review keeps some room)
    SHORT_HEIGHT = 30

    def on_resize(self) -> None:
        self.set_class(self.app.size.height < self.SHORT_HEIGHT, "-short")
        if self.review is not None and self.app.size.width != self._width:
            self.refresh_review()

    @on(DataTable.RowHighlighted, "#handoff-referrals")
    def _show_detail(self) -> None:
        """The selected referral in full (the table cuts long cells to fit)."""
        detail = self.query_one("#handoff-detail", Static)
        table = self.query_one("#handoff-referrals", DataTable)
        rv = self.review
        if rv is None or not rv.referrals or table.row_count == 0:
            detail.update("")
            return
        key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        r = next((x for x in rv.referrals if x.id == key), None)
        if r is None:
            detail.update("")
            return
        carried = " · carried over" if rv.is_carried_over(r) else ""
        desk = self.app.desk
        made = desk.clock.label(r.referred_at)
        if desk.clock.local(r.referred_at).date() != desk.clock.today():   # another day's: say which
            made = f"{desk.words.day(desk.clock.local(r.referred_at))} {made}"
        detail.update(literal(f"{rv.student_names(r.students)} · {r.urgency.label} · {r.purpose.label} → "
                              f"{r.destination} · made {made}{carried}\n"
                              f"Reason: {r.reason}"))

    def _others_text(self, rv: HandoffReview) -> str:
        """Each kind's section of the review (the coordinator's word and changes, incidents, attendance…)."""
        desk = self.app.desk
        return "\n".join(line for part in _shown_parts() if part.review for line in part.review(desk, rv))

    def _result(self, text: str, *, error: bool = False) -> None:
        result = self.query_one("#handoff-result", Static)
        result.update(literal(text))
        result.set_class(error, "-error")
        result.set_class(not error, "-done")

    # ------------------------------------------------------------------ actions
    @on(Button.Pressed, "#handoff-sign-button")
    @on(Input.Submitted, "#handoff-signer")
    def _sign_pressed(self) -> None:
        self.action_sign_off()

    def action_sign_off(self) -> None:
        """Sign off: asks first (it can't be undone), then the handoff in one transaction and the bundle
        files (in a worker thread)."""
        if self._signing or isinstance(self.app.screen, ConfirmScreen):
            return
        signer = self.query_one("#handoff-signer", Input)
        if not signer.value.strip():
            self._result("Sign with your name or initials first.", error=True)
            signer.focus()
            return
        self.refresh_review()  # another desk may have saved or signed meanwhile
        rv = self.review
        summary = self.query_one("#handoff-summary", TextArea).text
        if rv is not None and rv.is_empty and not summary.strip():
            self._result("Nothing to hand off yet: no referral, incident, open follow-up, exception or flagged note "
                         "is waiting, and there is no summary — nothing was signed.", error=True)
            return
        day = self.app.desk.words.full_date(rv.day) if rv is not None else ""
        if rv is not None and rv.is_empty:
            question = (f"Handoff {day} #{rv.sequence} has nothing in it but your summary. "
                        f"Sign it as {signer.value.strip()} anyway? A signed handoff can't be undone.")
        else:
            question = (f"Sign handoff {day} #{rv.sequence} as {signer.value.strip()}? It carries "
                        f"{self._contents(rv)}. A signed handoff can't be undone: the referrals go to the coordinator.")
        ids = [r.id for r in rv.referrals] if rv else None

        def answered(yes: bool | None) -> None:
            if yes:
                self._start_signing(signer.value, summary, ids)

        self.app.push_screen(ConfirmScreen(question, "y sign it", "n not yet", enter_is_yes=False), answered)

    def _start_signing(self, signer: str, summary: str, ids: list[str] | None) -> None:
        self._signing = True
        self.query_one("#handoff-sign-button", Button).disabled = True
        self._result("Signing…")
        self._sign(signer, summary, ids)

    @thread_work("handoff")
    def _sign(self, signer: str, summary: str, ids: list[str] | None) -> None:
        """The database work on its own connection, so a busy database never freezes the screen."""
        desk = dataclasses.replace(self.app.desk, store=self.app.desk.store.reopen())
        handoff = paths = problem = None
        try:
            handoff = handoff_service.sign_off(desk, signer, summary, reviewed=ids)
            paths = write_bundle(desk, handoff)
        except HandoffError as exc:
            problem = f"{exc}."
        except BundleError as exc:
            problem = str(exc)
        except Exception as exc:  # the store's one-line errors (a busy database...)
            problem = str(exc) or type(exc).__name__
        finally:
            desk.store.close()
        self.app.call_from_thread(self._signed, handoff, paths, problem)

    def _signed(self, handoff, paths, problem: str | None) -> None:
        self._signing = False
        self.query_one("#handoff-sign-button", Button).disabled = False
        if handoff is None:
            self._result(f"Not signed: {problem}", error=True)
            return
        desk = self.app.desk
        desk.extras.pop(_DRAFT_KEY, None)
        self.query_one("#handoff-summary", TextArea).text = ""
        head = (f"Signed handoff {handoff.date.isoformat()} #{handoff.sequence} at {desk.clock.label(handoff.signed_at)} "
                f"by {handoff.signed_by}: {counted(len(handoff.referral_ids), 'referral')} handed off.")
        if paths is None:
            self._result(f"{head}\nThe files were not written ({problem}); "
                         f"write them with: advocate handoff export --date {handoff.date.isoformat()}", error=True)
        else:
            self._result(head + "\nFiles written:\n" + "\n".join(f"  {p}" for p in paths))
        self.refresh_review()
        self.query_one("#handoff-body", VerticalScroll).scroll_home(animate=False)  # the result, at the top
        self.notify(f"Handoff #{handoff.sequence} signed", title="Handoff")

    def is_dirty(self) -> bool:
        """True while an unsigned summary is typed: quitting the app asks first (it is kept only while the app runs)."""
        try:
            return bool(self.query_one("#handoff-summary", TextArea).text.strip())
        except Exception:  # noqa: BLE001 - not composed yet (or gone): nothing typed here
            return False

    def action_close(self) -> None:
        """Back to the shift; an unsigned summary is kept for when the screen opens again."""
        text = self.query_one("#handoff-summary", TextArea).text
        if text.strip():
            self.app.desk.extras[_DRAFT_KEY] = text
        else:
            self.app.desk.extras.pop(_DRAFT_KEY, None)
        self.dismiss()


def _shown_parts() -> list:
    """The kinds' handoff parts in the order the review shows them."""
    from ..services.kinds import shown_parts

    return shown_parts()
