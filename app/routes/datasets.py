"""The built-in datasets, straight from the engine's registry (not a second list), and
turning a user's image files into the data section of a spec."""

import base64
import binascii
from typing import Annotated, Any, Literal

import numpy as np
from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from engine import SpecError
from engine.data import DATASETS, describe_datasets, resolve_params
from engine.data import text as text_data
from engine.data.arrays import encode_array
from engine.data.image_files import read_idx, read_npz

from ..deps import SettingsDep
from ..encode import array_to_json
from ..errors import BODY, INVALID, ApiError, error_responses, spec_error

SAMPLE_SEED_MAX = 2**32 - 1

router = APIRouter(tags=["datasets"])


@router.get("/datasets", response_model=list[dict[str, Any]])
async def list_datasets() -> list[dict]:
    """Every dataset: name, title, kind, modality, sample shape, classes (with names for
    images), parameters with ranges."""
    return describe_datasets()


@router.get(
    "/datasets/{name}/sample", responses=error_responses(INVALID, {404: "no dataset by this name"})
)
async def sample_dataset(
    name: Annotated[
        str, Path(description="a name from GET /api/datasets", examples=list(DATASETS))
    ],
    settings: SettingsDep,
    n_samples: Annotated[int | None, Query(ge=1)] = None,
    noise: Annotated[float | None, Query(ge=0)] = None,
    classes: Annotated[int | None, Query(ge=2)] = None,
    size: Annotated[int | None, Query(ge=1)] = None,
    seed: Annotated[int, Query(ge=0, le=SAMPLE_SEED_MAX)] = 0,
) -> dict:
    """Samples of a built-in dataset without making a session (for thumbnails and
    previews): {"points", "labels", "kind", "modality", "view"}, drawn from `seed`;
    images come as nested lists (n, h, w, c)."""
    info = DATASETS.get(name)
    if info is None:
        raise ApiError(
            404, "not_found", f"no dataset {name!r}; GET /api/datasets lists them", "name"
        )
    given = {"n_samples": n_samples, "noise": noise, "classes": classes, "size": size}
    params = {k: v for k, v in given.items() if v is not None}
    try:
        params = resolve_params(name, params, "params")
    except SpecError as exc:
        raise spec_error(exc) from None
    if params.get("n_samples", 0) > settings.max_samples:
        raise ApiError(
            422,
            "limit_exceeded",
            f"n_samples {params['n_samples']} is above "
            f"this server's limit of {settings.max_samples} (--max-samples)",
            "n_samples",
        )
    if info.prepare is not None:
        return JSONResponse(_sequential_sample(info, params, seed))
    X, y = info.generate(np.random.default_rng(seed), params)
    return JSONResponse(
        {
            "name": name,
            "kind": info.kind,
            "modality": info.modality,
            "params": params,
            "view": list(info.view) if info.view else None,
            "points": array_to_json(X)[0],
            "labels": array_to_json(y)[0],
        }
    )


SAMPLE_CHARS = 2000


