"""Character-level text: checking a user's corpus, its vocabulary, next-character windows,
and the built-in corpora (real Python source, and three generated tasks that each need
a different kind of memory).

A corpus is one string. Its vocabulary is its sorted distinct characters, and a
character's id is its index there. The held-out part is the corpus's end, so a model is
tested on text that follows what it was trained on, as a language model is used.
"""

import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np

from ..errors import SpecError
from ..validate import describe, integer, number

MAX_TEXT_CHARS = 2_000_000
_BOM = "\ufeff"


def check_text(value: object, path: str = "data.text") -> str:
    """A user's corpus as a str: bytes are decoded as UTF-8, a leading BOM is dropped and
    Windows line ends (\\r\\n) become \\n.

    SpecError at `path` when it is not text (not str or bytes; a NUL byte; bytes that
    are not UTF-8, with the byte offset), blank, over MAX_TEXT_CHARS characters, or has
    fewer than two distinct characters (nothing to predict).
    """
    if isinstance(value, (bytes, bytearray)):
        value = _decode(bytes(value), path)
    elif not isinstance(value, str):
        raise SpecError(path, f"must be text (a string), received {describe(value)}")
    elif "\x00" in value:
        offset = value.index("\x00")
        raise SpecError(path, f"is not text: a NUL character at offset {offset} (a binary file?)")
    text = value.removeprefix(_BOM).replace("\r\n", "\n")
    if not text.strip():
        what = "empty" if not text else f"only whitespace ({len(text)} characters)"
        raise SpecError(path, f"is {what}; expected some text")
    if len(text) > MAX_TEXT_CHARS:
        raise SpecError(
            path, f"is {len(text):,} characters; the limit is {MAX_TEXT_CHARS:,} characters"
        )
    distinct = set(text)
    if len(distinct) < 2:
        raise SpecError(
            path,
            f"has only one distinct character ({next(iter(distinct))!r}); "
            "a model needs at least two to have anything to predict",
        )
    return text


def _decode(raw: bytes, path: str) -> str:
    if len(raw) > 4 * MAX_TEXT_CHARS + 3:  # UTF-8 spends at most 4 bytes a character
        raise SpecError(path, f"is {len(raw):,} bytes; the limit is {MAX_TEXT_CHARS:,} characters")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise SpecError(path, f"is not text: a NUL byte at byte offset {nul} (a binary file?)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SpecError(
            path,
            f"is not UTF-8 text: byte {raw[error.start]:#04x} at byte offset {error.start} "
            "cannot be decoded (save the file as UTF-8)",
        ) from None


def vocabulary(text: str) -> list[str]:
    """The sorted distinct characters of `text`: id i stands for vocabulary[i]."""
    return sorted(set(text))


def _code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


def encode(text: str, vocab: list[str], path: str = "text") -> np.ndarray:
    """Character ids (len(text),) int64; SpecError at `path` for a character not in
    `vocab` (which must be sorted, as vocabulary() returns it)."""
    codes = _code_points(text)
    vocab_codes = _code_points("".join(vocab))
    ids = np.searchsorted(vocab_codes, codes)
    known = ids < len(vocab_codes)
    known[known] = vocab_codes[ids[known]] == codes[known]
    if not known.all():
        at = int(np.argmin(known))
        raise SpecError(path, f"character {text[at]!r} at offset {at} is not in the vocabulary")
    return ids.astype(np.int64)


def decode(ids: np.ndarray, vocab: list[str]) -> str:
    """The text that character ids (any shape, read in order) stand for."""
    ids = np.asarray(ids).ravel()
    if ids.size and (not np.issubdtype(ids.dtype, np.integer) or ids.min() < 0):
        raise ValueError(f"ids must be non-negative integers, received {describe(ids)}")
    if ids.size and ids.max() >= len(vocab):
        raise ValueError(f"id {int(ids.max())} is past the vocabulary's {len(vocab)} characters")
    return "".join(np.asarray(vocab, dtype=str)[ids]) if ids.size else ""


