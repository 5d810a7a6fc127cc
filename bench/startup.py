"""Start-up timing: a whole process in a real pseudo-terminal, from spawn to "ready for a key".

The process gets $ADVOCATE_READY_FILE; advocate-tui (``AdvocateApp._report_ready``) and the bare
yardstick (:mod:`bench.bare_app`) write "<unix time> <peak RSS KiB>" there once the first screen
is mounted, loaded, idle and painted, then quit. Ready = that time minus the spawn time; total =
until the process has exited.
"""

from __future__ import annotations

import fcntl
import os
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


@dataclass
class StartRun:
    ready_s: float
    total_s: float
    peak_mib: float


def run_in_pty(argv: list[str], env: dict[str, str], *, size: tuple[int, int] = (160, 48),
               timeout: float = 60.0) -> StartRun:
    """Run ``argv`` on a pseudo-terminal of ``size`` (columns, rows); return its start-up figures."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    fd, ready_file = tempfile.mkstemp(prefix="advocate-ready-")
    os.close(fd)
    os.unlink(ready_file)
    full_env = {**env, "ADVOCATE_READY_FILE": ready_file, "TERM": "xterm-256color",
                "COLUMNS": str(size[0]), "LINES": str(size[1])}
    start = time.time()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=ROOT,
                            start_new_session=True)
    os.close(slave)
    out = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while True:
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"{argv[-1]} did not get ready in {timeout:g} s")
            readable, _w, _x = select.select([master], [], [], 0.05)
            if readable:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    chunk = b""
                if not chunk and proc.poll() is not None:
                    break
                out += chunk[-4096:]
            elif proc.poll() is not None:
                break
        proc.wait()
        end = time.time()
    finally:
        os.close(master)
    try:
        stamp, peak = Path(ready_file).read_text().split()
    except FileNotFoundError:
        tail = bytes(out[-600:]).decode("utf-8", "replace")
        raise RuntimeError(f"no ready mark from {' '.join(argv[-3:])} (exit {proc.returncode}); "
                           f"last output: {tail!r}") from None
    finally:
        Path(ready_file).unlink(missing_ok=True)
    return StartRun(ready_s=float(stamp) - start, total_s=end - start, peak_mib=int(peak) / 1024)


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


def advocate_argv(db: Path) -> list[str]:
    return [PYTHON, "-m", "advocate_tui", "--db", str(db), "--allow-plain",  # generated, fictional: unencrypted
            "--profile", str(bench_profile())]