def _sequential_sample(info, params: dict, seed: int) -> dict:
    """A text's first characters, or a series' values, split as a session splits them."""
    prepared = info.prepare(
        np.random.default_rng(seed), params, info.default_test_fraction, "params"
    )
    out = {"name": info.name, "kind": info.kind, "modality": info.modality, "params": params}
    if prepared.vocab is not None:
        ids = prepared.X_train[: -(-SAMPLE_CHARS // prepared.X_train.shape[1])]
        out["text"] = text_data.decode(ids.ravel(), prepared.vocab)[:SAMPLE_CHARS]
        out["vocab"] = prepared.vocab
    elif prepared.series is not None:
        out["values"] = prepared.series["values"].tolist()
        out["split"] = prepared.series["split"]
    else:  # labelled windows at half-window stride (the anomaly lab): their first halves
        half = max(prepared.X_train.shape[1] // 2, 1)
        parts = [prepared.X_train, prepared.X_test]
        out["values"] = np.concatenate([w[:, :half, 0].ravel() for w in parts]).tolist()
        out["split"] = len(prepared.X_train) * half
    return out


class TextUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = Field(description="the .txt file, base64 (UTF-8 text)")


class TextInfo(BaseModel):
    chars: int
    vocab: list[str] = Field(description="the distinct characters, in id order")


class TextData(BaseModel):
    data: dict = Field(description='the spec\'s data section: {"dataset": "text", "text": ...}')
    info: TextInfo


@router.post("/datasets/text", response_model=TextData, responses=error_responses(BODY))
def upload_text(upload: TextUpload, settings: SettingsDep) -> JSONResponse:
    """Read a .txt file (UTF-8) and answer the `data` section of a spec; a binary, empty
    or too long file gets a 422 that says which. Nothing is stored."""
    raw = _decode(upload.file, "file", settings)
    try:
        text = text_data.check_text(raw, "file")
    except SpecError as exc:
        raise spec_error(exc, "invalid_file") from None
    vocab = text_data.vocabulary(text)
    return JSONResponse(
        {"data": {"dataset": "text", "text": text}, "info": {"chars": len(text), "vocab": vocab}}
    )


class ImageUpload(BaseModel):
    """One model for both formats (not a union on `format`), so that a wrong format is
    reported at `format` itself."""

    model_config = ConfigDict(extra="forbid")
    format: Literal["npz", "idx"]
    file: str | None = Field(
        None,
        description="npz: the .npz file, base64: arrays X (n, h, "
        "w) or (n, h, w, c) and y (n,), no pickles",
    )
    images: str | None = Field(
        None, description="idx: the images file (magic 2051), base64, gzipped or not"
    )
    labels: str | None = Field(
        None, description="idx: the labels file (magic 2049), base64, gzipped or not"
    )


class ImageInfo(BaseModel):
    n: int
    shape: list[int] = Field(description="one image: [h, w, c]")
    classes: int
    dtype: Literal["uint8", "float32"]


class ImageData(BaseModel):
    data: dict = Field(
        description="the spec's data section: dataset, task, X (an array "
        "envelope), y (class indices); send it as it is"
    )
    info: ImageInfo


@router.post("/datasets/images", response_model=ImageData, responses=error_responses(BODY))
def upload_images(upload: ImageUpload, settings: SettingsDep) -> JSONResponse:
    """Read an .npz (X and y) or MNIST's IDX pair and answer the `data` section of a
    spec: `{"dataset": "inline", "task": "classification", "X": {"dtype", "shape",
    "data"}, "y": [...]}`. uint8 pixels stay uint8 (the engine divides a uint8 image
    envelope by 255); other pixels come as float32 in [0, 1]. Nothing is stored."""
    fields = ("file",) if upload.format == "npz" else ("images", "labels")
    for name in ("file", "images", "labels"):
        given = getattr(upload, name) is not None
        if name in fields and not given:
            raise ApiError(
                422, "invalid_request", f"is required for format {upload.format!r}", name
            )
        if given and name not in fields:
            raise ApiError(
                422, "invalid_request", f"is not a field of format {upload.format!r}", name
            )
    raw = [_decode(getattr(upload, name), name, settings) for name in fields]
    try:
        reader = read_npz if upload.format == "npz" else read_idx
        images = reader(*raw, *fields, max_images=settings.max_samples)
    except SpecError as exc:
        raise spec_error(exc, "invalid_file") from None
    pixels = images.pixels
    data = {
        "dataset": "inline",
        "task": "classification",
        "X": encode_array(pixels),
        "y": images.labels.tolist(),
    }
    info = {
        "n": len(pixels),
        "shape": list(pixels.shape[1:]),
        "classes": images.classes,
        "dtype": pixels.dtype.name,
    }
    return JSONResponse({"data": data, "info": info})


def _decode(text: str, field: str, settings) -> bytes:
    limit = settings.max_upload_bytes
    if len(text) // 4 * 3 > limit:
        raise ApiError(
            413,
            "too_large",
            f"{field} is about {len(text) // 4 * 3:,} bytes; "
            f"this server accepts files of at most {limit:,}",
            field,
        )
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(
            422, "invalid_file", "is not valid base64 (standard alphabet, padded with =)", field
        ) from None
    if not raw:
        raise ApiError(422, "invalid_file", "is empty", field)
    return raw
