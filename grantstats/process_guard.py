"""A killed load takes its helper processes with it: the parsing workers, their fork server (and so the
resource tracker, whose pipe they held) end when the process that started them ends, even by SIGKILL.

Linux's parent-death signal (prctl PR_SET_PDEATHSIG) does it: each worker asks for SIGKILL when its fork
server ends, and the fork server, when the command line started it, when that command ends. (Not when a
dashboard started it: there the starting thread is a script run that ends after every rerun, and the
signal follows the thread.) SIGTERM to the command line is turned into KeyboardInterrupt, so its cleanup runs.
A command-line load also runs at a lower CPU priority than the dashboards reading the same machine's snapshots.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

PR_SET_PDEATHSIG = 1
DIE_WITH_PARENT_ENV = "GRANTSTATS_DIE_WITH_PARENT"
LOAD_NICE_ENV = "GRANTSTATS_LOAD_NICE"
LOAD_NICE = 10
"""How much a command-line load (its saving, quality checks and snapshot publishing; its parsing workers are
niced apart, worker.WORKER_NICE) lowers its priority: people reading dashboards get the CPU first, and the load
takes what they leave (0: as the dashboards)."""


def set_parent_death_signal(sig: int = signal.SIGKILL) -> bool:
    """Ask the kernel to send `sig` to this process when its parent ends; False where that is not available."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            return False
    except (OSError, AttributeError):
        return False
    # the parent may have ended before the call: then nobody would send the signal
    if os.getppid() == 1:
        os.kill(os.getpid(), sig)
    return True


def die_with_parent_if_asked() -> None:
    """In a fork server started by the command line (which sets DIE_WITH_PARENT_ENV): end with it."""
    if os.environ.get(DIE_WITH_PARENT_ENV) == "1":
        set_parent_death_signal()


def end_children_with_this_process() -> None:
    """For a command-line load: the fork server it starts ends with it, and SIGTERM interrupts it cleanly."""
    os.environ[DIE_WITH_PARENT_ENV] = "1"

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt()

    signal.signal(signal.SIGTERM, interrupted)


def yield_cpu_to_readers() -> int:
    """Lower this command-line load's CPU priority by GRANTSTATS_LOAD_NICE (default LOAD_NICE); the niceness it
    runs at."""
    raw = os.environ.get(LOAD_NICE_ENV, "").strip()
    try:
        step = int(raw) if raw else LOAD_NICE
    except ValueError:
        step = LOAD_NICE
    step = max(0, min(step, 19))
    try:
        niceness = os.nice(step)
    except OSError:
        niceness = os.nice(0)
    lower_session_group(step)
    return niceness


AUTOGROUP = "/proc/self/autogroup"


def lower_session_group(step: int, path: str = AUTOGROUP) -> bool:
    """Where Linux schedules by session (autogroup), niceness only orders the processes of one session, and a
    dashboard started as a service is a session of its own: so a load that leads its own session (under sudo, a
    service, a timer) lowers its session's weight too. A load sharing a person's terminal session leaves it be.
    True when the session's niceness is `step` or more now."""
    if step <= 0 or os.getsid(0) != os.getpid():
        return False
    try:
        with open(path, encoding="ascii") as group:
            current = int(group.read().rsplit("nice", 1)[1])  # "/autogroup-25 nice 0"
        if current < step:
            with open(path, "w", encoding="ascii") as group:
                group.write(str(step))
    except (OSError, ValueError, IndexError):
        return False
    return True
