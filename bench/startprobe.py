"""Where a start's time goes: ``advocate`` run with timers on the functions of its start path.

    ADVOCATE_READY_FILE=/tmp/r ADVOCATE_PASSPHRASE=... python -m bench.startprobe --json probe.json -- --db X

Run by :mod:`bench.run` (``--part profile``) in the same 160×48 pseudo-terminal as the start-up
figures. Each function named in :data:`PROBES` is wrapped as its module is imported (an import hook:
nothing is imported earlier than the app imports it, so the start's order is unchanged); every call
is recorded with its thread, wall time and, for the database, whether it was keyed. At exit the
probe writes a JSON timeline: calls (unix start, seconds, thread, label, details), the SQLCipher key
derivations (``engine._pbkdf2``, once per file and process, and every connection SQLCipher keys by
passphrase alone: ``engine.apply_key`` with no salt; with the call each was made in), the frames Textual wrote before the ready mark, and the pane fills. A name the app no
longer has is listed under ``missing`` (the start path is being changed by others: the probe keeps
working and says what it could not see). ``--pyinstrument FILE`` also profiles the main thread.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import importlib.abc
import importlib.util
import json
import os
import sys
import threading
import time

T0 = time.time()

#: (module, qualified name, label): the start path's functions worth a line in the timeline
PROBES: list[tuple[str, str, str]] = [
    ("advocate_tui.cli.main", "main", "cli main"),
    ("advocate_tui.cli.passphrase", "startup_passphrase", "passphrase"),
    ("advocate_tui.cli.app_cmds", "run_app", "run_app"),
    ("advocate_tui.cli.app_cmds", "_migrate", "migrate"),
    ("advocate_tui.cli.app_cmds", "_launch", "app run (Textual)"),
    ("advocate_tui.cli.data_cmds", "start_of_day", "start_of_day"),
    ("advocate_tui.desk", "Desk.open", "Desk.open"),
    ("advocate_tui.store.core", "Store.open", "Store.open"),
    ("advocate_tui.store.core", "Store.reopen", "Store.reopen (worker connection)"),
    ("advocate_tui.store.engine", "connect", "engine.connect"),
    ("advocate_tui.store.engine", "connect_readonly", "engine.connect_readonly"),
    ("advocate_tui.store.engine", "_verify", "PRAGMA quick_check (open)"),
    ("advocate_tui.store.filecheck", "FileCheck._run", "file check (its own thread)"),
    ("advocate_tui.services.after_start", "AfterStart._run", "after the first screen: check, then backup"),
    ("advocate_tui.app", "AdvocateApp._begin_after_start", "background work started"),
    ("advocate_tui.store.files", "backup_to", "backup_to (online backup + its quick_check)"),
    ("advocate_tui.services.backup", "daily_backup", "daily_backup"),
    ("advocate_tui.services.backup", "ensure_identity", "ensure_identity"),
    ("advocate_tui.services.signing", "desk_signer", "desk_signer"),
    ("advocate_tui.services.today", "load", "today.load (all panes)"),
    ("advocate_tui.services.today", "counts", "today.counts"),
    ("advocate_tui.services.today", "pane_rows", "today.pane_rows"),
    ("advocate_tui.screens.main", "MainScreen.reload", "MainScreen.reload"),
    ("advocate_tui.screens.main", "MainScreen.on_mount", "MainScreen.on_mount"),
    ("advocate_tui.widgets.pane", "Pane.set_rows", "Pane.set_rows"),
    ("advocate_tui.widgets.pane", "Pane._fill", "Pane._fill (DataTable filled)"),
]

CALLS: list[dict] = []
KDF: list[dict] = []
FRAMES: list[float] = []
MISSING: list[str] = []
_stack = threading.local()


def _where() -> list[str]:
    return list(getattr(_stack, "labels", []))


def _wrap(fn, label: str):
    @functools.wraps(fn)
    def timed(*args, **kwargs):
        labels = getattr(_stack, "labels", None)
        if labels is None:
            labels = _stack.labels = []
        entry = {"label": label, "thread": threading.current_thread().name, "start": time.time(),
                 "inside": labels[-1] if labels else ""}
        if label.startswith("engine.connect"):
            entry["keyed"] = bool(kwargs.get("passphrase"))
            entry["verify"] = bool(kwargs.get("verify"))
        if label.startswith("Pane."):
            entry["pane"] = getattr(args[0], "id", "") if args else ""
        labels.append(label)
        try:
            return fn(*args, **kwargs)
        finally:
            labels.pop()
            entry["seconds"] = time.time() - entry["start"]
            CALLS.append(entry)

    return timed


def _wrap_apply_key(fn):
    """A connection keyed by passphrase alone: SQLCipher derives the key (with the file's salt, a raw
    key: no derivation, counted where it is derived, :func:`_wrap_pbkdf2`)."""
    @functools.wraps(fn)
    def keyed(conn, passphrase, salt=None, *args, **kwargs):
        if passphrase and salt is None:
            KDF.append({"at": time.time(), "thread": threading.current_thread().name, "inside": _where()})
        return fn(conn, passphrase, salt, *args, **kwargs)

    return keyed


def _wrap_pbkdf2(fn):
    @functools.wraps(fn)
    def derive(*args, **kwargs):
        KDF.append({"at": time.time(), "thread": threading.current_thread().name, "inside": _where() + ["PBKDF2"]})
        return fn(*args, **kwargs)

    return derive


def _patch(module) -> None:
    name = module.__name__
    for mod, qual, label in PROBES:
        if mod != name:
            continue
        owner, _, attr = qual.rpartition(".")
        target = getattr(module, owner, None) if owner else module
        raw = (target.__dict__.get(attr) if isinstance(target, type) else getattr(target, attr, None)) \
            if target is not None else None
        if raw is None:
            MISSING.append(f"{mod}.{qual}")
            continue
        if isinstance(raw, classmethod):
            setattr(target, attr, classmethod(_wrap(raw.__func__, label)))
        elif isinstance(raw, staticmethod):
            setattr(target, attr, staticmethod(_wrap(raw.__func__, label)))
        else:
            setattr(target, attr, _wrap(raw, label))
    if name == "advocate_tui.store.engine" and hasattr(module, "apply_key"):
        module.apply_key = _wrap_apply_key(module.apply_key)
    if name == "advocate_tui.store.engine" and hasattr(module, "_pbkdf2"):
        module._pbkdf2 = _wrap_pbkdf2(module._pbkdf2)
    if name == "textual.app":
        real = module.App._display

        def _display(self, screen, update):
            if update is not None:
                FRAMES.append(time.time())
            return real(self, screen, update)

        module.App._display = _display


class _Loader(importlib.abc.Loader):
    def __init__(self, real):
        self.real = real

    def create_module(self, spec):
        return self.real.create_module(spec)

    def exec_module(self, module):
        self.real.exec_module(module)
        _patch(module)


class _Finder(importlib.abc.MetaPathFinder):
    names = {m for m, _q, _l in PROBES} | {"textual.app"}

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.names:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(fullname)
        finally:
            sys.meta_path.insert(0, self)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.startprobe")
    ap.add_argument("--json", required=True, help="where to write the timeline")
    ap.add_argument("--pyinstrument", metavar="FILE", help="also profile the main thread into FILE (text)")
    ap.add_argument("args", nargs=argparse.REMAINDER, help="advocate's own arguments (after --)")
    ns = ap.parse_args(argv)
    args = ns.args[1:] if ns.args[:1] == ["--"] else ns.args
    profiler = None
    if ns.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
    sys.meta_path.insert(0, _Finder())

    def dump() -> None:
        if profiler is not None:
            profiler.stop()
            with open(ns.pyinstrument, "w", encoding="utf-8") as fh:
                fh.write(profiler.output_text(unicode=True, show_all=False, timeline=False))
        with open(ns.json, "w", encoding="utf-8") as fh:
            json.dump({"probe_start": T0, "calls": CALLS, "kdf": KDF, "frames": FRAMES, "missing": MISSING,
                       "modules": len(sys.modules)}, fh)

    atexit.register(dump)
    from advocate_tui.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    raise SystemExit(main())
