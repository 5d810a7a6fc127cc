"""This process's own peak memory, for the benchmarks' ready mark (standard library only, so the
benchmark's launcher can use it inside another app's environment too)."""

from __future__ import annotations

import sys


def peak_memory_kib() -> tuple[int, str]:
    """This process's own peak resident memory in KiB, and where it was read.

    ``VmHWM`` of /proc/self/status is this process's own (it starts afresh at exec); ``ru_maxrss``,
    the fallback where there is no /proc, carries the parent's peak over a fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]), "VmHWM"
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows: neither /proc nor resource
        return 0, "none"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (peak // 1024 if sys.platform == "darwin" else peak), "ru_maxrss"  # macOS counts bytes
