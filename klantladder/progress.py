"""Progress of long steps: the library says what it is doing, a user interface may show it.

Library code wraps a long step in `step` (or an iterable in `track`); nothing
is shown unless a user interface installed a `Reporter` with `reporting`. The
CLI installs one that draws a bar on stderr, at a terminal only, for steps
that last over a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Protocol, TypeVar

T = TypeVar("T")


class Task(Protocol):
    """One running step."""

    def advance(self, amount: int = 1) -> None:
        """Count ``amount`` more units of work done."""

    def finish(self) -> None:
        """The step is over."""


class Reporter(Protocol):
    """Something that shows steps to a person."""

    def start(self, description: str, total: int | None) -> Task:
        """A step begins; ``total`` units of work, or None when unknown."""


_reporter: ContextVar[Reporter | None] = ContextVar("klantladder_progress", default=None)


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Show the steps run inside the block with ``reporter`` (None: show nothing)."""
    token = _reporter.set(reporter)
    try:
        yield
    finally:
        _reporter.reset(token)


def _ignore(amount: int = 1) -> None:
    return None


@contextmanager
def step(description: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A long step; the yielded function counts units of work done."""
    reporter = _reporter.get()
    if reporter is None:
        yield _ignore
        return
    task = reporter.start(description, total)
    try:
        yield task.advance
    finally:
        task.finish()


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate over ``items``, counting each as one unit of work."""
    with step(description, total) as advance:
        for item in items:
            yield item
            advance(1)
