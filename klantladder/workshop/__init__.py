"""The live workshop: participants answer on their phones, the ladder fills in on the projector.

A local web server (Starlette on uvicorn) over an assessment folder. Every
answer is written into the folder at once, through the same interview engine
and the same atomic write as the terminal interview, so after the session the
folder is an ordinary assessment. The server needs the optional extra
``klantladder[workshop]``; nothing here is imported by ``klantladder --help``.

Public API: `WorkshopSettings`, `Limits`, `create_app` (the ASGI app over a
folder) and `run_workshop` (serve it until stopped).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Announcement": "klantladder.workshop.server",
    "Limits": "klantladder.workshop.settings",
    "WorkshopSettings": "klantladder.workshop.settings",
    "create_app": "klantladder.workshop.app",
    "run_workshop": "klantladder.workshop.server",
}

__all__ = ["Announcement", "Limits", "WorkshopSettings", "create_app", "run_workshop"]

if TYPE_CHECKING:
    from klantladder.workshop.app import create_app
    from klantladder.workshop.server import Announcement, run_workshop
    from klantladder.workshop.settings import Limits, WorkshopSettings


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'klantladder.workshop' has no attribute {name!r}")
