"""A user's own image files: an .npz with arrays X and y, or MNIST's IDX pair.

Files come from strangers, so nothing is trusted: no pickles, sizes read from headers
and checked before any pixels are decompressed, and every failure is a SpecError that
says what is wrong with which file.

Pixel rule (the same for both formats): integer (or boolean) pixels in 0..255 are 8-bit
and are divided by 255; floats already in [0, 1] are kept; other non-negative values are divided
by their maximum; values below zero are shifted and scaled to [0, 1] by min and max.
"""

import io
import zipfile
import zlib
from typing import NamedTuple

import numpy as np

from ..errors import SpecError

MAX_IMAGES = 100_000
MAX_PIXELS = 20_000_000  # every value of every image together
MAX_CHANNELS = 4  # grey, grey + alpha, RGB, RGBA
MAX_CLASSES = 1000
IDX_IMAGES, IDX_LABELS = 2051, 2049  # unsigned bytes, 3 axes / 1 axis


class ImageSet(NamedTuple):
    """Pixels as stored: uint8 (0..255) or float32 already in [0, 1]; labels int64 (n,)."""

    pixels: np.ndarray  # (n, h, w, c)
    labels: np.ndarray

    @property
    def classes(self) -> int:
        return max(2, int(self.labels.max()) + 1)

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(X float64 (n, h, w, c) in [0, 1], y float64 (n, 1) class indices)."""
        scale = 255.0 if self.pixels.dtype == np.uint8 else 1.0
        return self.pixels / scale, self.labels.astype(np.float64)[:, None]


def parse_npz(
    raw: bytes, path: str = "file", max_images: int = MAX_IMAGES, max_pixels: int = MAX_PIXELS
) -> tuple[np.ndarray, np.ndarray]:
    """An .npz's X (n, h, w) or (n, h, w, c) and y (n,) as (X in [0, 1], y (n, 1))."""
    return read_npz(raw, path, max_images, max_pixels).arrays()


def parse_idx(
    images: bytes,
    labels: bytes,
    images_path: str = "images",
    labels_path: str = "labels",
    max_images: int = MAX_IMAGES,
    max_pixels: int = MAX_PIXELS,
) -> tuple[np.ndarray, np.ndarray]:
    """MNIST's two IDX files (gzipped or not) as (X (n, h, w, 1) in [0, 1], y (n, 1))."""
    return read_idx(images, labels, images_path, labels_path, max_images, max_pixels).arrays()


def read_npz(
    raw: bytes, path: str = "file", max_images: int = MAX_IMAGES, max_pixels: int = MAX_PIXELS
) -> ImageSet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, ValueError, OSError):
        hint = " (this is a single .npy array)" if raw[:6] == b"\x93NUMPY" else ""
        raise SpecError(
            path, f"is not an .npz file (a zip of .npy arrays, as np.savez writes){hint}"
        ) from None
    with archive:
        names = {n.removesuffix(".npy") for n in archive.namelist()}
        for key in ("X", "y"):
            if key not in names:
                found = ", ".join(sorted(names)) or "no arrays"
                raise SpecError(
                    path,
                    f"has no array {key!r}; an image file needs X (the "
                    f"images) and y (their class indices), found {found}",
                )
        X = _npz_array(archive, "X", path, max_pixels)
        y = _npz_array(archive, "y", path, max_pixels)
    X = _image_axes(X, path, max_images, max_pixels)
    return ImageSet(_pixels(X, path), _labels(y, len(X), path))


def _npz_array(archive: zipfile.ZipFile, key: str, path: str, max_values: int) -> np.ndarray:
    """One member, its header read and checked first so a small zip cannot expand to a
    huge array (a decompression bomb)."""
    try:
        with archive.open(f"{key}.npy") as f:
            version = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, _, dtype = read_header(f)
            if dtype.hasobject:
                raise SpecError(
                    path, f"array {key} holds Python objects; only numbers are read (no pickles)"
                )
            if int(np.prod(shape, dtype=object)) > max_values:
                raise SpecError(
                    path,
                    f"too many pixels: array {key} has shape {shape}, more "
                    f"than {max_values:,} values",
                )
        with archive.open(f"{key}.npy") as f:
            return np.lib.format.read_array(f, allow_pickle=False)
    except SpecError:
        raise
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
        raise SpecError(path, f"array {key} cannot be read ({exc})") from None
    except KeyError:
        raise SpecError(path, f"array {key} must be stored as {key}.npy") from None


def _image_axes(X: np.ndarray, path: str, max_images: int, max_pixels: int) -> np.ndarray:
    """(n, h, w) or (n, h, w, c) channels-last; a file says it holds images, so grey
    (n, h, w) is accepted here and becomes (n, h, w, 1)."""
    if X.ndim == 3:
        X = X[..., None]
    if X.ndim != 4 or 0 in X.shape:
        raise SpecError(path, f"X must have shape (n, h, w) or (n, h, w, c), received {X.shape}")
    if X.shape[3] > MAX_CHANNELS:
        hint = (
            "; it looks channels-first (n, c, h, w): transpose it to (n, h, w, c)"
            if X.shape[1] <= MAX_CHANNELS
            else ""
        )
        raise SpecError(
            path, f"X has {X.shape[3]} channels (last axis); at most {MAX_CHANNELS}{hint}"
        )
    if len(X) > max_images:
        raise SpecError(path, f"has {len(X):,} images; at most {max_images:,}")
    if X.size > max_pixels:
        raise SpecError(path, f"too many pixels: {X.size:,} values; at most {max_pixels:,}")
    return X


