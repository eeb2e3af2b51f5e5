"""The participants' pages: join, one question per screen, thanks.

Plain HTML forms that post and redirect (POST/redirect/GET), so everything
works without JavaScript. Every form carries a CSRF token bound to the
participant's cookie; every answer is checked as the loader checks a response
file before anything is written.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from klantladder.interview import Interview
from klantladder.models.questionnaire import ProfileQuestion, Question
from klantladder.privacy import promise
from klantladder.workshop.answers import ANSWER, DONT_KNOW, NothingChosen, Rejected, form_answer
from klantladder.workshop.app import Workshop, workshop_of
from klantladder.workshop.participants import Busy, Participant, SessionFull
from klantladder.workshop.security import Refusal, check_origin, read_form
from klantladder.workshop.tokens import csrf_token, same

COOKIE = "klantladder_participant"


def routes() -> list[BaseRoute]:
    """The participants' routes."""
    return [
        Route("/", home),
        Route("/join/{token}", join),
        Route("/p", resume),
        Route("/p/q/{number:int}", question_page),
        Route("/p/answer", answer, methods=["POST"]),
        Route("/p/done", done),
    ]


async def home(request: Request) -> Response:
    """Someone opened the bare address: point them to the QR code."""
    return workshop_of(request).render("scan.html")


async def join(request: Request) -> Response:
    """The link in the QR code: a participant's cookie, then the welcome page."""
    workshop = workshop_of(request)
    if not same(request.path_params["token"], workshop.state.record.join):
        raise Refusal(404, "not_found")
    known = workshop.registry.find(request.cookies.get(COOKIE))
    if known is not None:
        _throttle(known)
        if known.started:
            return _redirect(_next_url(workshop.registry.interview(known)))
        return _welcome(workshop, known)
    if workshop.closed:
        return workshop.render("closed.html")
    try:
        token, participant = await run_in_threadpool(workshop.registry.join)
    except SessionFull:
        raise Refusal(503, "full") from None
    response = _welcome(workshop, participant)
    response.set_cookie(
        COOKIE,
        token,
        max_age=workshop.settings.limits.cookie_days * 24 * 3600,
        path="/",
        httponly=True,
        samesite="lax",
    )
    return response


def _welcome(workshop: Workshop, participant: Participant) -> Response:
    interview = workshop.registry.interview(participant)
    return workshop.render(
        "welcome.html",
        count=interview.total,
        first=interview.number,
        # A participant never gives a name (only a code is kept, in any privacy mode), so
        # the promise is the anonymous one, in the store's words (labels privacy_promise).
        promise=promise(
            workshop.language,
            "anonymous",
            workshop.questionnaire.content.scoring.min_group_size,
        ),
    )


async def resume(request: Request) -> Response:
    """Go to the participant's first open question (or the thanks page)."""
    workshop, participant, _ = _participant(request)
    return _redirect(_next_url(workshop.registry.interview(participant)))


async def question_page(request: Request) -> Response:
    """One question, with the answer already given (if any), progress, back and don't know."""
    workshop, participant, token = _participant(request)
    if workshop.closed:
        return workshop.render("closed.html")
    number: int = request.path_params["number"]
    interview = workshop.registry.interview(participant)
    asked = interview.asked  # numbered as the participant sees them: routed-out ones left out
    if not 1 <= number <= len(asked):
        raise Refusal(404, "not_found")
    question = interview.questions[asked[number - 1]]
    if not interview.asks(question):
        return _redirect(_next_url(interview))
    return _question(workshop, interview, question, token)


def _question(
    workshop: Workshop,
    interview: Interview,
    question: Question,
    token: str,
    *,
    nothing_chosen: bool = False,
    status: int = 200,
) -> Response:
    interview.go_to(question.id)
    number = interview.number
    previous = interview.number if interview.back() else None
    given = interview.given(question)
    chosen = given if isinstance(given, list) else [] if given is None else [given]
    labels = workshop.questionnaire.content.answer_labels
    multiple = isinstance(question, ProfileQuestion) and question.multiple
    return workshop.render(
        "question.html",
        status,
        question=question,
        number=number,
        total=interview.total,
        previous=previous,
        dimension=interview.dimension_title(question),
        chosen=[str(value) for value in chosen],
        given_text=given if isinstance(given, str) else "",
        agreement=labels.agreement,
        unknown_label=labels.unknown,
        offers_unknown=getattr(question, "allow_unknown", False) and not multiple,
        multiple=multiple,
        csrf=csrf_token(token),
        answer_action=ANSWER,
        unknown_action=DONT_KNOW,
        max_chars=workshop.settings.limits.max_field_chars,
        nothing_chosen=nothing_chosen,
    )


async def answer(request: Request) -> Response:
    """Save one answer and go on to the next open question."""
    workshop, participant, token = _participant(request)
    check_origin(request)
    form = await read_form(request, workshop.settings.limits)
    if not same(_one(form, "csrf"), csrf_token(token)):
        raise Refusal(403, "forged")
    if workshop.closed:
        raise Refusal(409, "closed")
    registry = workshop.registry
    try:
        question = registry.question(_one(form, "question") or "")
        value = form_answer(question, _one(form, "action") or ANSWER, form.get("answer", []))
    except NothingChosen:
        interview = registry.interview(participant)
        return _question(workshop, interview, question, token, nothing_chosen=True, status=400)
    except Rejected as error:
        raise Refusal(400, "rejected", str(error)) from None
    try:
        interview = await run_in_threadpool(registry.answer, participant, question.id, value)
    except Busy:
        raise Refusal(409, "busy") from None
    except Rejected as error:
        raise Refusal(400, "rejected", str(error)) from None
    return _redirect(_next_url(interview))


async def done(request: Request) -> Response:
    """Thanks, the participant's own counts and phase, and a way back to the answers."""
    workshop, participant, _ = _participant(request)
    if not participant.started:
        return _redirect("/p")
    summary = workshop.registry.interview(participant).summary()
    return workshop.render("done.html", summary=summary)


def _participant(request: Request) -> tuple[Workshop, Participant, str]:
    """The workshop, the participant of this request and their token; refused otherwise."""
    workshop = workshop_of(request)
    token = request.cookies.get(COOKIE)
    participant = workshop.registry.find(token)
    if participant is None or token is None:
        raise Refusal(403, "not_joined")
    _throttle(participant)
    return workshop, participant, token


def _throttle(participant: Participant) -> None:
    wait = participant.bucket.take()
    if wait > 0:
        raise Refusal(429, "too_many", headers={"Retry-After": str(max(1, round(wait + 0.5)))})


def _one(form: dict[str, list[str]], name: str) -> str | None:
    values = form.get(name)
    if not values or len(values) != 1:
        return None
    return values[0]


def _next_url(interview: Interview) -> str:
    return "/p/done" if interview.finished else f"/p/q/{interview.number}"


def _redirect(url: str) -> Response:
    return RedirectResponse(url, status_code=303)
