"""The yardstick for start-up: a bare Textual app that shows one Label.

With $ADVOCATE_READY_FILE set it writes "<unix time> <peak KiB> <how>" there once painted and quits,
exactly as advocate-tui's own hook does (see ``AdvocateApp._report_ready``); the peak is this
process's own (``VmHWM``, :func:`bench.ready.peak_kib`).
"""

from __future__ import annotations

import os

from textual.app import App, ComposeResult
from textual.widgets import Label

from bench.ready import write_mark


class BareApp(App):
    """One Label, nothing else."""

    def compose(self) -> ComposeResult:
        yield Label("Hello")

    def on_mount(self) -> None:
        if os.environ.get("ADVOCATE_READY_FILE"):
            self.screen.call_after_refresh(self._mark)

    def _mark(self) -> None:
        write_mark(os.environ["ADVOCATE_READY_FILE"])
        self.exit()


if __name__ == "__main__":
    BareApp().run()