def _pixels(X: np.ndarray, path: str) -> np.ndarray:
    """uint8 where the values are 8-bit, float32 in [0, 1] otherwise (the module's rule)."""
    if X.dtype.kind not in "biuf":
        raise SpecError(path, f"X must hold numbers, received dtype {X.dtype}")
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        raise SpecError(path, "X contains NaN or infinity")
    low, high = float(X.min()), float(X.max())
    if X.dtype.kind in "biu" and low >= 0 and high <= 255:
        return X.astype(np.uint8, copy=False)
    if X.dtype.kind == "f" and low >= 0 and high <= 1:
        return X.astype(np.float32, copy=False)
    if low >= 0:
        return (X / high).astype(np.float32)
    return ((X - low) / (high - low)).astype(np.float32)  # high > low since low < 0


def _labels(y: np.ndarray, n: int, path: str) -> np.ndarray:
    """Class indices (n,) from y (n,), (n, 1) or one-hot rows (n, k)."""
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    elif y.ndim == 2 and y.shape[1] > 1 and np.isin(y, (0, 1)).all() and (y.sum(1) == 1).all():
        y = y.argmax(axis=1)
    if y.ndim != 1:
        raise SpecError(
            path, f"y must hold one class index per image, shape (n,), received {y.shape}"
        )
    if len(y) != n:
        raise SpecError(path, f"y has {len(y):,} labels but X has {n:,} images")
    if y.dtype.kind not in "biuf":
        raise SpecError(path, f"y must hold class indices, received dtype {y.dtype}")
    whole = np.isfinite(y) & (y == np.round(y)) & (y >= 0) if y.dtype.kind == "f" else y >= 0
    if not whole.all():
        i = int(np.argmin(whole))
        raise SpecError(path, f"labels must be integers 0, 1, 2, ...; label {i} is {y[i]!r}")
    if len(y) and y.max() >= MAX_CLASSES:
        i = int(np.argmax(y))
        raise SpecError(
            path, f"label {i} is {y[i]!r}; at most {MAX_CLASSES} classes (0 to {MAX_CLASSES - 1})"
        )
    return y.astype(np.int64)


def read_idx(
    images: bytes,
    labels: bytes,
    images_path: str = "images",
    labels_path: str = "labels",
    max_images: int = MAX_IMAGES,
    max_pixels: int = MAX_PIXELS,
) -> ImageSet:
    pixels = _idx(images, IDX_IMAGES, images_path, max_pixels)
    marks = _idx(labels, IDX_LABELS, labels_path, max_images)
    if len(pixels) > max_images:
        raise SpecError(images_path, f"has {len(pixels):,} images; at most {max_images:,}")
    if len(marks) != len(pixels):
        raise SpecError(
            labels_path, f"has {len(marks):,} labels but the images file has {len(pixels):,} images"
        )
    return ImageSet(pixels[..., None], marks.astype(np.int64))


def _idx(raw: bytes, magic: int, path: str, max_values: int) -> np.ndarray:
    """One IDX file: a big-endian magic (0, 0, type 8 = unsigned byte, axes), the axis
    lengths as big-endian uint32, then the bytes."""
    what = "images" if magic == IDX_IMAGES else "labels"
    if raw[:2] == b"\x1f\x8b":
        raw = _gunzip(raw, path, max_values + 64)
    if len(raw) < 4:
        raise SpecError(path, f"is truncated: {len(raw)} bytes, not even an IDX header")
    found = int.from_bytes(raw[:4], "big")
    if found != magic:
        other = IDX_LABELS if magic == IDX_IMAGES else IDX_IMAGES
        hint = " (the images and labels files look swapped)" if found == other else ""
        raise SpecError(
            path, f"is not an IDX {what} file: magic number {found}, expected {magic}{hint}"
        )
    ndim = raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise SpecError(path, f"is truncated: its header needs {header} bytes, found {len(raw)}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    count = int(np.prod(shape, dtype=object))
    if count > max_values:
        raise SpecError(
            path, f"too many pixels: shape {shape} holds {count:,} values; at most {max_values:,}"
        )
    if 0 in shape:
        raise SpecError(path, f"holds no {what} (shape {shape})")
    if len(raw) - header != count:
        state = "is truncated" if len(raw) - header < count else "is longer than its header says"
        raise SpecError(
            path,
            f"{state}: shape {shape} needs {count:,} bytes after the "
            f"header, found {len(raw) - header:,}",
        )
    return np.frombuffer(raw, np.uint8, count, header).reshape(shape)


def _gunzip(raw: bytes, path: str, limit: int) -> bytes:
    """Decompress at most `limit` bytes, so a tiny .gz cannot fill the memory."""
    inflate = zlib.decompressobj(wbits=31)
    try:
        out = inflate.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise SpecError(path, f"is not a valid gzip file ({exc})") from None
    if len(out) > limit:
        raise SpecError(path, f"too many pixels: it decompresses to more than {limit:,} bytes")
    if not inflate.eof:
        raise SpecError(path, "is a truncated gzip file")
    return out
