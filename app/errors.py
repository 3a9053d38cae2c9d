"""One error body for everything: `{"error": {"code", "message", "path"?}}`.

Routes raise `ApiError` (or let the engine's `SpecError` through); FastAPI's own
errors (validation 422, unknown route 404, wrong method 405, body too large 413) are
rewritten into the same shape, so a client has exactly one thing to parse.
"""

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from engine import SpecError

_HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 413: "too_large",
               415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests"}


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, path: str | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.path = status, code, message, path
        self.headers = headers


def error_body(code: str, message: str, path: str | None = None) -> dict:
    error = {"code": code, "message": message}
    if path:
        error["path"] = path
    return {"error": error}


def error_response(status: int, code: str, message: str, path: str | None = None,
                   headers: dict | None = None) -> JSONResponse:
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

    return (part in _TYPE_TAGS or "[" in part or part.startswith("function-")
            or part.startswith("tagged-union") or (part in UNION_TAGS and previous != "type"))


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
    status = exc.status_code
    code = _HTTP_CODES.get(status, "error")
    message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if status == 404:
        message = f"no such path: {request.url.path}"
    elif status == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{request.method} is not allowed here; allowed: {allowed}"
    elif status == 413 and not isinstance(exc.detail, str) or exc.detail == "Content Too Large":
        message = "the request body is larger than this server accepts"
    return error_response(status, code, message, headers=exc.headers)


async def _api_handler(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.code, exc.message, exc.path, exc.headers)


async def _spec_handler(request: Request, exc: SpecError) -> JSONResponse:
    return error_response(422, "invalid_spec", exc.message, exc.path or None)


async def _internal_handler(request: Request, exc: Exception) -> JSONResponse:
    return error_response(500, "internal", f"internal error ({type(exc).__name__}); "
                                           "the server log has the details")


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(ApiError, _api_handler)
    app.add_exception_handler(SpecError, _spec_handler)
    app.add_exception_handler(Exception, _internal_handler)
