"""The ASGI app over an assessment folder: `create_app(folder, settings)`.

`open_workshop` loads the folder, its questionnaire (in the session's
language), its brand and the session; `build_app` wires the routes, the
security middleware and the live board's lifetime around it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from jinja2 import Environment
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute

from klantladder.errors import InputError
from klantladder.folder import load_assessment_file, questionnaire_for
from klantladder.interview import QUESTIONNAIRE_CHOICES
from klantladder.models.assessment import Assessment
from klantladder.models.questionnaire import Questionnaire
from klantladder.report.brand import LoadedBrand, load_brand
from klantladder.report.charts import Palette
from klantladder.workshop import storage
from klantladder.workshop.board import BoardSource, compute_board
from klantladder.workshop.live import LiveBoard
from klantladder.workshop.pages import page_environment
from klantladder.workshop.participants import Registry
from klantladder.workshop.security import BodyLimit, Refusal, SecurityHeaders
from klantladder.workshop.session import SessionFile, SessionState
from klantladder.workshop.settings import WorkshopSettings


class Workshop:
    """A running session: the folder, its questionnaire, the participants and the board."""

    def __init__(
        self,
        folder: Path,
        settings: WorkshopSettings,
        assessment: Assessment,
        questionnaire: Questionnaire,
        language: str,
        brand: LoadedBrand,
        session_file: SessionFile,
        state: SessionState,
    ) -> None:
        self.folder = folder
        self.settings = settings
        self.assessment = assessment
        self.questionnaire = questionnaire
        self.language = language
        self.brand = brand
        self.palette = Palette(brand.brand.primary_colour, brand.brand.secondary_colour)
        self.session_file = session_file
        self.state = state
        self.pages: Environment = page_environment(language)
        self.registry = Registry(
            folder, questionnaire, language, session_file, state, settings.limits
        )
        source = BoardSource(folder, questionnaire, assessment, language, self.palette, self.pages)
        self.board = LiveBoard(
            lambda: compute_board(source, self.registry.counts(), self.closed),
            lambda: storage.responses_signature(folder),
        )
        self.registry.on_change = self.board.mark_dirty

    @property
    def closed(self) -> bool:
        """Whether the facilitator closed the session."""
        return self.state.record.closed

    def set_closed(self, closed: bool) -> None:
        """Close or reopen the session, on disk first."""
        record = self.state.record.model_copy(update={"closed": closed})
        self.session_file.save(record)
        self.state.record = record
        self.board.mark_dirty()

    def base_url(self, request: Request) -> str:
        """The address participants use: the announced one, else the one asked for."""
        if self.settings.public_url:
            return self.settings.public_url.rstrip("/")
        return str(request.base_url).rstrip("/")

    def join_url(self, request: Request) -> str:
        """The participants' link, as in the QR code."""
        return f"{self.base_url(request)}/join/{self.state.record.join}"

    def render(self, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        """A page from the workshop's templates."""
        common = {
            "brand": self.brand.brand,
            "has_logo": self.brand.logo is not None,
            "organisation": self.assessment.organisation,
            "questionnaire": self.questionnaire,
        }
        html = self.pages.get_template(name).render({**common, **context})
        return HTMLResponse(html, status_code=status)


def check_questionnaire(assessment: Assessment, wanted: str | None) -> None:
    """Refuse a --questionnaire that is not the assessment's own questionnaire."""
    if wanted is None:
        return
    expected = QUESTIONNAIRE_CHOICES.get(wanted, wanted)  # type: ignore[call-overload]
    used = assessment.questionnaire.id
    if expected != used:
        raise InputError.single(
            "assessment.yaml",
            f"this assessment uses questionnaire {used!r}, not {expected!r}; start another "
            f"assessment for it with 'klantladder init DIR --questionnaire {expected}'",
        )


def open_workshop(folder: Path, settings: WorkshopSettings) -> Workshop:
    """Load an assessment folder and continue (or start) its workshop session."""
    document, assessment = load_assessment_file(folder)
    check_questionnaire(assessment, settings.questionnaire)
    language = settings.language or assessment.language
    questionnaire = questionnaire_for(folder, document, assessment, language)
    brand = load_brand(folder / assessment.brand if assessment.brand else None)
    session_file = SessionFile(folder)
    state = session_file.open(new=settings.new_session)
    if state.record.closed:  # starting the server again opens the session again
        state.record = state.record.model_copy(update={"closed": False})
        session_file.save(state.record)
    return Workshop(
        folder, settings, assessment, questionnaire, language, brand, session_file, state
    )


def build_app(workshop: Workshop) -> Starlette:
    """The Starlette app of a loaded workshop."""
    from klantladder.workshop import assets, facilitator, participant

    routes: list[BaseRoute] = [*participant.routes(), *facilitator.routes(), *assets.routes()]

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await workshop.board.start()
        try:
            yield
        finally:
            await workshop.board.stop()
            workshop.registry.close()

    async def refused(request: Request, error: Exception) -> Response:
        assert isinstance(error, Refusal)
        response = workshop.render("error.html", error.status, kind=error.kind, detail=error.detail)
        response.headers.update(error.headers)
        return response

    async def not_found(request: Request, error: Exception) -> Response:
        status = error.status_code if isinstance(error, HTTPException) else 404
        kind = "not_found" if status == 404 else "bad_request"
        return workshop.render("error.html", status, kind=kind, detail=None)

    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, max_bytes=workshop.settings.limits.max_body_bytes),
        ],
        exception_handlers={Refusal: refused, HTTPException: not_found},
    )
    app.state.workshop = workshop
    return app


def create_app(folder: Path, settings: WorkshopSettings | None = None) -> Starlette:
    """The workshop's ASGI app over an assessment folder (serve it with any ASGI server)."""
    return build_app(open_workshop(folder, settings or WorkshopSettings()))


def workshop_of(request: Request) -> Workshop:
    """The workshop a request is for."""
    workshop: Workshop = request.app.state.workshop
    return workshop
