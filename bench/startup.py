"""Start-up timing: a whole process in a real pseudo-terminal, from spawn to "ready for a key".

The process gets $ADVOCATE_READY_FILE (or, through :mod:`bench.ready`, $BENCH_READY_FILE); advocate-tui
(``AdvocateApp._report_ready``), the bare yardstick (:mod:`bench.bare_app`) and the launcher write
"<unix time> <peak KiB> <how>" there once the first screen is mounted, loaded, idle and painted,
then quit. Ready = that time minus the spawn time; total = until the process has exited; the peak
is the process's own (``VmHWM`` read inside it at ready: ``ru_maxrss`` would carry this parent's peak
over the fork and exec).

The terminal is a real pty of 160×48 with ``TERM=xterm-256color``: Textual drives it as it drives a
person's terminal (it queries and gets no answer, as from a terminal that ignores the query), and
everything it writes is read and thrown away as fast as it comes, like a fast terminal emulator.
"""

from __future__ import annotations

import fcntl
import os
import resource
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SIZE = (160, 48)


@dataclass
class StartRun:
    ready_s: float
    total_s: float
    peak_mib: float
    #: where the peak was read: "VmHWM" (the process's own) or "ru_maxrss" (may be the parent's)
    peak_how: str
    #: the process's own CPU seconds (user + system), whole run
    cpu_s: float
    #: unix time just before the process was spawned
    spawn: float = 0.0
    #: everything the process wrote to the terminal (only with ``keep_output``)
    output: bytes = b""


def run_in_pty(argv: list[str], env: dict[str, str], *, size: tuple[int, int] = SIZE,
               timeout: float = 120.0, ready_env: str = "ADVOCATE_READY_FILE",
               keep_output: bool = False, cwd: Path | None = None) -> StartRun:
    """Run ``argv`` on a pseudo-terminal of ``size`` (columns, rows), in ``cwd`` (default: this
    repository, so ``python -m advocate_tui`` runs its code); return its start-up figures."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    fd, ready_file = tempfile.mkstemp(prefix="advocate-ready-")
    os.close(fd)
    os.unlink(ready_file)
    full_env = {**env, ready_env: ready_file, "TERM": "xterm-256color",
                "COLUMNS": str(size[0]), "LINES": str(size[1])}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd or ROOT,
                            start_new_session=True)
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                proc.kill()
                proc.wait()
                raise RuntimeError(f"{' '.join(argv[-3:])} did not get ready in {timeout:g} s")
            readable, _w, _x = select.select([master], [], [], 0.05)
            if readable:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                if keep_output:
                    out += chunk
                else:
                    out = (out + chunk)[-4096:]
            elif proc.poll() is not None:
                break
        proc.wait()
        end = time.time()
    finally:
        os.close(master)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        fields = Path(ready_file).read_text().split()
    except FileNotFoundError:
        tail = bytes(out[-600:]).decode("utf-8", "replace")
        raise RuntimeError(f"no ready mark from {' '.join(argv[-3:])} (exit {proc.returncode}); "
                           f"last output: {tail!r}") from None
    finally:
        Path(ready_file).unlink(missing_ok=True)
    return StartRun(ready_s=float(fields[0]) - start, total_s=end - start, peak_mib=int(fields[1]) / 1024,
                    peak_how=fields[2] if len(fields) > 2 else "ru_maxrss", cpu_s=cpu,
                    spawn=start, output=bytes(out) if keep_output else b"")


def bare_argv() -> list[str]:
    return [PYTHON, "-m", "bench.bare_app"]


def bench_profile() -> Path:
    """The school profile the timed starts use: the demo school's, as a real school (a real database
    refuses the demo's own profile, and a start with none would ask for one on screen)."""
    from advocate_tui.profile import demo_profile
    from advocate_tui.profile_toml import profile_to_toml

    profile = demo_profile()
    real = profile.model_copy(update={"school": profile.school.model_copy(update={"demo": False})})
    path = Path(tempfile.gettempdir()) / "advocate-bench" / "profile.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(profile_to_toml(real, "advocate-tui benchmarks: the demo school's profile, as a real school"),
                    encoding="utf-8")
    return path


def advocate_argv(db: Path, *extra: str) -> list[str]:
    """``advocate --db DB --profile P``; a plain (generated, fictional) database also needs ``--allow-plain``."""
    return [PYTHON, "-m", "advocate_tui", "--db", str(db), "--profile", str(bench_profile()), *extra]
