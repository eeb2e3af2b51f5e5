"""The facilitator's screen for the projector: QR code, counts, the live ladder, close.

Every route here needs the facilitator token. The link printed at start
(``/facilitator/<token>``) trades the token for an HttpOnly cookie and
redirects, so the token does not stay in the address bar on the projector.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import segno
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import BaseRoute, Route

from klantladder.report.charts import INK
from klantladder.workshop.app import Workshop, workshop_of
from klantladder.workshop.security import Refusal, check_origin, read_form
from klantladder.workshop.tokens import csrf_token, same

COOKIE = "klantladder_facilitator"
HOME = "/facilitator"
KEEP_ALIVE = 15.0
"""Seconds between keep-alive comments on an idle event stream."""


def routes() -> list[BaseRoute]:
    """The facilitator's routes."""
    return [
        Route(HOME, screen),
        Route(f"{HOME}/data.json", data),
        Route(f"{HOME}/events", events),
        Route(f"{HOME}/close", close, methods=["POST"]),
        Route(f"{HOME}/reopen", reopen, methods=["POST"]),
        Route(HOME + "/{token}", enter),
    ]


async def enter(request: Request) -> Response:
    """The printed link: check the token, keep it in a cookie, show the screen."""
    workshop = workshop_of(request)
    token = request.path_params["token"]
    if not same(token, workshop.state.record.facilitator):
        raise Refusal(403, "facilitator_only")
    response = RedirectResponse(HOME, status_code=303)
    response.set_cookie(COOKIE, token, path=HOME, httponly=True, samesite="lax")
    return response


def _facilitator(request: Request) -> tuple[Workshop, str]:
    workshop = workshop_of(request)
    token = request.cookies.get(COOKIE)
    if token is None or not same(token, workshop.state.record.facilitator):
        raise Refusal(403, "facilitator_only")
    return workshop, token


async def screen(request: Request) -> Response:
    """The projector's page; JavaScript keeps its live part up to date."""
    workshop, token = _facilitator(request)
    join_url = workshop.join_url(request)
    qr = segno.make(join_url, error="m").svg_inline(
        dark=INK, light="#ffffff", border=2, omitsize=True, svgclass="qr", lineclass=None
    )
    return workshop.render(
        "facilitator.html",
        join_url=join_url,
        qr=Markup(qr),
        board=Markup(workshop.board.board.html),
        version=workshop.board.version,
        closed=workshop.closed,
        csrf=csrf_token(token),
    )


async def data(request: Request) -> Response:
    """The board as JSON: counts and the scoring engine's result (as ``score --json``)."""
    workshop, _ = _facilitator(request)
    return JSONResponse({"version": workshop.board.version, **workshop.board.board.data})


async def events(request: Request) -> Response:
    """Server-sent events: the live part of the screen, each time it changes."""
    workshop, _ = _facilitator(request)
    board = workshop.board

    async def stream() -> AsyncIterator[str]:
        sent = -1
        while True:
            if board.version != sent:
                sent = board.version
                payload = {
                    "version": sent,
                    "closed": board.board.data.get("closed", False),
                    "html": board.board.html,
                }
                yield f"id: {sent}\nevent: board\ndata: {json.dumps(payload)}\n\n"
            elif not await board.wait_newer(sent, KEEP_ALIVE):
                yield ": keep-alive\n\n"

    return StreamingResponse(
        stream(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def close(request: Request) -> Response:
    """Close the session: from now on, new answers are refused politely."""
    return await _set_closed(request, True)


async def reopen(request: Request) -> Response:
    """Open a closed session again."""
    return await _set_closed(request, False)


async def _set_closed(request: Request, closed: bool) -> Response:
    workshop, token = _facilitator(request)
    check_origin(request)
    form = await read_form(request, workshop.settings.limits)
    given = form.get("csrf", [])
    if len(given) != 1 or not same(given[0], csrf_token(token)):
        raise Refusal(403, "forged")
    await run_in_threadpool(workshop.set_closed, closed)
    return RedirectResponse(HOME, status_code=303)
