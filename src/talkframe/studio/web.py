"""What every studio page shares: templates, the signed-in caller, CSRF, security headers and static files."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlsplit

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from talkframe.api.deps import ServicesDep, run_db
from talkframe.services import Services
from talkframe.studio import auth

HERE = Path(__file__).parent
STATIC_DIR = HERE / "static"
templates = Jinja2Templates(directory=str(HERE / "templates"))

NAV = (("create", "Create video"), ("videos", "Videos"), ("photos", "Talking photos"), ("avatars", "Video avatars"),
       ("assets", "Assets"), ("folders", "Folders"), ("webhooks", "Webhooks"), ("live", "Live"))


def _static_version() -> str:
    """A hash of the static files, appended to their URLs so they can be cached for long."""
    h = hashlib.sha1()
    for p in sorted(STATIC_DIR.rglob("*")):
        if p.is_file():
            h.update(p.name.encode() + p.read_bytes())
    return h.hexdigest()[:10]


STATIC_VERSION = _static_version()


class CachedStatic(StaticFiles):
    """Static files with a long cache lifetime (their URLs carry the content version)."""

    async def get_response(self, path: str, scope):  # type: ignore[no-untyped-def, override]
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def static_files() -> CachedStatic:
    return CachedStatic(directory=str(STATIC_DIR))


def _fmt_time(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.gmtime(ts)) if ts else ""


templates.env.filters["when"] = _fmt_time
templates.env.globals["static_version"] = STATIC_VERSION
templates.env.globals["nav"] = NAV


def secret(request: Request) -> bytes:
    return request.app.state.services.secret


def services_of(request: Request) -> Services:
    return request.app.state.services


async def signed_in(request: Request, services: ServicesDep) -> auth.StudioCaller | None:
    """The signed-in caller, if the cookie is valid and its key is still active. The key is checked in a short
    session of its own on a worker thread (like the API's key lookup), never on the event loop."""
    who = auth.read_session(services.secret, request.cookies.get(auth.SESSION_COOKIE))
    if who is None or not await run_db(services, auth.key_active, who):
        return None
    return who


async def form_fields(request: Request) -> dict[str, str]:
    """An urlencoded form body as a dict of first values (read on the event loop, before any database work)."""
    return await form(request)


# Pages and calls take these instead of a session when they only need to know who is signed in or what was posted;
# a sync route that reads or writes the database adds `SessionDep` (committed before the response is sent).
WhoDep = Annotated[auth.StudioCaller | None, Depends(signed_in)]
FormDep = Annotated[dict[str, str], Depends(form_fields)]


def to_login(request: Request) -> RedirectResponse:
    return RedirectResponse("/studio/login", status_code=303)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def secure_headers(response: Response, services: Services) -> None:
    """CSP: scripts and styles only from this origin; media also from the public base URL (signed file links)."""
    media = f"'self' blob: data: {_origin(services.settings.public_base_url)}".strip()
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self'; style-src 'self'; img-src {media}; media-src {media}; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"


def page(request: Request, template: str, who: auth.StudioCaller | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    """Render a page with the caller, the active nav item and a CSRF token (setting the nonce cookie if new)."""
    nonce, fresh = auth.csrf_nonce(request)
    response = templates.TemplateResponse(
        request, template, {"caller": who, "csrf": auth.csrf_token(secret(request), nonce), **context},
        status_code=status_code)
    if fresh:
        auth.set_csrf_cookie(response, request, nonce)
    secure_headers(response, services_of(request))
    return response


async def form(request: Request) -> dict[str, str]:
    """An urlencoded form body as a dict of first values."""
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def forbidden(request: Request) -> HTMLResponse:
    return page(request, "error.html", None, status_code=403, title="Form expired",
                message="This form has expired or did not come from this page. Go back, reload and try again.")
