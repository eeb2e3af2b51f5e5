"""Run the klantladder CLI in a child process under a memory and a time limit.

The child is forked from the test process, so klantladder and its
dependencies are imported once and each case costs milliseconds to start; it
is still a separate process: a segfault, a hang or a runaway allocation ends
the child, not the test run, and shows as a crash, a timeout or a
MemoryError. The limits: `resource.setrlimit(RLIMIT_AS)` (1 GiB by default) and
a wall-clock timeout after which the child is killed.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import signal
import sys
import tempfile
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

GIB = 1024 * 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    """What a child run of the CLI did."""

    code: int | None  # exit code; None when killed or crashed
    signal: int | None  # the signal that ended it (SIGSEGV, or SIGKILL on timeout)
    timed_out: bool
    stdout: str
    stderr: str
    seconds: float


def run_cli(
    args: list[str],
    *,
    cwd: Path,
    timeout: float = 20,
    memory: int = GIB,
    patches: Mapping[str, object] | None = None,
    stdin: str = "",
) -> Outcome:
    """Run ``klantladder ARGS`` in a forked child within ``memory`` bytes and ``timeout`` seconds.

    ``patches`` maps ``module.ATTRIBUTE`` to a value set in the child only
    (e.g. a lower time limit, so a test need not wait 30 seconds).
    """
    # Make sure the parent's buffers are empty, or the child would repeat them.
    sys.stdout.flush()
    sys.stderr.flush()
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path = Path(scratch, "out"), Path(scratch, "err")
        in_path = Path(scratch, "in")
        in_path.write_text(stdin, encoding="utf-8")
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(args, cwd, memory, patches or {}, in_path, out_path, err_path)
        status, timed_out = _wait(pid, timeout)
        seconds = time.monotonic() - started
        stdout = out_path.read_text(encoding="utf-8", errors="replace")
        stderr = err_path.read_text(encoding="utf-8", errors="replace")
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    ended_by = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    return Outcome(code, ended_by, timed_out, stdout, stderr, seconds)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status, False
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            return os.waitpid(pid, 0)[1], True
        time.sleep(0.01)


def _child(
    args: list[str],
    cwd: Path,
    memory: int,
    patches: Mapping[str, object],
    in_path: Path,
    out_path: Path,
    err_path: Path,
) -> None:
    code = 99
    try:
        os.chdir(cwd)
        os.setsid()  # no terminal: the CLI sees what a script would
        for stream, path, flags in (
            (0, in_path, os.O_RDONLY),
            (1, out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            (2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        ):
            descriptor = os.open(path, flags, 0o600)
            os.dup2(descriptor, stream)
            os.close(descriptor)
        sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
        sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8")
        sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8")
        for target, value in patches.items():
            module_name, attribute = target.rsplit(".", 1)
            __import__(module_name)
            setattr(sys.modules[module_name], attribute, value)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        from klantladder.cli import app

        try:
            app(args=args, prog_name="klantladder")
            code = 0
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    except BaseException:  # what a user would see as a traceback
        traceback.print_exc()
        code = 98
    finally:
        for output in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):  # nothing left to report it to
                output.flush()
        os._exit(code)
