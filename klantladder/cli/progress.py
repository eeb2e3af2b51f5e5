"""A progress bar on stderr for steps that last over a second, at a terminal only."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from klantladder.progress import Reporter, Task, reporting

DELAY = 1.0
"""Seconds a step runs before its bar appears; quick steps show nothing."""


class _RichTask:
    def __init__(self, description: str, total: int | None) -> None:
        from klantladder.cli.common import markup

        self.description = markup(description)  # it may name a user's file
        self.total = total
        self.done = 0
        self.lock = threading.Lock()
        self.display: Any = None
        self.task_id: Any = None
        self.timer = threading.Timer(DELAY, self._show)
        self.timer.daemon = True
        self.timer.start()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        with self.lock:
            if self.timer is None:
                return
            columns: list[Any] = [SpinnerColumn(), TextColumn("{task.description}")]
            if self.total:
                columns += [BarColumn(), MofNCompleteColumn()]
            columns.append(TimeElapsedColumn())
            self.display = Progress(*columns, console=Console(stderr=True), transient=True)
            self.display.start()
            self.task_id = self.display.add_task(
                self.description, total=self.total, completed=self.done
            )

    def advance(self, amount: int = 1) -> None:
        with self.lock:
            self.done += amount
            if self.display is not None:
                self.display.update(self.task_id, completed=self.done)

    def finish(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None  # type: ignore[assignment]
            if self.display is not None:
                self.display.stop()
                self.display = None


class _RichReporter:
    def start(self, description: str, total: int | None) -> Task:
        return _RichTask(description, total)


@contextmanager
def terminal_progress() -> Iterator[None]:
    """Show long steps run inside the block, when stderr is a terminal."""
    reporter: Reporter | None = _RichReporter() if sys.stderr.isatty() else None
    with reporting(reporter):
        yield
