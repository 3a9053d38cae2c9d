"""The guard in front of every request: Host, Origin, token and body size.

- Host: a page on an attacker's domain can resolve that domain to 127.0.0.1 (DNS
  rebinding) and then talk to this server as "same origin"; answering only to the
  names this server is known by (localhost, the loopback addresses, the bound host,
  `--allowed-host`) stops that. Bound to 0.0.0.0/:: the names are unknown, so any
  Host is accepted unless --allowed-host lists them (the token protects such servers).
- Origin: browsers send it with cross-origin requests and every websocket handshake;
  a state-changing request (POST, PUT, PATCH, DELETE) or a websocket whose Origin is
  not this server's own (or a configured CORS origin) is refused, so a page elsewhere
  cannot drive a local server. Requests without Origin (curl, scripts) pass.
- Token: with --token, every request needs `Authorization: Bearer <token>` or
  `?token=<token>` (what the page passes on), except the API description (/docs,
  /redoc, their files under /docs/static, /openapi.json), which holds no data.
- Body size: a declared Content-Length above the limit is refused here with the usual
  error body, before anything is read; a body without a length is counted as it
  arrives and refused (413) once it passes the limit of its path (uploads have their
  own). Starlette's body-limit middleware (app.main) stays behind as an outer bound.
"""

import hmac
import json
from urllib.parse import parse_qs, urlsplit

from starlette.exceptions import HTTPException

from .errors import error_body
from .settings import LOOPBACK_HOSTS, Settings

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PUBLIC_PATHS = {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}
PUBLIC_PREFIX = "/docs/static/"  # Swagger UI's and ReDoc's own files (app.docs)
UPLOAD_PATHS = {"/api/sessions/import", "/api/datasets/images"}


def _host_name(host: str) -> str:
    """'localhost:8000' -> 'localhost', '[::1]:8000' -> '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings
        names = {*LOOPBACK_HOSTS, *(h.lower() for h in settings.allowed_hosts)}
        if settings.host not in ("0.0.0.0", "::", ""):
            names.add(settings.host.lower())
        self.any_host = settings.host in ("0.0.0.0", "::", "") and not settings.allowed_hosts
        self.host_names = names
        self.origins = {o.rstrip("/").lower() for o in settings.cors_origins}

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {
            k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])
        }
        problem = self._check(scope, headers)
        if problem is not None:
            status, code, message = problem
            return await self._refuse(scope, receive, send, status, code, message)
        if scope["type"] == "http":
            receive = self._counting(receive, self._body_limit(scope))
        return await self.app(scope, receive, send)

    def _body_limit(self, scope) -> int:
        if scope.get("path") in UPLOAD_PATHS:
            return self.settings.max_upload_bytes
        return self.settings.max_body_bytes

    @staticmethod
    def _counting(receive, limit: int):
        """Count a body that arrives without Content-Length (chunked) as it streams."""
        seen = 0

        async def counted():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"the body is larger than {limit:,} bytes")
            return message

        return counted

    def _check(self, scope, headers):
        host = headers.get("host", "")
        if not self.any_host and _host_name(host) not in self.host_names:
            return (
                400,
                "bad_host",
                (
                    f"this server does not answer to the host {host!r}; "
                    "start it with --allowed-host to add a name"
                ),
            )
        origin = headers.get("origin")
        changes = scope["type"] == "websocket" or scope.get("method") not in SAFE_METHODS
        if origin is not None and changes and not self._origin_ok(origin, host, scope):
            return (
                403,
                "forbidden_origin",
                (f"requests from the origin {origin!r} may not change this server's sessions"),
            )
        path = scope.get("path", "")
        public = path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIX)
        if self.settings.token and not public and not self._token_ok(scope, headers):
            return (
                401,
                "unauthorized",
                (
                    "this server needs its token: send "
                    "'Authorization: Bearer <token>' or ?token=<token>"
                ),
            )
        if scope["type"] == "http":
            limit = self._body_limit(scope)
            length = headers.get("content-length")
            if length is not None and length.isdigit() and int(length) > limit:
                return (
                    413,
                    "too_large",
                    (
                        f"the body is {int(length):,} bytes; this server "
                        f"accepts at most {limit:,} here"
                    ),
                )
        return None

    def _origin_ok(self, origin: str, host: str, scope) -> bool:
        origin = origin.rstrip("/").lower()
        if origin in self.origins:
            return True
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return False  # includes the opaque origin "null"
        return parts.netloc == host.lower()

    def _token_ok(self, scope, headers) -> bool:
        expected = self.settings.token.encode()
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return hmac.compare_digest(auth[7:].strip().encode(), expected)
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [""])[0]
        return bool(given) and hmac.compare_digest(given.encode(), expected)

    async def _refuse(self, scope, receive, send, status, code, message):
        if scope["type"] == "websocket":
            # refuse the handshake: an HTTP 403 before accepting (websocket.http.response
            # is not universal, so close, which servers turn into a 403)
            await send({"type": "websocket.close", "code": 1008, "reason": code})
            return
        body = json.dumps(error_body(code, message)).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
