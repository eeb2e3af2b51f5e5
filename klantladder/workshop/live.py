"""The live board: recomputed when answers arrive, pushed to the projector by SSE.

Answers are batched: the board is recomputed at most every `MIN_INTERVAL`
seconds, in a worker thread, and only when something changed (an answer saved
here, or a response file changed on disk by someone else). Every listener is
woken when the board's version goes up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from anyio import to_thread

from klantladder.workshop.board import Board

MIN_INTERVAL = 1.0
"""Seconds between two recomputations, so a burst of answers costs one."""
POLL_INTERVAL = 3.0
"""Seconds between checks for changes made outside the server."""

logger = logging.getLogger("klantladder.workshop")


class LiveBoard:
    """The latest `Board`, its version, and a way to wait for a newer one."""

    def __init__(self, compute: Callable[[], Board], signature: Callable[[], Any]) -> None:
        self._compute = compute
        self._signature = signature
        self._seen: Any = None
        self.board = Board({}, "")
        self.version = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dirty: asyncio.Event | None = None
        self._changed: asyncio.Condition | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Compute the first board and keep it up to date in the background."""
        self._loop = asyncio.get_running_loop()
        self._dirty = asyncio.Event()
        self._changed = asyncio.Condition()
        await self.refresh()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop updating."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def mark_dirty(self) -> None:
        """Something changed; safe to call from any thread."""
        if self._loop is not None and self._dirty is not None:
            self._loop.call_soon_threadsafe(self._dirty.set)

    async def refresh(self) -> None:
        """Recompute the board now; a new version when it differs from the last."""
        seen = await to_thread.run_sync(self._signature)
        board = await to_thread.run_sync(self._compute)
        self._seen = seen
        if board != self.board:
            self.board = board
            self.version += 1
            assert self._changed is not None
            async with self._changed:
                self._changed.notify_all()

    async def wait_newer(self, version: int, timeout: float) -> bool:
        """Wait until the version is above ``version``; False after ``timeout`` seconds."""
        assert self._changed is not None
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.version > version), timeout
                )
            except TimeoutError:
                return False
        return True

    async def _run(self) -> None:
        assert self._dirty is not None
        while True:
            try:
                await asyncio.wait_for(self._dirty.wait(), POLL_INTERVAL)
            except TimeoutError:
                if await to_thread.run_sync(self._signature) == self._seen:
                    continue
            self._dirty.clear()
            try:
                await self.refresh()
            except Exception:  # keep showing the last board; the next change tries again
                logger.exception("could not update the facilitator's board")
            await asyncio.sleep(MIN_INTERVAL)
