"""The pages' routes: logging in and out with a key cookie, a host's page, the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from livetier.domain.rulebook import Rulebook
from livetier.entrypoints.web.charts import TIER_COLORS
from livetier.entrypoints.web.i18n import LANG_COOKIE, LANGS, label, language, tier_name, translator
from livetier.entrypoints.web.pages import (
    channel_page,
    explain_page,
    host_live_card,
    host_page,
    operator_page,
)
from livetier.entrypoints.web.reasons import simulated_in_words
from livetier.services import keys, overrides, rules_ops, state
from livetier.services.served import Served
from livetier.services.status import UnknownHost

KEY_COOKIE = "livetier_key"  # as api.KEY_COOKIE; the api package imports this one
Authenticate = Callable[[str | None], keys.Principal]


class LoginNeeded(Exception):
    """A page request without a valid key cookie: answered with a redirect to /login."""


class Pages:
    """The templates and services the pages draw from, kept on the app's state."""

    def __init__(
        self, templates: Path, view: Served, rulebook: Rulebook, authenticate: Authenticate
    ) -> None:
        self.templates = Jinja2Templates(directory=templates)
        self.templates.env.globals.update(tier_colors={t.value: c for t, c in TIER_COLORS.items()})
        self.view = view
        self.rulebook = rulebook
        self.authenticate = authenticate

    def page(
        self,
        request: Request,
        name: str,
        who: keys.Principal | None = None,
        status_code: int = 200,
        **context: Any,
    ) -> Response:
        """A template in the request's language; ``?lang=`` is remembered in a cookie."""
        lang = language(request)
        response = self.templates.TemplateResponse(
            request,
            name,
            {
                "lang": lang,
                "other_lang": LANGS[1 - LANGS.index(lang)],
                "t": translator(lang),
                "tier_name": lambda tier: tier_name(tier, lang),
                "line_name": lambda line: label("line", line, lang),
                "privilege_name": lambda p: label("privilege", p, lang),
                "who": who,
                **context,
            },
            status_code=status_code,
        )
        response.headers["Cache-Control"] = "no-store"
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def message(
        self, request: Request, who: keys.Principal | None, what: str, code: int
    ) -> Response:
        """A page with one titled message, e.g. not found or not allowed."""
        return self.page(
            request, "message.html", who, code, title=f"{what}.title", body=f"{what}.body"
        )

    def logged_in(self, request: Request) -> keys.Principal | None:
        """The key cookie's principal, None without a valid one."""
        key = request.cookies.get(KEY_COOKIE)
        if not key:
            return None
        try:
            return self.authenticate(key)
        except HTTPException:
            return None

    def principal(self, request: Request) -> keys.Principal:
        """The key cookie's principal; without one, the request goes to the login page."""
        who = self.logged_in(request)
        if who is None:
            raise LoginNeeded
        return who

    def host(self, request: Request, who: keys.Principal, host_id: str) -> Response:
        """A host's page, or not found."""
        try:
            data = host_page(self.view, host_id, language(request))
        except UnknownHost:
            return self.message(request, who, "notfound", 404)
        own = who.role is keys.Role.host
        live_url = "/live/host" if own else f"/live/host/{quote(host_id, safe='')}"
        explain_url = "/host/explain" if own else f"/host/{quote(host_id, safe='')}/explain"
        return self.page(
            request, "host.html", who, live_url=live_url, explain_url=explain_url, **data
        )

    def viewer(self, request: Request) -> keys.Principal | Response:
        """The principal of a page for hosts and operators; a service key gets a message."""
        who = self.principal(request)
        if who.role is keys.Role.service:
            return self.message(request, who, "service", 403)
        return who

    def explain(self, request: Request, who: keys.Principal, host_id: str) -> Response:
        """A host's details (明细): the records behind its metrics; a host key sees its own,
        with buyer ids masked."""
        own = who.role is keys.Role.host
        try:
            data = explain_page(self.view, host_id, language(request), masked=own)
        except UnknownHost:
            return self.message(request, who, "notfound", 404)
        back = "/host" if own else f"/host/{quote(host_id, safe='')}"
        return self.page(request, "explain.html", who, host_id=host_id, back=back, **data)


router = APIRouter(include_in_schema=False)


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _home(who: keys.Principal) -> str:
    return {keys.Role.host: "/host", keys.Role.operator: "/operator"}.get(who.role, "/login")


def redirect(url: str) -> RedirectResponse:
    """A see-other redirect: after a form, the browser follows it with a GET."""
    return RedirectResponse(url, status_code=303)


@router.get("/")
def root(request: Request) -> Response:
    who = _pages(request).logged_in(request)
    return redirect(_home(who) if who and who.role is not keys.Role.service else "/login")


@router.get("/login")
def login_form(request: Request) -> Response:
    pages = _pages(request)
    return pages.page(request, "login.html", pages.logged_in(request))


