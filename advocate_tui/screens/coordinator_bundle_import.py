"""Importing a handoff bundle on the coordinator's screen: the picker, the checks and the trust question."""

from __future__ import annotations

import asyncio
from pathlib import Path

from ..services import coordinator as svc
from ..services.bundle import BundleError, check_import, file_problem, finish_import, handoff_folder
from ..services.trust import HOW_DIALOG
from .coordinator_dialogs import BundlePicker, CoordinatorAsk, TrustKeyDialog


def _not_imported(problem: object) -> str:
    """'Not imported: …' once, whether or not the refusal already says so."""
    text = str(problem)
    return "Not" + text[3:] if text.startswith("not imported") else f"Not imported: {text}"


def _typed(path: str) -> str:
    """The path as typed, ``~`` standing for the home folder."""
    return str(Path(path.strip()).expanduser())


def _path_problem(values: dict) -> str | None:
    """What is wrong with the typed path, shown in the dialog with the path kept: nothing typed, no such
    file, or a folder, pipe, terminal or device (opening one would wait for a writer: the screen froze)."""
    if not values["path"].strip():
        return "type the bundle's path"
    return file_problem(_typed(values["path"]))


class BundleImport:
    """The coordinator screen's `i`: pick a handoff bundle (or type its path), check it, ask before trusting a
    new school's key, import it."""

    # ------------------------------------------------------------------ importing a bundle
    def action_import_bundle(self) -> None:
        """The bundles waiting in the handoff folder to pick from (or a path to type)."""
        desk = self.app.desk
        folder = handoff_folder(desk)
        at_once = svc.inbox_bytes(folder) <= svc.INBOX_AT_ONCE_BYTES
        files = svc.mark_imported(desk, svc.read_inbox(folder, desk.clock)) if at_once else None

        def picked(path: str | None) -> None:
            if path is None:
                return
            if path:
                self._import(path)
                return
            ask = CoordinatorAsk("Import a handoff bundle",
                                 [("path", "Bundle file (.json)", "/path/to/handoff-….json")], max_length=4000,
                                 keys="enter or ctrl+s import · escape cancel")
            ask.check = _path_problem
            self.app.push_screen(ask, lambda values: self._import(_typed(values["path"])) if values else None)
        picker = BundlePicker(folder, files)
        self.app.push_screen(picker, picked)
        if files is None:  # up to 40 bundles of up to 20 MB: read on a thread, the screen answering keys meanwhile
            self.run_worker(self._read_inbox(picker, folder), group="inbox")

    async def _read_inbox(self, picker: BundlePicker, folder: Path) -> None:
        desk = self.app.desk
        read = await asyncio.to_thread(svc.read_inbox, folder, desk.clock)
        if picker.is_attached:  # (escape or t while reading: nothing to show)
            picker.show_files(svc.mark_imported(desk, read))

    def _import(self, path: str) -> None:
        """Every check first; a new school's key is trusted only when the dialog's answer is yes."""
        desk = self.app.desk
        try:
            pending = check_import(desk, path)
        except BundleError as exc:
            self._message(_not_imported(exc), error=True)
            return
        if pending.needs_flag:
            self._message(_not_imported(pending.refusal()), error=True)
            return
        if not pending.needs_confirmation:
            self._finish_import(pending, None)
            return
        bundle = pending.bundle

        def answered(yes: bool | None) -> None:
            if yes:
                self._finish_import(pending, pending.fingerprint)
            else:
                self._message("Not imported: the key was not trusted; nothing was written.", error=True)
        self.app.push_screen(TrustKeyDialog(bundle.school, bundle.school_short, pending.fingerprint), answered)

    def _finish_import(self, pending, trust: str | None) -> None:
        try:
            result = finish_import(self.app.desk, pending, trust=trust, how=HOW_DIALOG)
        except BundleError as exc:
            self._message(_not_imported(exc), error=True)
            return
        b = pending.bundle
        trusted = f"Trusted the desk key {pending.fingerprint} for {b.school_short}. " if result.trusted_now else ""
        self._message(trusted + ("Imported" if result.changed else "Already imported, nothing changed:")
                      + f" {b.school_short} handoff {b.date} #{b.sequence} ({b.handoff.signed_by}): "
                      + result.short_line())
        self._layouts.clear()  # a first bundle makes this a coordinator's database: the school column appears
        self.reload(keep=self._current_key())
