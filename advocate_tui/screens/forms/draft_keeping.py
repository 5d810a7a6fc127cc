"""A form's draft: what was typed, kept in the store while the form is open so a crash or power cut loses nothing
(:mod:`advocate_tui.services.drafts`)."""

from __future__ import annotations

from ...services import drafts
from ...store import StoreError


class DraftKeeping:
    """How a form keeps what was typed as a draft: written a moment after the last keystroke (or at once before
    a quit or the lock), cleared when nothing differs from how the form opened, forgotten on save or cancel."""

    def keeps_draft(self) -> bool:
        """True if what was typed is kept as a draft (letters typed only in a student search are not)."""
        return self.DRAFTS and self.values() != self._baseline

    def write_draft(self) -> None:
        """Write the draft now (or clear it if nothing differs from how the form opened)."""
        self._draft_timer = None
        if not self.DRAFTS or not self.is_mounted:
            return
        try:
            if self.values() != self._baseline:  # letters in a student search alone are not worth a draft
                data = {**{k: v for k, v in self.values().items() if k not in self.hidden}, "_hidden": self.hidden}
                drafts.save_draft(self.app.desk, self.draft_key, self.FORM, data,
                                  self.record.id if self.record else None)
                self._draft_written = True
            elif self._draft_written:
                drafts.clear_draft(self.app.desk, self.draft_key)
                self._draft_written = False
        except StoreError:
            pass  # a busy database: the next keystroke tries again

    def flush_draft(self) -> None:
        """Write the draft now if typing is waiting for the debounce (before a quit or the lock)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self.write_draft()
        elif self.DRAFTS and self.is_mounted and not self._loading and self.values() != self._baseline:
            self.write_draft()

    def _forget_draft(self) -> None:
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        if self._draft_written or self._draft is not None:
            try:
                drafts.clear_draft(self.app.desk, self.draft_key)
            except StoreError:
                pass
            self._draft_written = False
