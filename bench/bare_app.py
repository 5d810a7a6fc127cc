"""The yardstick for start-up: a bare Textual app that shows one Label.

With $ADVOCATE_READY_FILE set it writes "<unix time> <peak RSS KiB>" there once painted and quits,
exactly as advocate-tui's own hook does (see ``AdvocateApp._report_ready``).
"""

from __future__ import annotations

import os
import resource
import time

from textual.app import App, ComposeResult
from textual.widgets import Label


class BareApp(App):
    """One Label, nothing else."""

    def compose(self) -> ComposeResult:
        yield Label("Hello")

    def on_mount(self) -> None:
        if os.environ.get("ADVOCATE_READY_FILE"):
            self.screen.call_after_refresh(self._mark)

    def _mark(self) -> None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with open(os.environ["ADVOCATE_READY_FILE"], "w", encoding="ascii") as fh:
            fh.write(f"{time.time():.6f} {peak}\n")
        self.exit()


if __name__ == "__main__":
    BareApp().run()
