"""Reading answers from the keyboard: one key without Enter in a terminal, else lines.

In a terminal a facilitator typing in paper forms answers with single key
presses; when input comes from a pipe (or a test) every answer is a line.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TextIO


class Keyboard:
    """Reads single keys or whole lines from standard input."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin
        try:
            self.single_keys = self.stream.isatty()
        except (AttributeError, ValueError):
            self.single_keys = False

    def key(self) -> str:
        """One key press (a line's first word without a terminal); '' at end of input."""
        if not self.single_keys:
            return self.line()
        with _cbreak(self.stream.fileno()):
            data = os.read(self.stream.fileno(), 1)
        if data in (b"", b"\x04"):
            return ""
        if data == b"\x03":
            raise KeyboardInterrupt
        return data.decode("utf-8", errors="replace")

    def line(self) -> str:
        """One line of text, without its line end; '' at end of input."""
        text = self.stream.readline()
        if not text:
            raise EOFError
        return text.rstrip("\r\n")


@contextlib.contextmanager
def _cbreak(descriptor: int) -> Iterator[None]:
    """Keys arrive one at a time without echo; the terminal is restored afterwards."""
    import termios
    import tty

    saved = termios.tcgetattr(descriptor)
    try:
        tty.setcbreak(descriptor)
        new = termios.tcgetattr(descriptor)
        new[3] &= ~termios.ECHO
        termios.tcsetattr(descriptor, termios.TCSANOW, new)
        yield
    finally:
        termios.tcsetattr(descriptor, termios.TCSADRAIN, saved)
