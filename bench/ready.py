"""Ready marks for the start-up benchmark, for Textual apps that do not write one themselves.

    python bench/ready.py --module bench.bare_app                # a module, as ``python -m`` runs it
    python bench/ready.py --entry-point tl -- app.log              # a console script (toolong, posting…)

With ``$BENCH_READY_FILE`` set, it patches :class:`textual.app.App` so that, once the app has
mounted (Textual's own ``_ready`` hook), every worker is done and the screen has been painted, the
app writes "<unix time> <peak KiB> <how>" there and quits: the same moment advocate-tui's own hook
(``AdvocateApp._report_ready``) marks. This file imports nothing but the standard library and
Textual (and :mod:`advocate_tui.procstat`, which needs nothing else), so a peer app's own virtual
environment can run it as a script (``peer/bin/python bench/ready.py ...``) without advocate-tui
installed.
"""

from __future__ import annotations

import argparse
import os
import runpy
import sys
import time
from pathlib import Path

READY_ENV = "BENCH_READY_FILE"


def peak_kib() -> tuple[int, str]:
    """This process's own peak resident memory in KiB (``VmHWM``; ``ru_maxrss`` without /proc)."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.append(root)  # for advocate_tui.procstat (standard library only) in a peer's environment
    from advocate_tui.procstat import peak_memory_kib

    return peak_memory_kib()


def write_mark(path: str) -> None:
    """Write "<unix time> <peak KiB> <how>" to ``path``."""
    peak, how = peak_kib()
    with open(path, "w", encoding="ascii") as fh:
        fh.write(f"{time.time():.6f} {peak} {how}\n")


def patch_textual(path: str) -> None:
    """Make every Textual app of this process mark ``path`` when it is first ready, then quit."""
    from textual.app import App

    real_ready = App._ready

    async def _ready(self) -> None:
        await real_ready(self)
        if getattr(App, "_bench_marked", False):
            return
        App._bench_marked = True

        async def report() -> None:
            await self.workers.wait_for_complete()

            def mark() -> None:
                write_mark(path)
                self.exit()

            self.screen.call_after_refresh(mark)

        self._bench_ready_task = self.call_later(report)

    App._ready = _ready


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench/ready.py", description=__doc__.split("\n\n")[0])
    what = ap.add_mutually_exclusive_group(required=True)
    what.add_argument("--module", help="run this module as `python -m` does")
    what.add_argument("--entry-point", help="run this console script (from the running Python's packages)")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="the app's own arguments (after --)")
    ns = ap.parse_args(argv)
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    if os.environ.get(READY_ENV):
        patch_textual(os.environ[READY_ENV])
    if ns.module:
        sys.argv = [ns.module, *args]
        sys.path.insert(0, os.getcwd())  # as ``python -m`` does
        runpy.run_module(ns.module, run_name="__main__", alter_sys=True)
        return 0
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="console_scripts") if ep.name == ns.entry_point]
    if not found:
        print(f"bench/ready.py: no console script {ns.entry_point!r} here", file=sys.stderr)
        return 2
    sys.argv = [ns.entry_point, *args]
    result = found[0].load()()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    raise SystemExit(main())
