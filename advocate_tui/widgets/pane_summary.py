"""A pane's one-line summary, shown when the main screen collapses the panes not in use (a small terminal):
made only once the screen is small enough to collapse them (:class:`PaneSummary`, a part of
:class:`~advocate_tui.widgets.pane.Pane`). On a large terminal it is never shown: five widgets fewer to
make, style and lay out at a start (bench/)."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from .literal import literal, update_text

__all__ = ["PaneSummary"]


class PaneSummary:
    """The collapsed line of a pane (it needs ``NUMBER``, ``TITLE`` and ``NOTHING`` of the pane)."""

    NUMBER: int
    TITLE: str
    NOTHING: str

    #: the line, once made; what it shows (its text and alert) is kept until then
    _summary: Static | None = None
    _summary_line: Text | None = None
    _summary_alert = False
    _composed = False

    def _new_summary(self) -> Static:
        line = self._summary_line or literal(f"{self.NUMBER} {self.TITLE} · {self.NOTHING}")
        return Static(line, classes="pane-summary -alert" if self._summary_alert else "pane-summary")

    def show_summary(self) -> None:
        """Make the collapsed line if it is not there yet (the screen became small)."""
        if self._summary is None:
            self._summary = self._new_summary()
            if self._composed:  # (else compose yields it)
                self.mount(self._summary, before=0)

    def _set_summary(self, line: Text | None = None, alert: bool | None = None) -> None:
        if line is not None:
            self._summary_line = line
        if alert is not None:
            self._summary_alert = alert
        if self._summary is not None:
            if line is not None:
                update_text(self._summary, line)
            if alert is not None:
                self._summary.set_class(alert, "-alert")
