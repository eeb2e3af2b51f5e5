"""Serve a workshop session until it is stopped: `run_workshop`.

The server listens on 127.0.0.1 unless a LAN address is asked for. It binds
its socket itself, so a port in use is a clear error and ``--port 0`` takes a
free port, and hands the socket to uvicorn.
"""

from __future__ import annotations

import dataclasses
import io
import socket
import threading
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import segno

from klantladder.errors import KlantladderError
from klantladder.workshop.app import build_app, open_workshop
from klantladder.workshop.participants import Counts
from klantladder.workshop.settings import WorkshopSettings

WILDCARDS = ("0.0.0.0", "::", "")
LOOPBACK_PREFIXES = ("127.", "::1", "localhost")


class ListenError(KlantladderError):
    """The server cannot listen on the address and port asked for."""


@dataclass(frozen=True)
class Announcement:
    """What the facilitator needs to know once the server listens."""

    organisation: str
    questionnaire: str
    language: str
    join_url: str
    """The participants' link, as in the QR code."""
    facilitator_url: str
    """The facilitator's link (on this computer); keep it out of sight."""
    listening: str
    """The address and port the server listens on."""
    lan: bool
    """Whether other devices on the network can reach the server."""
    continued: bool
    """Whether an earlier session in this folder is continued."""
    participants: int
    """Participants who joined the session before (when continued)."""
    qr: str
    """The join link as a QR code of text blocks, for the terminal."""


def format_host(host: str) -> str:
    """A host as it goes into a URL (IPv6 in brackets)."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def lan_address() -> str | None:
    """The address of this computer on its network, found without sending anything."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: connecting a UDP socket sends nothing
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach an address."""
    return host.startswith(LOOPBACK_PREFIXES)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; `ListenError` with the reason when it cannot be."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # With the protocol named, asyncio sets TCP_NODELAY on every connection; without it,
    # Nagle's algorithm holds back the body of each response by some 40 ms.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        sock.close()
        raise ListenError(
            f"cannot listen on {host}:{port} ({error.strerror or error}); "
            f"choose another --port, or --host an address of this computer"
        ) from None
    return sock


def run_workshop(
    folder: Path,
    settings: WorkshopSettings | None = None,
    *,
    on_ready: Callable[[Announcement], None] | None = None,
) -> Counts:
    """Serve the workshop of an assessment folder until interrupted (Ctrl-C, SIGTERM).

    ``on_ready`` receives the links and the QR code once the server listens.
    Returns how many participants joined, started and finished.
    """
    import uvicorn

    settings = settings or WorkshopSettings()
    workshop = open_workshop(folder, settings)
    sock = bind(settings.host, settings.port)
    port = sock.getsockname()[1]
    lan = not is_loopback(settings.host)
    wildcard = settings.host in WILDCARDS
    participant_host = (lan_address() or "127.0.0.1") if wildcard else settings.host
    local_host = "127.0.0.1" if wildcard else settings.host
    public_url = f"http://{format_host(participant_host)}:{port}"
    workshop.settings = dataclasses.replace(settings, public_url=public_url)
    join_url = f"{public_url}/join/{workshop.state.record.join}"
    facilitator_url = (
        f"http://{format_host(local_host)}:{port}/facilitator/{workshop.state.record.facilitator}"
    )
    qr = io.StringIO()
    segno.make(join_url, error="m").terminal(out=qr, compact=True, border=2)
    announcement = Announcement(
        organisation=workshop.assessment.organisation,
        questionnaire=workshop.questionnaire.id,
        language=workshop.language,
        join_url=join_url,
        facilitator_url=facilitator_url,
        listening=f"{format_host(settings.host)}:{port}",
        lan=lan,
        continued=workshop.state.continued,
        participants=len(workshop.state.participants),
        qr=qr.getvalue(),
    )
    app = build_app(workshop)
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        server_header=False,
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready(announcement)
    if settings.open_browser:
        threading.Timer(0.5, webbrowser.open, [facilitator_url]).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass  # uvicorn raises Ctrl-C again once it has shut down gracefully
    finally:
        sock.close()
        workshop.registry.close()
    return workshop.registry.counts()
