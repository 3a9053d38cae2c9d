"""Portable session archives: a zip that another server imports and resumes from
bit-identically.

    manifest.json   {"format": "nn-playground-archive/1", "version", "exported"}
    spec.json       the normalized spec
    history.json    the history as GET .../history gives it (for people and tools)
    state.json      the engine's checkpoint metadata (counters, RNG state)
    arrays.npz      parameters, optimizer state, data, history series (no pickles)

An archive is untrusted input. Before anything is loaded: the zip must hold exactly
these names (no folders, no paths), each within a size limit; every array's .npy header
is read first (dtype, shape) and checked against what the spec implies, because a
184-byte .npz can declare a 298 GiB array; object dtypes (pickles) are refused. Only
then are arrays loaded, with allow_pickle=False. Every array must match, in shape and
dtype, the one a fresh session built from the same spec has; the counters and history
are range-checked; anything else is a 422 "invalid_archive".
"""

import io
import json
import math
import re
import time
import zipfile

import numpy as np

from engine import Session, SpecError
from engine.state_format import FORMAT as SESSION_FORMAT

from . import __version__, limits
from .errors import ApiError
from .settings import Settings

FORMAT = "nn-playground-archive/1"
MEMBERS = ("manifest.json", "spec.json", "history.json", "state.json", "arrays.npz")
JSON_LIMIT = 64 << 20
ARRAY_NAME = re.compile(r"^[A-Za-z0-9_.]{1,100}\.npy$")
HISTORY_CAPACITY_LIMIT = 1 << 16
ENGINE_STATUSES = ("ready", "diverged", "finished")


def invalid(message: str, path: str | None = None) -> ApiError:
    return ApiError(422, "invalid_archive", message, path)


def export_archive(session: Session, name: str) -> bytes:
    """The archive of a session. Call with the session's lock held."""
    meta, arrays = session.state_dict()
    meta = dict(meta)
    spec = meta.pop("spec")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        manifest = {"format": FORMAT, "version": __version__, "exported": time.time(), "name": name}
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("spec.json", json.dumps(spec, indent=1))
        zf.writestr("history.json", json.dumps(session.history))
        zf.writestr("state.json", json.dumps(meta))
        npz = io.BytesIO()
        np.savez(npz, **arrays)
        zf.writestr("arrays.npz", npz.getvalue())
    return buffer.getvalue()


