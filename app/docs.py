"""The API's own documentation: /docs (Swagger UI), /redoc and /openapi.json.

Swagger UI's and ReDoc's files come from the `fastapi-offline` package and are served
by this server under /docs/static, so the docs work without the internet (FastAPI's
own pages load them from a CDN). The guard lets them through without the token, as
it does /docs itself: they hold no data.
"""

from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

DOCS_STATIC = "/docs/static"
# Swagger UI would send the schema to an online validator for a badge; nothing leaves
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}


def create_api(**kwargs: Any) -> FastAPI:
    """A FastAPI app (kwargs as FastAPI's) whose docs pages need nothing from outside."""
    app = FastAPIOffline(
        static_url=DOCS_STATIC, swagger_ui_parameters=SWAGGER_UI_PARAMETERS, **kwargs
    )
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = without_fastapi_validation_errors(generate())
        return app.openapi_schema

    app.openapi = openapi
    return app


def without_fastapi_validation_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop the 422 that FastAPI documents by itself (its HTTPValidationError body) on
    an operation that has parameters but declares no 422: every route that can answer
    422 declares it with the one error body (app.errors), so one that does not cannot
    (DELETE /api/sessions/{id}: any id is valid, an unknown one is a 404)."""
    for operation in (op for item in schema.get("paths", {}).values() for op in item.values()):
        answer = operation.get("responses", {}).get("422", {})
        refs = [
            media.get("schema", {}).get("$ref", "") for media in answer.get("content", {}).values()
        ]
        if any(ref.endswith("/HTTPValidationError") for ref in refs):
            del operation["responses"]["422"]
    components = schema.get("components", {}).get("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    return schema
