"""How a workshop session runs: where it listens, in which language, and its limits."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


@dataclass(frozen=True)
class Limits:
    """What one request, one participant and the whole session may ask of the server."""

    max_body_bytes: int = 16 * 1024
    """A form post larger than this is refused with 413 before it is read."""
    max_field_chars: int = 2000
    """The longest answer to an open question, in characters."""
    max_fields: int = 64
    """The most form fields one post may carry."""
    max_participants: int = 1000
    """Participants (cookies handed out) per session; a join beyond it is refused with 503."""
    burst: float = 30.0
    """Requests a participant may make at once before the rate limit applies."""
    per_second: float = 10.0
    """Requests per second a participant may keep making; above it: 429 with Retry-After."""
    cookie_days: int = 7
    """How long a participant's cookie lasts, so a closed phone resumes the next day too."""


@dataclass(frozen=True)
class WorkshopSettings:
    """The options of ``klantladder workshop``."""

    host: str = DEFAULT_HOST
    """Address to listen on: 127.0.0.1 (this computer only) unless a LAN address is asked for."""
    port: int = DEFAULT_PORT
    """Port to listen on; 0 takes a free one."""
    questionnaire: str | None = None
    """Questionnaire id (or quick / full) to confirm; it must be the assessment's own."""
    language: str | None = None
    """Language of the pages (nl or en); the assessment's language by default."""
    open_browser: bool = False
    """Open the facilitator screen in a browser once the server listens."""
    new_session: bool = False
    """Start a new session (new links and QR code) instead of continuing the folder's last one."""
    public_url: str | None = None
    """The address participants use, as in the QR code; by default the one a page was asked at."""
    limits: Limits = field(default_factory=Limits)
