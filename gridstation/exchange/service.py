"""The data exchange service: Open311 GeoReport v2 and the handheld page on Starlette (ASGI).

``create_app(url)`` builds the application for one database; ``gridstation serve`` runs it on
uvicorn (docs/open311.md says why this stack). Database work is synchronous SQLAlchemy, run in
Starlette's thread pool so the event loop keeps accepting while a report commits.

Keys: write endpoints need a valid key (``api_key`` field or query parameter, or an
``X-API-Key`` header): 403 without one, 429 over the key's rate. Reads are open, as the spec
expects of a public 311 service (they show what a citizen's app shows).
"""

from __future__ import annotations

import logging
import os
from contextlib import asynccontextmanager
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from gridstation.exchange.keyring import KeyIdentity, KeyRing
from gridstation.exchange.open311 import Open311, Open311Error, Upload, bad, values_from_json
from gridstation.paths import resources_dir
from gridstation.store.db import make_engine

log = logging.getLogger("gridstation.exchange")

MAX_BODY = 12 * 1024 * 1024  # one 10 MB photo and the fields


def error(status: int, description: str) -> JSONResponse:
    return JSONResponse([{"code": status, "description": description}], status_code=status)


def _fmt(request: Request) -> None:
    fmt = request.path_params.get("fmt", "json")
    if fmt != "json":
        raise Open311Error(400, f"format .{fmt} is not served: this endpoint speaks JSON only (use .json)")


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY:
        raise bad(f"the request is larger than {MAX_BODY // (1024 * 1024)} MB (a photo may have at most 10 MB)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise bad(f"the request is larger than {MAX_BODY // (1024 * 1024)} MB (a photo may have at most 10 MB)")
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # noqa: SLF001 - lets request.form() parse what was already read
    return body


async def _values(request: Request) -> tuple[dict, list[Upload]]:
    """The posted fields and photos of a form-encoded, multipart or JSON body."""
    body = await _read_body(request)
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "application/json":
        return values_from_json(body), []
    if ctype in ("application/x-www-form-urlencoded", ""):
        try:
            text = body.decode("utf-8")
            pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict")
        except UnicodeDecodeError:
            raise bad("the form is not valid UTF-8 (send UTF-8, percent-encoded)") from None
        return dict(pairs), []
    if ctype == "multipart/form-data":
        try:
            form = await request.form(max_files=9, max_fields=100)
        except UnicodeDecodeError:
            raise bad("the form is not valid UTF-8") from None
        except Exception as e:  # noqa: BLE001 - python-multipart's errors: a malformed body
            raise bad(f"the multipart body cannot be read ({type(e).__name__}: {str(e)[:120]})") from None
        values, uploads = {}, []
        try:
            for k, v in form.multi_items():
                if hasattr(v, "read"):
                    if k != "media":
                        raise bad(f"{k}: only the field 'media' takes a file")
                    uploads.append(Upload(v.filename or "", await v.read(), v.content_type or ""))
                else:
                    values[k] = v
        finally:
            await form.close()
        return values, uploads
    raise bad(f"Content-Type {ctype!r} is not accepted: form-encoded, multipart/form-data or JSON")


def create_app(url: str | None = None, *, engine=None, pool_size: int = 20) -> Starlette:
    """The ASGI application for the database at ``url`` (or an existing ``engine``)."""
    own_engine = engine is None
    if engine is None:
        url = url or os.environ.get("GRIDSTATION_DB")
        kw = {}
        if not str(url).startswith("sqlite"):
            kw = {"pool_size": pool_size, "max_overflow": pool_size}
        else:
            kw = {"pool_size": pool_size, "max_overflow": pool_size, "pool_timeout": 60}
        engine = make_engine(url, **kw)
    api = Open311(engine)
    keys = KeyRing(engine)

    def key_of(request: Request, values: dict | None = None) -> str | None:
        return (request.headers.get("x-api-key") or (values or {}).get("api_key")
                or request.query_params.get("api_key"))

    def require_key(request: Request, values: dict | None = None) -> KeyIdentity:
        ident = keys.identify(key_of(request, values))
        if ident is None:
            raise Open311Error(403, "api_key is missing, unknown or revoked: writes need a valid key")
        if not keys.allow(ident):
            raise Open311Error(429, f"rate limit of key {ident.name}: at most {ident.rate_per_minute} requests a minute")
        return ident

    async def discovery(request: Request) -> Response:
        _fmt(request)
        base = str(request.base_url).rstrip("/")
        return JSONResponse({
            "changeset": "2026-12-04",
            "contact": "GridStation 数据交换服务",
            "key_service": "向系统管理员申请 API key（gridstation apikeys add）",
            "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": f"{base}/open311/v2",
                           "changeset": "2026-12-04", "type": "production", "formats": ["application/json"]}],
        })

    async def services(request: Request) -> Response:
        _fmt(request)
        return JSONResponse(await run_in_threadpool(api.services))

    async def service(request: Request) -> Response:
        _fmt(request)
        return JSONResponse(await run_in_threadpool(api.service_definition, request.path_params["code"]))

    async def requests_(request: Request) -> Response:
        _fmt(request)
        if request.method == "GET":
            return JSONResponse(await run_in_threadpool(api.requests, dict(request.query_params)))
        values, uploads = await _values(request)
        ident = require_key(request, values)
        client = request.client.host if request.client else ""
        token = request.headers.get("idempotency-key")
        out = await run_in_threadpool(api.post, ident, values, uploads, remote_addr=client, client_token=token)
        log.debug("report %s by key %s from %s", out[0]["service_request_id"], ident.name, client)
        return JSONResponse(out)

    async def one_request(request: Request) -> Response:
        _fmt(request)
        return JSONResponse(await run_in_threadpool(api.request, request.path_params["number"]))

    async def media(request: Request) -> Response:
        mime, content = await run_in_threadpool(api.media, request.path_params["id"])
        return Response(content, media_type=mime, headers={"Cache-Control": "private, max-age=3600"})

    async def whoami(request: Request) -> Response:
        """Who a key reports as: the handheld page shows it, so a supervisor sees the key works."""
        ident = keys.identify(key_of(request))
        if ident is None:
            raise Open311Error(403, "api_key is missing, unknown or revoked")
        actor = await run_in_threadpool(api.workflow.actor, ident.user_id)
        return JSONResponse({"key": ident.name, "kind": ident.kind, "name": actor.name, "login": actor.login})

    async def health(request: Request) -> Response:
        return JSONResponse({"ok": True})

    async def handheld(request: Request) -> Response:
        return FileResponse(resources_dir() / "handheld" / "index.html", headers={"Cache-Control": "no-cache"})

    async def on_error(request: Request, exc: Open311Error) -> Response:
        if exc.status >= 500:
            log.warning("%s %s: %s", request.method, request.url.path, exc.description)
        return error(exc.status, exc.description)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return error(500, "internal error; nothing was written (see the service log)")

    @asynccontextmanager
    async def lifespan(app):
        await run_in_threadpool(api.warm)
        yield
        if own_engine:
            engine.dispose()

    routes = [
        Route("/open311/v2/discovery.{fmt}", discovery),
        Route("/open311/v2/services.{fmt}", services),
        Route("/open311/v2/services/{code}.{fmt}", service),
        Route("/open311/v2/requests.{fmt}", requests_, methods=["GET", "POST"]),
        Route("/open311/v2/requests/{number}.{fmt}", one_request),
        Route("/open311/v2/media/{id:int}", media),
        Route("/healthz", health),
        Route("/handheld", lambda r: RedirectResponse("/handheld/")),
        Route("/handheld/", handheld),
        Route("/handheld/whoami", whoami),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={Open311Error: on_error, Exception: on_unexpected})
    app.state.api = api
    app.state.engine = engine
    return app


def app_from_env() -> Starlette:
    """The factory uvicorn's worker processes call (the URL comes in ``GRIDSTATION_DB``)."""
    return create_app(os.environ["GRIDSTATION_DB"])
