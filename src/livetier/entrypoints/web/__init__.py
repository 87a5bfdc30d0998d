"""The web pages: a host's page and the operator dashboard, served by the API's app.

Pages log in with an API key kept in an HttpOnly cookie, read the same services as the API
(``bodies.py`` shapes the host's answers for both, ``views.py`` the task list and rule tables
for the CLI too) and draw their charts as inline SVG on the server: the pages load nothing but
their own stylesheet. Chinese by default; ``?lang=en`` switches to English and a cookie
remembers the choice (``i18n.py``).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from livetier.domain.rulebook import Rulebook
from livetier.entrypoints.web.routes import (
    KEY_COOKIE,
    Authenticate,
    LoginNeeded,
    Pages,
    redirect,
    router,
)
from livetier.services.served import Served

_ASSETS = Path(__file__).resolve().parents[2] / "web"


def _to_login(request: Request, _: Exception) -> Response:
    response = redirect("/login")
    if request.cookies.get(KEY_COOKIE):
        response.delete_cookie(KEY_COOKIE)  # unknown or revoked: forget it
    return response


def mount(app: FastAPI, view: Served, rulebook: Rulebook, authenticate: Authenticate) -> None:
    """Add the pages (and their assets) to ``app``."""
    app.state.pages = Pages(_ASSETS / "templates", view, rulebook, authenticate)
    app.add_exception_handler(LoginNeeded, _to_login)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=_ASSETS / "static"), name="static")
