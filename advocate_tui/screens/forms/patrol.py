"""The patrol form: start a round of a zone (or continue the open one), checkpoint by checkpoint.

``p`` on the main screen opens it. With no round under way it asks for the zone by a single key
(the zone whose turn it is first; enter takes it). Then for each checkpoint: ``c`` (or enter) clear,
``i`` issue → a one-line note, enter saves it. Every checkpoint is saved as it is reached, so a crash
mid-round keeps the walk; the round is finished after the last checkpoint (``f`` finishes early).
``n`` turns the latest issue into an incident: the incident form opens with the checkpoint's place,
time and note filled in, and the saved incident is linked to the checkpoint. ``escape`` leaves the
round open (``p`` continues it). Dismisses with the :class:`PatrolRound` (None if none was started).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.widgets import Input, Static

from ...models import CheckpointStatus, CheckpointVisit, PatrolRound, Record
from ...services import checklist
from ...services.incident_prefill import checkpoint_incident_prefill
from ...services.recording import Invalid
from ...store import StoreError
from ...widgets.choice import Choice
from ...widgets.form_input import FormInput
from ...widgets.literal import literal, plain
from .base import ConfirmScreen, FormScreen
from .door import KeyChoice

__all__ = ["PatrolForm"]

#: the form's steps
ZONE, WALK, NOTE, DONE = "zone", "walk", "note", "done"


class PatrolForm(FormScreen):
    """A patrol round, zone then checkpoint by checkpoint; each step is saved as it goes."""

    FORM = "patrol"
    RECORD_KIND = "patrol_round"
    FORM_TITLE = "Patrol round"
    KEYS_FOLLOW_FOCUS = False  # each step says its own keys

    BINDINGS = [
        ("n", "issue_incident", "Incident from issue"),
        ("enter", "close", "Close"),
    ]

    def __init__(self, record: PatrolRound | None = None, prefill: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(record=record, prefill=prefill, **kwargs)
        #: the round being walked (None until a zone is chosen)
        self.round: PatrolRound | None = record
        self.step = ZONE

    # ------------------------------------------------------------------ fields
    def compose_fields(self):
        desk = self.app.desk
        yield Static("", id="patrol-head")
        zones = checklist.zones_in_order(desk)
        yield self.field("zone", KeyChoice(zones, advance=False), "Zone",
                         hint="the zone whose turn it is comes first · enter takes it")
        yield self.field("step", KeyChoice([(s.value, s.label) for s in CheckpointStatus], extra_keys=("n", "f"),
                                           advance=False), "Found")
        yield self.field("note", FormInput(placeholder="what is the issue, in a line (enter saves)", next_on_enter=False),
                         "Issue")
        yield Static("", id="patrol-offer")

    @property
    def title_text(self) -> str:
        return f"Patrol round — {self.round.zone}" if self.round else "Patrol round — pick a zone"

    def on_mount(self) -> None:
        desk = self.app.desk
        if self.round is None:
            self.round = checklist.open_round(desk)
        elif not self.round.voided:
            self.round = desk.store.get(PatrolRound, self.round.id) or self.round
        super().on_mount()
        note = str(self._fields["note"].widget.value or "")
        if self.round is None:
            self._go(ZONE)
        elif self.round.finished_at is not None:
            self._go(DONE)
        elif checklist.next_checkpoint(desk, self.round) is None:  # walked, not yet finished (a crash)
            self._go(DONE)
            self.call_after_refresh(self._finish)
        else:
            self._go(NOTE if note else WALK)

    def focus_first(self) -> None:
        """Focus follows the step (see :meth:`_go`)."""

    # ------------------------------------------------------------------ steps
    def _go(self, step: str) -> None:
        self.step = step
        for name, row in self._fields.items():
            row.display = (name == "zone" and step == ZONE) or (name == "step" and step in (WALK, NOTE)) or \
                (name == "note" and step == NOTE)
        self._show_round()
        if step == ZONE:
            self.set_focus(self._fields["zone"].widget)
        elif step == WALK:
            self._fields["step"].widget.reset()
            self.set_focus(self._fields["step"].widget)
        elif step == NOTE:
            self._fields["step"].widget.value = CheckpointStatus.ISSUE.value
            self.set_focus(self._fields["note"].widget)
        else:
            self.set_focus(None)
        self.refresh_bindings()

    def _show_round(self) -> None:
        desk = self.app.desk
        self.query_one("#form-title", Static).update(literal(self.title_text, one_line=True))
        head = Text()
        rnd = self.round
        if rnd is None:
            state = checklist.patrol_state(desk)
            phrase = state.text()
            head.append(phrase[:1].upper() + phrase[1:], style="bold")
            head.append(f" · {plain(state.next_zone)}'s turn")
        else:
            zone = desk.profile.zone_named(rnd.zone)
            names = list(zone.checkpoints) if zone else []
            head.append(plain(rnd.zone), style="bold")
            head.append(f" · started {desk.clock.label(rnd.started_at)} · {len(rnd.checkpoints)} of {len(names)} reached")
            if rnd.finished_at is not None:
                head.append(f" · finished {desk.clock.label(rnd.finished_at)}")
            current = checklist.next_checkpoint(desk, rnd)
            visits = {v.checkpoint: v for v in rnd.checkpoints}
            for name in names + [v.checkpoint for v in rnd.checkpoints if v.checkpoint not in names]:
                head.append("\n")
                visit = visits.get(name)
                if visit is None:
                    mark, style = ("▶ ", "bold") if name == current and rnd.finished_at is None else ("· ", "dim")
                    head.append(f"{mark}{plain(name)}", style=style)
                    continue
                issue = visit.status is CheckpointStatus.ISSUE
                head.append("⚠ " if issue else "✓ ", style="bold" if issue else "")
                head.append(f"{plain(name)}  {desk.clock.local(visit.reached_at).format('HH:mm')}")
                if issue:
                    head.append(f" — {plain(visit.note)}", style="bold")
                    head.append("  [incident made]" if visit.incident_id else "")
            if current is not None and rnd.finished_at is None:
                head.append(f"\n\nNow at: {plain(current)}", style="bold")
        self.query_one("#patrol-head", Static).update(head)
        issue = self._pending_issue()
        offer = f"n  new incident from the issue at {issue.checkpoint}" if issue is not None else ""
        self.query_one("#patrol-offer", Static).update(literal(offer))
        keys = {
            ZONE: "zone by its key · enter the one whose turn it is · esc cancel",
            WALK: "c/enter clear · i issue · n incident from issue · f finish now · esc pause (p continues)",
            NOTE: "type the issue · enter/ctrl+s save · esc back",
            DONE: "n incident from issue · enter/esc close" if issue is not None else "enter/esc close",
        }[self.step]
        self.query_one("#form-keys", Static).update(keys)

    def _pending_issue(self) -> CheckpointVisit | None:
        """The latest issue of the round not yet made an incident."""
        if self.round is None:
            return None
        return next((v for v in reversed(self.round.checkpoints)
                     if v.status is CheckpointStatus.ISSUE and not v.incident_id), None)

    def _call(self, fn, *args: Any) -> PatrolRound | None:
        """Run a service step; errors go next to the field (nothing typed is lost)."""
        try:
            result = fn(self.app.desk, *args)
        except Invalid as exc:
            self.show_errors(exc.errors)
            return None
        except StoreError as exc:
            self.show_errors({"": f"Not saved: {exc}"})
            return None
        self.clear_errors()
        return result

    # ------------------------------------------------------------------ keys
    @on(Choice.Changed, "#field-zone KeyChoice")
    def _zone_picked(self, event: Choice.Changed) -> None:
        event.stop()
        zone = str(event.value or "")
        self._fields["zone"].widget.reset()
        if not zone or self.round is not None:
            return
        started = self._call(checklist.start_round, zone)
        if started is not None:
            self.round = started
            self._go(WALK)

    @on(Choice.Changed, "#field-step KeyChoice")
    def _step_picked(self, event: Choice.Changed) -> None:
        event.stop()
        value = str(event.value or "")
        self._fields["step"].widget.reset()
        if value == CheckpointStatus.CLEAR.value:
            self._reach(CheckpointStatus.CLEAR, "")
        elif value == CheckpointStatus.ISSUE.value:
            self._go(NOTE)

    @on(KeyChoice.Extra, "#field-step KeyChoice")
    def _step_extra(self, event: KeyChoice.Extra) -> None:
        if event.key == "n":
            self.action_issue_incident()
        elif event.key == "f":
            self._finish()

    @on(Input.Submitted, "#field-note Input")
    def _note_entered(self, event: Input.Submitted) -> None:
        event.stop()
        event.prevent_default()
        self.action_save()

    def _reach(self, status: CheckpointStatus, note: str) -> None:
        if self.round is None:
            return
        desk = self.app.desk
        self.round = desk.store.get(PatrolRound, self.round.id) or self.round  # another desk may have walked on
        checkpoint = checklist.next_checkpoint(desk, self.round)
        if checkpoint is None:
            self._finish()
            return
        updated = self._call(checklist.reach_checkpoint, self.round, checkpoint, status, note)
        if updated is None:
            return
        self.round = updated
        self._fields["note"].widget.value = ""
        if checklist.next_checkpoint(self.app.desk, updated) is None:
            self._finish()
        else:
            self._go(WALK)

    def _finish(self) -> None:
        if self.round is None:
            return
        finished = self._call(checklist.finish_round, self.round)
        if finished is None:
            return
        self.round = finished
        issues = len(finished.issues)
        self.notify(f"Patrol round of {finished.zone} finished: {len(finished.checkpoints)} checkpoints, "
                    f"{issues} issue{'s' * (issues != 1)}", timeout=4)
        if self._pending_issue() is None:
            self._close()
        else:
            self._go(DONE)

    def _close(self) -> None:
        self._forget_draft()
        self.dismiss(self.round)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "close":
            return self.step == DONE
        if action == "issue_incident":
            return self.step in (WALK, DONE)
        return True

    def action_close(self) -> None:
        self._close()

    def action_save(self) -> None:
        """ctrl+s: save the issue being typed; at the end, close."""
        if self.step == NOTE:
            self._reach(CheckpointStatus.ISSUE, str(self._fields["note"].widget.value or ""))
        elif self.step == DONE:
            self._close()

    def action_cancel(self) -> None:
        """escape: back from a note (asks if typed); otherwise close, leaving an open round to continue."""
        if self.step == NOTE:
            if not str(self._fields["note"].widget.value or "").strip():
                self.clear_errors()
                self._go(WALK)
                return

            def answered(discard: bool | None) -> None:
                if discard:
                    self._fields["note"].widget.value = ""
                    self.clear_errors()
                    self._go(WALK)

            self.app.push_screen(ConfirmScreen("Discard this issue note? What you typed will be lost."), answered)
            return
        if self.round is not None and self.round.finished_at is None:
            self.notify(f"Round of {self.round.zone} paused — p continues it", timeout=3)
        self._close()

    def action_issue_incident(self) -> None:
        """n: the latest issue not yet an incident → the incident form, filled in; link what it saves."""
        issue = self._pending_issue()
        if issue is None or self.round is None:
            self.notify("No issue on this round to make an incident of", severity="warning")
            return
        from .incident import IncidentForm  # the forms engineer's form, loaded when first used

        prefill = checkpoint_incident_prefill(self.round, issue, self.app.desk.profile)
        round_id, checkpoint = self.round.id, issue.checkpoint

        def saved(incident: Record | None) -> None:
            if incident is None:
                return
            linked = self._call(checklist.link_checkpoint_incident, round_id, checkpoint, incident.id)
            if linked is not None:
                self.round = linked
                self.notify(f"Incident linked to the issue at {checkpoint}", timeout=3)
            self._go(self.step if self.step != NOTE else WALK)
            if self.step == DONE and self._pending_issue() is None:
                self._close()

        self.app.push_screen(IncidentForm(prefill=prefill), saved)

    # ------------------------------------------------------------------ the base's save path is not used
    def save_values(self, values: dict[str, Any]) -> Record:  # pragma: no cover - steps save themselves
        raise Invalid({"": "each checkpoint is saved as it is reached"})

    @classmethod
    def _from_draft(cls, draft) -> "PatrolForm":
        return cls(draft=draft)