def windows(
    text: str, vocab: list[str], seq_len: int, test_fraction: float, path: str = "data"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(X_train, y_train, X_test, y_test): int64 ids, each (n, seq_len).

    The corpus is cut at round(len · (1 − test_fraction)): the start trains, the end is
    held out, and no window crosses the cut. Each part gives windows of seq_len + 1
    characters at stride seq_len (consecutive windows share one character): X is a
    window's first seq_len ids, y the last seq_len, so y[:, t] is the character after
    X[:, t]. SpecError at `path` when a part with a nonzero share has no whole window.
    """
    integer(seq_len, "seq_len", low=1)
    number(test_fraction, "test_fraction", low=0.0)
    if test_fraction >= 1:
        raise SpecError("test_fraction", f"must be below 1, received {test_fraction!r}")
    ids = encode(text, vocab, path)
    cut = round(len(ids) * (1 - test_fraction))
    parts = {"training": (ids[:cut], 1 - test_fraction), "held-out": (ids[cut:], test_fraction)}
    out: list[np.ndarray] = []
    for name, (part, share) in parts.items():
        n = max(len(part) - 1, 0) // seq_len
        if share > 0 and n == 0:
            raise SpecError(
                path,
                f"the {name} part ({share:.0%} of {len(ids):,} characters: {len(part):,}) "
                f"has no whole window: it needs at least seq_len + 1 = {seq_len + 1} "
                "characters (a longer text, a shorter seq_len or another test fraction)",
            )
        starts = np.arange(n)[:, None] * seq_len + np.arange(seq_len)
        out += [part[starts], part[starts + 1]]
    return out[0], out[1], out[2], out[3]


# ---- built-in corpora -----------------------------------------------------------------

# Long, pure-Python, long-stable modules of the standard library, in this order. Their
# text changes a little between Python versions, so the corpus is fixed per interpreter.
PYTHON_SOURCE_MODULES = (
    "argparse",
    "textwrap",
    "difflib",
    "fractions",
    "statistics",
    "calendar",
    "shlex",
    "configparser",
    "dataclasses",
    "optparse",
    "pprint",
    "heapq",
    "string",
    "gettext",
    "cmd",
)


@cache
def _stdlib_source() -> str:
    """The modules' sources, each followed by a blank line; read once, then cached."""
    sources = []
    for name in PYTHON_SOURCE_MODULES:
        module = importlib.import_module(name)
        file = inspect.getsourcefile(module) or getattr(module, "__file__", None)
        if not file or not file.endswith(".py") or not Path(file).is_file():
            raise SpecError(
                "data.dataset",
                f"python-source needs the source of the standard library's {name} module, "
                f"which this Python does not have (found {file!r}: a stripped install?); "
                "choose another dataset or upload a text",
            )
        sources.append(Path(file).read_text(encoding="utf-8").replace("\r\n", "\n"))
    return "\n\n".join(sources) + "\n"


def python_source(chars: int = 200_000) -> str:
    """The first `chars` characters of PYTHON_SOURCE_MODULES' sources, concatenated, or
    all of them when they hold fewer (about 587,000 characters on Python 3.11)."""
    integer(chars, "chars", low=1)
    return _stdlib_source()[:chars]


def _fit(lengths: np.ndarray, chars: int) -> int:
    """How many whole examples of these lengths fit in `chars` characters (at least 1)."""
    return max(int(np.searchsorted(np.cumsum(lengths), chars, side="right")), 1)


_BRACKETS = np.frombuffer(b"([{)]}\n", dtype=np.uint8)


def brackets(rng: np.random.Generator, chars: int = 50_000, max_depth: int = 4) -> str:
    """Lines of balanced brackets over ()[]{}, e.g. "([]{()})\\n", up to `chars` characters.

    A line has k pairs, k ~ U{1..2·max_depth}, and never nests deeper than max_depth.
    At each step a line opens a random bracket (when it may) or closes the innermost
    open one, each with probability 1/2. Which closer comes next is set by a bracket
    opened any number of steps before: predicting it needs a stack in memory.
    """
    integer(chars, "chars", low=1)
    integer(max_depth, "max_depth", low=1)
    pairs = rng.integers(1, 2 * max_depth + 1, size=chars // 3 + 1)
    pairs = pairs[: _fit(2 * pairs + 1, chars)]
    n, steps = len(pairs), 2 * int(pairs.max())
    coins = rng.random((n, steps)) < 0.5
    kinds = rng.integers(0, 3, size=(n, steps))
    codes = np.full((n, steps + 1), 6, dtype=np.intp)  # 6: newline, for the line's end
    stack = np.zeros((n, max_depth), dtype=np.intp)
    depth = np.zeros(n, dtype=np.intp)
    opened = np.zeros(n, dtype=np.intp)
    for t in range(steps):
        running = 2 * pairs > t
        may_open = (opened < pairs) & (depth < max_depth)
        opens = running & may_open & ((depth == 0) | coins[:, t])
        closes = running & ~opens  # a running line that may not open has something open
        rows = np.flatnonzero(opens)
        stack[rows, depth[rows]] = kinds[rows, t]
        codes[rows, t] = kinds[rows, t]
        depth[rows] += 1
        opened[rows] += 1
        rows = np.flatnonzero(closes)
        depth[rows] -= 1
        codes[rows, t] = 3 + stack[rows, depth[rows]]
    keep = np.arange(steps + 1) <= 2 * pairs[:, None]  # the line and its newline
    return _BRACKETS[codes[keep]].tobytes().decode("ascii")


def counting(rng: np.random.Generator, chars: int = 50_000, max_n: int = 10) -> str:
    """Examples aⁿbⁿ. ("aaabbb."), n ~ U{1..max_n}, up to `chars` characters.

    The a's are unpredictable in length; the number of b's, and where the "." falls,
    follow from counting the a's.
    """
    integer(chars, "chars", low=1)
    integer(max_n, "max_n", low=1)
    n = rng.integers(1, max_n + 1, size=chars // 3 + 1)
    n = n[: _fit(2 * n + 1, chars)]
    return "".join("a" * k + "b" * k + "." for k in n.tolist())


SYMBOLS = "abcdefghijklmnopqrstuvwxyz"
FILLER, SEPARATOR = ".", "\n"


def delayed_copy(
    rng: np.random.Generator, chars: int = 50_000, delay: int = 10, symbols: int = 4
) -> str:
    """Examples "c" + "." · delay + "c" + "\\n", up to `chars` characters.

    Each example's first character is a random one of the first `symbols` letters of the
    alphabet (unpredictable), then `delay` filler dots, then the same letter again, then
    a newline. Dots and newline follow from counting; the copy can only be predicted by
    remembering the letter for delay + 1 steps.
    """
    integer(chars, "chars", low=1)
    integer(delay, "delay", low=0)
    integer(symbols, "symbols", low=1, high=len(SYMBOLS))
    width = delay + 3
    n = max(chars // width, 1)
    letters = np.frombuffer(SYMBOLS.encode("ascii"), dtype=np.uint8)
    rows = np.full((n, width), ord(FILLER), dtype=np.uint8)
    rows[:, 0] = rows[:, delay + 1] = letters[rng.integers(0, symbols, size=n)]
    rows[:, -1] = ord(SEPARATOR)
    return rows.tobytes().decode("ascii")


@dataclass(frozen=True)
class TextCorpus:
    """A built-in corpus. `params` maps each parameter to (type, default, low, high,
    description), the fields of engine.data.info.ParamInfo; `seq_len` is the
    windows' length, every other one goes to `generator(rng, **params)`."""

    name: str
    title: str
    description: str
    params: Mapping[str, tuple[str, int | float, int | float, int | float, str]]
    generator: Callable[..., str] = field(repr=False, compare=False)

    def text(self, rng: np.random.Generator, params: Mapping[str, Any]) -> str:
        """The corpus for resolved `params` (seq_len is ignored here)."""
        return self.generator(rng, **{k: v for k, v in params.items() if k != "seq_len"})


def _params(**params: tuple) -> Mapping[str, tuple]:
    return MappingProxyType(params)


def _seq_len(default: int) -> tuple:
    return ("int", default, 2, 400, "Characters per training window (steps through time).")


def _chars(default: int, high: int = 500_000) -> tuple:
    return ("int", default, 1_000, high, "Length of the corpus in characters.")


_CORPORA = [
    TextCorpus(
        "python-source",
        "Python source",
        "Real code: " + ", ".join(PYTHON_SOURCE_MODULES[:4]) + " and more modules of the "
        "standard library, read from this Python's own files.",
        _params(chars=_chars(200_000), seq_len=_seq_len(50)),
        lambda rng, chars: python_source(chars),
    ),
    TextCorpus(
        "brackets",
        "Balanced brackets",
        "Lines of nested ()[]{}: which bracket closes next needs a stack in memory.",
        _params(
            chars=_chars(50_000),
            max_depth=("int", 4, 1, 10, "Deepest nesting in a line."),
            seq_len=_seq_len(40),
        ),
        brackets,
    ),
    TextCorpus(
        "counting",
        "Counting aⁿbⁿ",
        "aaabbb.: as many b's as a's, then a dot; the network must count.",
        _params(
            chars=_chars(50_000),
            max_n=("int", 10, 1, 50, "Most a's (and b's) in an example."),
            seq_len=_seq_len(48),
        ),
        counting,
    ),
    TextCorpus(
        "delayed-copy",
        "Delayed copy",
        "A random letter, a run of dots, the same letter: remember it across the delay.",
        _params(
            chars=_chars(50_000),
            delay=("int", 10, 0, 100, "Dots between a letter and its copy."),
            symbols=("int", 4, 2, len(SYMBOLS), "Letters to choose from."),
            seq_len=_seq_len(32),
        ),
        delayed_copy,
    ),
]

TEXT_CORPORA: Mapping[str, TextCorpus] = MappingProxyType(
    {corpus.name: corpus for corpus in _CORPORA}
)
