"""One error body for everything: `{"error": {"code", "message", "path"?}}`.

Routes raise `ApiError` (or let the engine's `SpecError` through); FastAPI's own
errors (validation 422, unknown route 404, wrong method 405, body too large 413) are
rewritten into the same shape, so a client has exactly one thing to parse.

`ErrorBody` is that shape for /docs, and `error_responses(...)` documents the answers a
route can give by kind (the guard's on every route, a session route's, a body's, a
playing session's), so that /openapi.json lists every status the server answers.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from engine import SpecError

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


class ErrorDetail(BaseModel):
    code: str = Field(
        description="what went wrong, for programs: invalid_spec, "
        "session_not_found, limit_exceeded, too_large, ..."
    )
    message: str = Field(description="what went wrong, for people; names the value received")
    path: str | None = Field(
        None,
        description="where in the request, as the client wrote "
        "it: model.layers[2].units, resolution",
    )


class ErrorBody(BaseModel):
    """The body of every error the server answers."""

    error: ErrorDetail


# The kinds of answers, {status: why}. The guard (app.security) answers GUARD on every
# route and ORIGIN on every route that changes something; FastAPI answers BODY's 400
# for a JSON body that cannot be decoded (not UTF-8) and 422 for any request whose path,
# query or body does not validate.
_HOST = "the Host header names a host this server does not answer to (start it with --allowed-host)"
GUARD = {
    400: _HOST,
    401: "this server has a token (--token) and the request carries none or another",
}
ORIGIN = {403: "a browser page from another origin may not change this server's sessions"}
INVALID = {
    422: "the request does not validate, or asks for more than this server's limits "
    "allow; `path` names the field"
}
BODY = {
    **ORIGIN,
    **INVALID,
    400: "the body cannot be decoded (JSON must be UTF-8)",
    413: "the body is larger than this server accepts (--max-body-bytes; uploads "
    "--max-upload-bytes), or so is what it asks for (--max-step-bytes)",
}
UPLOAD = {**ORIGIN, **INVALID, 413: BODY[413]}  # a raw body: bytes, not JSON
SESSION = {
    **INVALID,  # a stored session loads only if it fits in memory (--max-sessions)
    404: "no session with this id",
}
PLAYING = {409: "the session is playing on the websocket; pause it first"}


def error_responses(*kinds: dict[int, str]) -> dict[int, dict]:
    """FastAPI's `responses` for the given kinds of answers, with the guard's always
    included; the reasons for one status from several kinds are joined."""
    reasons: dict[int, list[str]] = {}
    for kind in (GUARD, *kinds):
        for status, why in kind.items():
            if why not in reasons.setdefault(status, []):
                reasons[status].append(why)
    return {
        status: {"model": ErrorBody, "description": "; or ".join(why)}
        for status, why in sorted(reasons.items())
    }


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        path: str | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.status, self.code, self.message, self.path = status, code, message, path
        self.headers = headers


def error_body(code: str, message: str, path: str | None = None) -> dict:
    error = {"code": code, "message": message}
    if path:
        error["path"] = path
    return {"error": error}


def error_response(
    status: int, code: str, message: str, path: str | None = None, headers: dict | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, path), status_code=status, headers=headers)


def spec_error(exc: SpecError, code: str = "invalid_spec") -> ApiError:
    return ApiError(422, code, exc.message, exc.path or None)


def loc_to_path(loc) -> str:
    """Pydantic's ("body", "model", "layers", 2, "dense", "units") -> "model.layers[2].units".

    Drops the request part ("body", "query", ...) and union tags, which are not fields
    of the client's JSON.
    """
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    out = ""
    previous = None
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _is_union_tag(part, previous):
            continue
        else:
            out = f"{out}.{part}" if out else str(part)
        previous = part
    return out


_TYPE_TAGS = {"str", "int", "float", "bool", "dict", "list", "none"}


def _is_union_tag(part: str, previous) -> bool:
    from .schemas.spec import UNION_TAGS  # the tags our own discriminated unions use

    return (
        part in _TYPE_TAGS
        or "[" in part
        or part.startswith(("function-", "tagged-union"))
        or (part in UNION_TAGS and previous != "type")
    )


def _validation_message(err: dict) -> str:
    kind, msg = err.get("type", ""), err.get("msg", "invalid")
    field = err.get("loc", [""])[-1]
    if kind == "extra_forbidden":
        return f"unknown field {field!r}"
    if kind == "missing":
        return "is required"
    if kind == "union_tag_invalid":
        ctx = err.get("ctx", {})
        return f"unknown type {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind in ("json_invalid",):
        return f"the body is not valid JSON: {err.get('ctx', {}).get('error', msg)}"
    received = err.get("input")
    text = repr(received)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{msg[0].lower()}{msg[1:]}, received {text}"


async def _validation_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
    path = loc_to_path(first.get("loc", ()))
    if first.get("type") == "union_tag_invalid":
        path = f"{path}.type" if path else "type"
    message = _validation_message(first)
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    code = "invalid_json" if first.get("type") == "json_invalid" else "invalid_request"
    return error_response(422, code, message, path or None)


async def _http_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    status, headers = exc.status_code, exc.headers
    code = _HTTP_CODES.get(status, "error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if status == 404:
        message = f"no such path: {request.url.path}"
    elif status == 405:
        allowed = _allowed_methods(request) or (exc.headers or {}).get("Allow", "")
        headers = {**(exc.headers or {}), "Allow": allowed}
        message = f"{request.method} is not allowed here; allowed: {allowed}"
    elif status == 413 and not isinstance(exc.detail, str) or exc.detail == "Content Too Large":
        message = "the request body is larger than this server accepts"
    return error_response(status, code, message, headers=headers)


def _allowed_methods(request: Request) -> str:
    """Every method the API description has at this path (Starlette names only the
    first route's, and FastAPI makes a route a method: GET and POST /api/sessions)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi()["paths"].items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {method.upper() for method in operations}
    return ", ".join(sorted(methods))


async def _api_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.path, exc.headers)


async def _spec_handler(request: Request, exc: SpecError) -> JSONResponse:
    return error_response(422, "invalid_spec", exc.message, exc.path or None)


async def _internal_handler(request: Request, exc: Exception) -> JSONResponse:
    return error_response(
        500, "internal", f"internal error ({type(exc).__name__}); the server log has the details"
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ApiError, _api_handler)
    app.add_exception_handler(SpecError, _spec_handler)
    app.add_exception_handler(Exception, _internal_handler)