@router.post("/login")
def login(request: Request, key: Annotated[str, Form()] = "") -> Response:
    pages = _pages(request)
    try:
        who = pages.authenticate(key.strip())
    except HTTPException:
        return pages.page(request, "login.html", error=True, status_code=401)
    if who.role is keys.Role.service:
        return pages.message(request, who, "service", 200)
    response = redirect(_home(who))
    response.set_cookie(
        KEY_COOKIE,
        key.strip(),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    response = redirect("/login")
    response.delete_cookie(KEY_COOKIE)
    return response


@router.get("/host")
def own_host(request: Request, host_id: str | None = None) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is keys.Role.operator:  # the dashboard's "open a host" form
        return redirect(f"/host/{quote(host_id.strip(), safe='')}" if host_id else "/operator")
    if who.role is not keys.Role.host or who.host_id is None:
        return pages.message(request, who, "service", 403)
    return pages.host(request, who, who.host_id)


@router.get("/host/explain")
def own_explain(request: Request) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is keys.Role.operator:  # no host of its own: pick one on the dashboard
        return redirect("/operator")
    if who.role is not keys.Role.host or who.host_id is None:
        return pages.message(request, who, "service", 403)
    return pages.explain(request, who, who.host_id)


@router.get("/host/{host_id}/explain")
def any_explain(request: Request, host_id: str) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is keys.Role.host and who.host_id == host_id:
        return redirect("/host/explain")
    if who.role is not keys.Role.operator:  # a host key sees only its own host's records
        return pages.message(request, who, "notfound", 404)
    return pages.explain(request, who, host_id)


@router.get("/host/{host_id}")
def any_host(request: Request, host_id: str) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is keys.Role.host and who.host_id == host_id:
        return redirect("/host")
    if who.role is not keys.Role.operator:  # a host key sees only its own host
        return pages.message(request, who, "notfound", 404)
    return pages.host(request, who, host_id)


@router.post("/host/claim")
def claim(request: Request) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.host or who.host_id is None:
        return pages.message(request, who, "forbidden", 403)
    with suppress(state.ClaimRefused):  # tier none: the page shows there is nothing to claim
        state.claim(pages.view.db, who.host_id)
    return redirect("/host")


@router.get("/operator")
def dashboard(request: Request) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.operator:
        return pages.message(request, who, "forbidden", 403)
    data = operator_page(pages.view, pages.rulebook, language(request))
    return pages.page(request, "operator.html", who, **data)


@router.get("/operator/simulate")
def simulate_form(request: Request) -> Response:
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.operator:
        return pages.message(request, who, "forbidden", 403)
    latest, _ = pages.view.latest()
    return pages.page(request, "simulate.html", who, latest=latest, draft="", version="")


@router.post("/operator/simulate")
async def simulate(
    request: Request,
    draft: Annotated[str, Form()] = "",
    version: Annotated[str, Form()] = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """A draft pasted or uploaded (the upload wins), simulated on the latest run's day."""
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.operator:
        return pages.message(request, who, "forbidden", 403)
    if upload is not None and upload.filename:
        draft = (await upload.read()).decode("utf-8", errors="replace")
    latest, _ = pages.view.latest()
    context: dict[str, Any] = {"latest": latest, "draft": draft, "version": version}
    try:
        result = await run_in_threadpool(
            rules_ops.simulate_served, pages.view, draft, None, version.strip() or None
        )
    except rules_ops.DraftRefused as e:
        return pages.page(request, "simulate.html", who, 400, error=str(e), **context)
    lang = language(request)
    result["changed_hosts"] = [simulated_in_words(h, lang) for h in result["changed_hosts"]]
    return pages.page(request, "simulate.html", who, result=result, **context)


@router.get("/live")
def live_channel(request: Request) -> Response:
    """The live channel (直播频道); live.js keeps its rooms up to date from /live/rooms."""
    pages = _pages(request)
    who = pages.viewer(request)
    if isinstance(who, Response):
        return who
    data = channel_page(pages.view, language(request))
    return pages.page(request, "live.html", who, **data)


@router.get("/live/rooms")
def live_rooms(request: Request) -> Response:
    """The channel's banner slots and rooms, as the page shows them (polled by live.js)."""
    pages = _pages(request)
    who = pages.viewer(request)
    if isinstance(who, Response):
        return who
    data = channel_page(pages.view, language(request))
    return pages.page(request, "_channel.html", who, **data)


def _live_card(request: Request, host_id: str) -> Response:
    pages = _pages(request)
    card = host_live_card(pages.view, host_id, language(request))
    return pages.page(request, "_host_live.html", None, live=card)


@router.get("/live/host")
def own_live_card(request: Request) -> Response:
    """The host page's live card for the key's own host (polled by live.js)."""
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.host or who.host_id is None:
        return pages.message(request, who, "forbidden", 403)
    return _live_card(request, who.host_id)


@router.get("/live/host/{host_id}")
def any_live_card(request: Request, host_id: str) -> Response:
    """A host's live card, for operators (polled by live.js)."""
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.operator:
        return pages.message(request, who, "forbidden", 403)
    return _live_card(request, host_id)


def _override_form(request: Request, do: Callable[[keys.Principal], object]) -> Response:
    """An override form posted by an operator: done, back to the dashboard's list; refused,
    the dashboard again with why."""
    pages = _pages(request)
    who = pages.principal(request)
    if who.role is not keys.Role.operator:
        return pages.message(request, who, "forbidden", 403)
    try:
        do(who)
    except (overrides.OverrideRefused, UnknownHost) as e:
        why = e.say(str) if isinstance(e, overrides.OverrideRefused) else str(e)
        data = operator_page(pages.view, pages.rulebook, language(request))
        return pages.page(request, "operator.html", who, 409, override_error=why, **data)
    return redirect("/operator#overrides")


@router.post("/operator/overrides")
def override_set(
    request: Request,
    host_id: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    tier: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
    until: Annotated[str, Form()] = "",
) -> Response:
    def do(who: keys.Principal) -> object:
        try:
            last = date.fromisoformat(until) if until.strip() else None
        except ValueError:
            raise overrides.OverrideRefused(f"$until {until!r} is not a day (YYYY-MM-DD)") from None
        return overrides.set_override(
            _pages(request).view.db, host_id.strip(), kind, tier, reason, last, who.who
        )

    return _override_form(request, do)


@router.post("/operator/overrides/{host_id}/clear")
def override_clear(request: Request, host_id: str, reason: Annotated[str, Form()] = "") -> Response:
    def do(who: keys.Principal) -> object:
        return overrides.clear_override(_pages(request).view.db, host_id, reason, who.who)

    return _override_form(request, do)
