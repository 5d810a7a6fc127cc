"""The desk on a system without the POSIX-only calls (as on Windows): the quick log, a handoff with its
bundle, a backup and a plain export all work, and one line says that files are not made owner-only
there; ``advocate serve`` says in one line that it is not supported. And a static check that no module
but ``advocate_tui/portable.py`` reaches a POSIX-only call unguarded.

Windows is stood in for by taking away what it lacks: ``os.fchmod``/``fchown``/``getuid``…, the
``termios``/``fcntl``/``resource``/``pwd``/``grp`` modules (``import`` raises ImportError), the POSIX
signals (``socket.AF_UNIX`` stays: Linux's asyncio needs it; the static check keeps it out of the
package); ``os.kill`` exists on Windows but *terminates* the process for any signal but Ctrl+C/Break, so
here it fails the test if it is called at all.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from advocate_tui.private import NO_OWNER_MODES
from conftest import EXAMPLE_PROFILE

PACKAGE = Path(__file__).resolve().parents[1] / "advocate_tui"
PASS = "correct horse battery"
ROSTER_CSV = "student_id,given_name,family_name,grade\nR1,Fay,Quillfeather,9\nR2,Gus,Pymbleton,10\n"

#: what Windows does not have (os attributes, modules, signal names)
GONE_FROM_OS = ("fchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getegid", "getgroups",
                "killpg", "fork", "setsid", "getpgid", "setpgid", "mkfifo", "sync", "statvfs")
GONE_MODULES = ("termios", "tty", "pty", "fcntl", "resource", "pwd", "grp")
GONE_SIGNALS = ("SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGPIPE", "SIGSTOP")


@pytest.fixture
def windows_like(monkeypatch):
    """Take the POSIX-only calls away for the test; the calls of os.kill made meanwhile (there must be none)."""
    import textual.drivers.linux_driver  # noqa: F401 - Textual's own Linux driver (Windows gets its Windows one)

    import advocate_tui.private as private

    for name in GONE_FROM_OS:
        monkeypatch.delattr(os, name, raising=False)
    for name in GONE_MODULES:
        monkeypatch.setitem(sys.modules, name, None)  # `import termios` raises ImportError
    for name in GONE_SIGNALS:
        monkeypatch.delattr(signal, name, raising=False)
    killed: list[tuple] = []

    def kill(pid, sig):
        killed.append((pid, sig))
        raise AssertionError(f"os.kill({pid}, {sig}) would end process {pid} on Windows")

    monkeypatch.setattr(os, "kill", kill)
    monkeypatch.setattr(private, "_no_modes", {"due": False, "said": False})  # this test is a run of its own
    return killed


@pytest.fixture
def roster_csv(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    return path


async def _quick_log_and_hand_off(app) -> None:
    """The quick log (i, a student, a role, a behaviour, a note, a place, ctrl+s), then `H` and sign-off."""
    from advocate_tui.screens.forms import IncidentForm
    from advocate_tui.screens.handoff import HandoffScreen

    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, IncidentForm)
        await pilot.press("f", "a", "y")
        await pilot.pause()
        await pilot.press("enter", "r", "enter", "d", "e", "enter")
        await pilot.press(*"refused", "space", *"to", "space", *"move", "enter")
        await pilot.press("c", "l", "enter", "ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, IncidentForm), "the quick log did not save"
        await pilot.press("H")
        await pilot.pause()
        assert isinstance(app.screen, HandoffScreen)
        await pilot.press(*"calm", "tab", "J", "R", "ctrl+s", "y")  # sign-off asks first (it cannot be undone)
        await app.workers.wait_for_complete()
        await pilot.pause()
        result = str(app.screen.query_one("#handoff-result").content)
        assert "Signed handoff" in result, result


def test_the_desk_works_without_the_posix_only_calls(windows_like, tmp_path, roster_csv, monkeypatch, capsys):
    """Before: the first `roster import` died on os.fchmod ("unexpected error (AttributeError)"), as
    every handoff, backup and export would have on Windows."""
    from advocate_tui.app import AdvocateApp
    from advocate_tui.cli.main import main
    from advocate_tui.desk import Desk
    from advocate_tui.models import Handoff, Incident
    from advocate_tui.profile import demo_profile

    failures: list[BaseException] = []

    def run_by_keys(self, *args, **kwargs):  # `advocate` starts the app: drive it by keys instead of a terminal
        try:
            asyncio.run(_quick_log_and_hand_off(self))
        except BaseException as exc:  # noqa: BLE001 - raised again below, outside main's own handler
            failures.append(exc)

    monkeypatch.setattr(AdvocateApp, "run", run_by_keys)
    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    db = tmp_path / "school" / "school.db"
    plain = tmp_path / "out" / "plain.db"
    codes = [main(["roster", "import", str(roster_csv), "--db", str(db)]),
             main(["--db", str(db), "--profile", EXAMPLE_PROFILE])]     # quick log + handoff, by keys
    if failures:
        raise failures[0]
    codes += [main(["backup", "--db", str(db)]),
              main(["backup", "--out", f"{tmp_path}/offsite/", "--db", str(db)]),
              main(["export", "--plain", str(plain), "--db", str(db)]),
              main(["handoff", "export", "--out", str(tmp_path / "to-coordinator"), "--db", str(db)]),
              main(["export", "--json", str(tmp_path / "leaving"), "--db", str(db)]),
              main(["report", "--out", str(tmp_path / "reports"), "--db", str(db)]),
              main(["report", "--combine", str(tmp_path / "reports"), "--out", str(tmp_path / "district")])]
    err = capsys.readouterr().err
    assert codes == [0] * 9, err
    assert "Traceback" not in err and "unexpected error" not in err and "open to other users" not in err
    assert err.count(NO_OWNER_MODES) == 1, err                       # said once, not once a file
    assert windows_like == []                                        # no process was probed with os.kill

    desk = Desk.open(db, demo_profile(), passphrase=PASS)
    try:
        [incident] = desk.store.select(Incident)
        [handoff] = desk.store.select(Handoff)
    finally:
        desk.close()
    assert incident.description == "refused to move" and handoff.incident_ids == [incident.id]
    bundles = {p.suffix for p in (db.parent / "handoffs").iterdir()}
    assert bundles == {".json", ".md", ".csv"}
    assert {p.suffix for p in (tmp_path / "to-coordinator").iterdir()} == {".json", ".md", ".csv"}
    assert len(list((db.parent / "backups").glob("school-*.db"))) == 2   # the day's first, then `backup`
    assert len(list((tmp_path / "offsite").glob("school-*.db"))) == 1
    [exported] = [json.loads(line) for line in (tmp_path / "leaving" / "incident.jsonl").read_text().splitlines()]
    assert exported["id"] == incident.id and exported["students"][0]["student_id"].startswith("anon-")
    assert len(list((tmp_path / "district").glob("district-report-*.md"))) == 1
    conn = sqlite3.connect(plain)
    try:
        assert conn.execute("select description from incidents").fetchall() == [("refused to move",)]
    finally:
        conn.close()


def test_serve_says_in_one_line_that_it_is_not_supported(windows_like, tmp_path, capsys):
    """Before: serve went on to start desks with pass_fds, which Windows's subprocess refuses."""
    from advocate_tui.cli.main import main

    assert main(["serve", "--db", str(tmp_path / "school.db")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "advocate serve is not supported on Windows" in err[0]
    assert not (tmp_path / "school.db").exists()


def test_a_form_left_by_another_process_is_offered_back_without_probing_it(windows_like, desk):
    """Before: os.kill(pid, 0) asked whether the other desk was running (on Windows that ends it)."""
    from advocate_tui.services import drafts

    drafts.save_draft(desk, "contact:new:other", "contact", {"student": "S1001", "note": "typed in another window"})
    desk.store.db.execute("UPDATE drafts SET data = json_set(data, '$._owner.pid', ?, '$._owner.session', 'x')",
                          [os.getppid()])
    assert [d.data["note"] for d in drafts.pending_drafts(desk)] == ["typed in another window"]
    assert windows_like == []


def test_the_echo_hold_is_skipped_without_termios(windows_like, monkeypatch):
    """At a terminal without termios the passphrase prompt's echo hold does nothing, and never fails."""
    from advocate_tui.cli import passphrase

    monkeypatch.setattr(passphrase, "interactive", lambda: True)
    passphrase.hold_echo()
    assert passphrase._held_echo == []
    passphrase.release_echo()


def test_on_posix_nothing_is_said_about_modes(tmp_path, roster_csv, monkeypatch, capsys):
    from advocate_tui.cli.main import main

    monkeypatch.setenv("ADVOCATE_PASSPHRASE", PASS)
    assert main(["roster", "import", str(roster_csv), "--db", str(tmp_path / "school.db")]) == 0
    assert NO_OWNER_MODES not in capsys.readouterr().err
    assert (tmp_path / "school.db").stat().st_mode & 0o077 == 0


# ------------------------------------------------------------------ static: nothing POSIX-only unguarded
#: modules only POSIX (or only Windows) has: imported only in portable.py, or inside try/except ImportError
ONE_SYSTEM_MODULES = {"termios", "tty", "pty", "fcntl", "resource", "pwd", "grp", "posix", "msvcrt", "winreg"}
#: attributes of these modules that only POSIX has (os.kill and os.umask exist on Windows with other meanings;
#: chmod goes through portable.set_mode so that file modes are set in one place)
ONE_SYSTEM_NAMES = {
    "os": {"fchmod", "chmod", "lchmod", "fchown", "chown", "lchown", "getuid", "geteuid", "getgid", "getegid",
           "getgroups", "umask", "kill", "killpg", "fork", "forkpty", "setsid", "getpgid", "setpgid", "mkfifo",
           "mknod", "sync", "statvfs", "fstatvfs", "getloadavg", "O_NOFOLLOW", "O_BINARY", "sched_getaffinity"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD", "SIGPIPE", "SIGSTOP",
               "SIGCONT", "SIGTSTP", "SIGWINCH", "alarm", "setitimer", "pause", "pthread_kill", "pthread_sigmask"},
    "socket": {"AF_UNIX"},
    "select": {"select", "poll", "epoll", "kqueue"},
}
#: subprocess keywords only POSIX has
ONE_SYSTEM_KEYWORDS = {"pass_fds", "preexec_fn", "start_new_session", "process_group"}
#: where a POSIX-only name is allowed outside portable.py, and why
ALLOWED = {
    ("web/server.py", "pass_fds"): "reached only through advocate serve, which refuses off POSIX first",
    ("procstat.py", "/proc/"): "bench only (AdvocateApp._report_ready under $ADVOCATE_READY_FILE); "
                               "an OSError where there is no /proc falls back",
}


def _guarded_import(node: ast.AST, parents: dict) -> bool:
    """True if ``node`` sits in the body of a try that catches ImportError (or anything)."""
    child, parent = node, parents.get(node)
    while parent is not None:
        if isinstance(parent, ast.Try) and child in parent.body:
            for handler in parent.handlers:
                caught = handler.type
                names = [caught] if not isinstance(caught, ast.Tuple) else list(caught.elts)
                if caught is None or any(isinstance(n, ast.Name) and n.id in
                                         ("ImportError", "ModuleNotFoundError", "Exception", "BaseException")
                                         for n in names):
                    return True
        child, parent = parent, parents.get(parent)
    return False


def one_system_calls(path: Path) -> list[tuple[int, str]]:
    """(line, name) of every POSIX-only (or Windows-only) name ``path`` reaches unguarded."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    aliases = {}  # local name -> module, for `import os as _os`
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                aliases[alias.asname or alias.name] = alias.name
                if alias.name.split(".")[0] in ONE_SYSTEM_MODULES and not _guarded_import(node, parents):
                    found.append((node.lineno, alias.name))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            base = node.module.split(".")[0]
            if base in ONE_SYSTEM_MODULES and not _guarded_import(node, parents):
                found.append((node.lineno, base))
            for alias in node.names:
                if alias.name in ONE_SYSTEM_NAMES.get(base, ()):
                    found.append((node.lineno, f"{base}.{alias.name}"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            module = aliases.get(node.value.id) if isinstance(node.value, ast.Name) else None
            if module in ONE_SYSTEM_NAMES and node.attr in ONE_SYSTEM_NAMES[module]:
                found.append((node.lineno, f"{module}.{node.attr}"))
            elif node.attr == "chmod":  # Path.chmod too: file modes are set through portable.set_mode
                found.append((node.lineno, "chmod"))
        elif isinstance(node, ast.keyword) and node.arg in ONE_SYSTEM_KEYWORDS:
            found.append((getattr(node, "lineno", 0) or parents[node].lineno, node.arg))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(("/proc/", "/dev/")):
            if not isinstance(parents.get(parents.get(node)), (ast.Module, ast.ClassDef, ast.FunctionDef,
                                                               ast.AsyncFunctionDef)):  # not a docstring
                found.append((node.lineno, node.value[:6]))
    return sorted(set(found))


def test_no_module_but_portable_reaches_a_posix_only_call():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if rel == "portable.py":
            continue
        for line, name in one_system_calls(path):
            if not any(rel == where and name.startswith(what) for where, what in ALLOWED):
                offenders.append(f"{rel}:{line}: {name}")
    assert offenders == [], ("POSIX-only calls outside advocate_tui/portable.py (put them there, with a "
                             f"fallback): {offenders}")


def test_the_static_check_finds_what_it_looks_for(tmp_path):
    """The check above is not blind: each kind of call is found, and a guarded import is not."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, signal\nimport termios\nfrom fcntl import lockf\n"
        "try:\n    import resource\nexcept ImportError:\n    resource = None\n"
        "def f(fd, p):\n    os.fchmod(fd, 0o600)\n    os.kill(1, 0)\n    signal.SIGKILL\n    p.chmod(0o600)\n"
        "    open('/proc/self/status')\n    subprocess.Popen(['x'], pass_fds=(3,))\n", encoding="utf-8")
    assert [name for _, name in one_system_calls(sample)] == [
        "termios", "fcntl", "os.fchmod", "os.kill", "signal.SIGKILL", "chmod", "/proc/", "pass_fds"]