def import_archive(blob: bytes, settings: Settings) -> tuple[Session, str]:
    """(session, name) from an archive's bytes; ApiError 422 for anything wrong."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise invalid("not a zip archive") from None
    with zf:
        members = _check_members(zf, settings)
        manifest = _json(zf, members["manifest.json"])
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise invalid(f"manifest.json must say format {FORMAT!r}", "manifest.json")
        spec = _json(zf, members["spec.json"])
        meta = _json(zf, members["state.json"])
        npz_bytes = _read(zf, members["arrays.npz"], settings.max_upload_bytes * 4)
    from .schemas.spec import SessionCreate

    try:
        SessionCreate.model_validate(spec)
        norm = limits.check_spec(spec, settings)
        fresh = Session.from_spec(norm)
    except SpecError as exc:
        raise invalid(f"spec.json: {exc.message}", exc.path or None) from None
    except ApiError as exc:
        raise invalid(f"spec.json: {exc.message}", exc.path) from None
    except ValueError as exc:  # pydantic's ValidationError
        raise invalid(f"spec.json is not a valid spec: {str(exc).splitlines()[0]}") from None
    limits.check_params(fresh.n_params, settings)
    fresh_meta, expected = fresh.state_dict()
    arrays = _load_arrays(npz_bytes, expected, settings)
    _check_meta(meta, fresh_meta, fresh, arrays)
    try:
        _trial({**meta, "spec": norm}, arrays)
        session = Session.from_state({**meta, "spec": norm}, arrays)
    except (
        SpecError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        MemoryError,
        OverflowError,
    ) as exc:
        raise invalid(f"the saved state does not fit its spec: {exc}") from None
    name = manifest.get("name") if isinstance(manifest.get("name"), str) else norm["name"]
    return session, name[:200]


def _check_members(zf: zipfile.ZipFile, settings: Settings) -> dict[str, zipfile.ZipInfo]:
    found: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in zf.infolist():
        name = info.filename
        if "/" in name or "\\" in name or ".." in name or name.startswith(("/", "~")):
            raise invalid(
                f"the archive contains a path ({name[:80]!r}); it may hold only "
                f"{', '.join(MEMBERS)}"
            )
        if name not in MEMBERS:
            raise invalid(f"unexpected file {name[:80]!r}; allowed: {', '.join(MEMBERS)}")
        if name in found:
            raise invalid(f"{name} appears twice")
        total += info.file_size
        found[name] = info
    missing = [m for m in MEMBERS if m not in found]
    if missing:
        raise invalid(f"missing {', '.join(missing)}")
    if total > settings.max_upload_bytes * 4:
        raise ApiError(
            413,
            "too_large",
            f"the archive unpacks to {total:,} bytes, above {settings.max_upload_bytes * 4:,}",
        )
    return found


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise ApiError(
            413, "too_large", f"{info.filename} is {info.file_size:,} bytes, above {limit:,}"
        )
    try:
        with zf.open(info) as f:
            return f.read(limit + 1)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise invalid(f"{info.filename} cannot be read: {exc}") from None


def _json(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    try:
        return json.loads(_read(zf, info, JSON_LIMIT))
    except (ValueError, UnicodeDecodeError):
        raise invalid(f"{info.filename} is not valid JSON", info.filename) from None


def _npy_header(f) -> tuple[tuple, np.dtype]:
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(f)
    elif version in ((2, 0), (3, 0)):
        shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"unsupported .npy version {version}")
    return shape, dtype


def _load_arrays(blob: bytes, expected: dict[str, np.ndarray], settings: Settings) -> dict:
    """Check each header against `expected` (or the history/order rules), then load."""
    budget = settings.max_upload_bytes * 4
    try:
        inner = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise invalid("arrays.npz is not an .npz archive", "arrays.npz") from None
    headers = {}
    with inner:
        for info in inner.infolist():
            if not ARRAY_NAME.match(info.filename):
                raise invalid(f"arrays.npz: unexpected entry {info.filename[:80]!r}")
            key = info.filename[:-4]
            try:
                with inner.open(info) as f:
                    shape, dtype = _npy_header(f)
            except (ValueError, OSError, EOFError, zipfile.BadZipFile, SyntaxError) as exc:
                raise invalid(f"arrays.npz: {key} has no valid .npy header ({exc})") from None
            if dtype.hasobject or dtype.kind not in "biuf":
                raise invalid(
                    f"arrays.npz: {key} has dtype {dtype}; only numbers are "
                    "accepted (no pickled objects)"
                )
            nbytes = math.prod(shape) * dtype.itemsize
            budget -= nbytes
            if budget < 0:
                raise ApiError(
                    413, "too_large", "arrays.npz declares more data than this server accepts"
                )
            _check_header(key, shape, dtype, expected)
            headers[key] = info
        missing = sorted(
            k for k in expected if k not in headers and k != "order" and not k.startswith("hist.")
        )
        if missing:
            raise invalid(f"arrays.npz lacks {', '.join(missing[:5])}")
        arrays = {}
        for key, info in headers.items():
            try:
                with inner.open(info) as f:
                    arrays[key] = np.lib.format.read_array(f, allow_pickle=False)
            except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
                raise invalid(f"arrays.npz: {key} cannot be read ({exc})") from None
    return arrays


EXACT_PREFIXES = ("params", "data.", "opt.")


def _check_header(key: str, shape: tuple, dtype: np.dtype, expected: dict) -> None:
    """Parameters, data and optimizer state must match the spec's exactly; the engine's
    bookkeeping arrays (history series) may differ only in length, within a bound."""
    if key == "order":
        reference = expected["data.X_train"]
        if shape != (reference.shape[0],) or dtype.kind not in "iu":
            raise invalid(f"arrays.npz: order must be {reference.shape[0]} integers")
        return
    reference = expected.get(key)
    if reference is None:
        raise invalid(f"arrays.npz: unexpected entry {key!r}")
    if key.startswith(EXACT_PREFIXES):
        if shape != reference.shape or dtype != reference.dtype:
            raise invalid(
                f"arrays.npz: {key} is {dtype}{list(shape)}, but the spec implies "
                f"{reference.dtype}{list(reference.shape)}"
            )
        return
    if (
        dtype.kind != reference.dtype.kind
        or len(shape) != reference.ndim
        or shape[1:] != reference.shape[1:]
        or (shape and shape[0] > max(HISTORY_CAPACITY_LIMIT, reference.shape[0]))
    ):
        raise invalid(
            f"arrays.npz: {key} is {dtype}{list(shape)}, which does not fit "
            f"{reference.dtype}{list(reference.shape)}"
        )


def _check_meta(meta, fresh_meta: dict, fresh: Session, arrays: dict) -> None:
    """The counters a client could set to absurd values; the rest is the engine's
    (restore is tried, and a restored copy must train one step, before accepting)."""
    if not isinstance(meta, dict) or meta.get("format") != SESSION_FORMAT:
        raise invalid(f"state.json must have format {SESSION_FORMAT!r}", "state.json")
    expected_keys = set(fresh_meta) - {"spec"}
    if set(meta) != expected_keys:
        raise invalid(f"state.json must have exactly the fields {sorted(expected_keys)}")

    def count(key, high=None):
        value = meta[key]
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or value < 0
            or (high is not None and value >= high)
        ):
            raise invalid(f"state.json: {key} must be an integer in range", f"state.{key}")

    count("step")
    count("epoch")
    objective = meta["objective"]
    if not isinstance(objective, dict) or set(objective) != set(fresh_meta["objective"]):
        raise invalid(
            f"state.json: objective must have the fields {sorted(fresh_meta['objective'])}"
        )
    cursor = objective["cursor"]
    if isinstance(cursor, bool) or not isinstance(cursor, int) or not 0 <= cursor < fresh.n_train:
        raise invalid(
            "state.json: objective.cursor must be an integer in range", "state.objective.cursor"
        )
    if meta["status"] not in ENGINE_STATUSES:
        raise invalid(f"state.json: status must be one of {', '.join(ENGINE_STATUSES)}")
    if meta["data"] != fresh_meta["data"]:
        raise invalid("state.json: data does not match the spec's data")
    if "order" in arrays and not np.array_equal(np.sort(arrays["order"]), np.arange(fresh.n_train)):
        raise invalid("arrays.npz: order must be a permutation of the training rows")
    for key, a in arrays.items():
        if (
            not key.startswith(EXACT_PREFIXES)
            and a.dtype.kind in "iu"
            and a.size <= 16
            and a.size
            and int(a.max()) > 1 << 40
        ):
            raise invalid(f"arrays.npz: {key} holds implausible counts")


def _trial(meta: dict, arrays: dict) -> None:
    """Restore a copy and train it one step: a state that restores but cannot train
    is refused now, not when a user presses play."""
    copy = Session.from_state(meta, {k: a.copy() for k, a in arrays.items()})
    if copy.status == "ready":
        copy.step(steps=1)
