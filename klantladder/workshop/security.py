"""What keeps the server safe on a network: headers, size limits, rate limits, refusals."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from klantladder.workshop.settings import Limits

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
FORM_TYPE = "application/x-www-form-urlencoded"


class Refusal(Exception):
    """A request the server refuses, with its HTTP status and a page explaining why.

    ``kind`` names the explanation in the labels (``workshop.errors.<kind>``);
    ``detail`` adds the specific reason, such as the loader's message on an answer.
    """

    def __init__(
        self,
        status: int,
        kind: str,
        detail: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {kind}: {detail or ''}")
        self.status = status
        self.kind = kind
        self.detail = detail
        self.headers = headers or {}


class SecurityHeaders:
    """ASGI middleware: security headers on every response, and no caching of pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to its response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [pair for pair in SECURITY_HEADERS if pair[0] not in present]
                if b"cache-control" not in present:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: a request that announces a body over the limit gets 413 unread."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse an announced body over the limit; pass everything else on."""
        if scope["type"] == "http":
            for name, value in scope.get("headers", []):
                if name == b"content-length" and (
                    not value.isdigit() or int(value) > self.max_bytes
                ):
                    await _plain(send, 413, b"Request body too large.")
                    return
        await self.app(scope, receive, send)


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"connection", b"close"),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def read_form(request: Request, limits: Limits) -> dict[str, list[str]]:
    """The fields of a posted form, within the limits; `Refusal` otherwise.

    Only URL-encoded forms are accepted (the pages send nothing else): no file
    uploads, no multipart parser. The body is read up to the limit and no
    further, also when no length was announced.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != FORM_TYPE:
        raise Refusal(415, "bad_request", f"expected a form ({FORM_TYPE})")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limits.max_body_bytes:
            raise Refusal(413, "too_large", f"more than {limits.max_body_bytes} bytes")
    try:
        text = body.decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=limits.max_fields,
        )
    except UnicodeDecodeError:
        raise Refusal(400, "bad_request", "the form is not UTF-8") from None
    except ValueError:
        raise Refusal(413, "too_large", f"more than {limits.max_fields} fields") from None
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        if len(value) > limits.max_field_chars:
            raise Refusal(400, "too_long", f"at most {limits.max_field_chars} characters")
        fields.setdefault(name, []).append(value)
    return fields


def check_origin(request: Request) -> None:
    """Refuse a post whose Origin header names another site (a cross-site form)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        return
    host = request.headers.get("host", "")
    if urlsplit(origin).netloc.lower() != host.lower():
        raise Refusal(403, "forged", "the form was sent from another site")


@dataclass
class Bucket:
    """A token bucket: ``burst`` requests at once, then ``per_second`` on average."""

    burst: float
    per_second: float

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._updated = time.monotonic()
        self._mutex = threading.Lock()

    def take(self) -> float:
        """Take one request's token: 0.0 when allowed, else the seconds to wait."""
        with self._mutex:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._updated) * self.per_second)
            self._updated = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            return (1.0 - self._tokens) / self.per_second
