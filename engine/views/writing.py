"""Views of a text model: the text it writes, the next character's distribution, and
the corpus with the windows it trains on.

Writing runs the network one character at a time: position-wise layers (embedding,
dense, activation, dropout) on a one-step slice, recurrent layers through their
`step`, so 500 characters cost 500 small steps rather than 500 whole windows. The
same seed gives the same text. Everything runs in inference mode.
"""

import numpy as np

from ..data import text as text_data
from ..errors import SpecError
from ..layers.config import Field
from .base import View
from .images import SPLIT
from .recurrent import RECURRENT

POSITION_WISE = ("embedding", "dense", "activation", "dropout")
MAX_SAMPLE_CHARS = 5000
TOP = 5  # alternatives kept per sampled character


def can_step(s) -> bool:
    """Text data and a network that can run one character at a time."""
    return s.data.vocab is not None and all(
        layer.type in RECURRENT or layer.type in POSITION_WISE for layer in s.model.layers
    )


class Stepper:
    """The network run one character at a time, keeping each recurrent layer's state."""

    def __init__(self, s):
        self.model, self.dtype = s.model, s.dtype
        self.states = [None] * len(self.model.layers)

    def feed(self, char_id: int) -> np.ndarray:
        """The next character's logits after `char_id` (float64, (vocab,))."""
        x = np.full((1, 1), char_id, dtype=self.dtype)
        for i, layer in enumerate(self.model.layers):
            if layer.type in RECURRENT:
                h, self.states[i] = layer.step(x[:, 0], self.states[i])
                x = h[:, None]
            else:
                x = layer.forward(x, False)
        last = self.model.layers[-1]
        if getattr(last, "activation", None) == "softmax":
            return np.asarray(last.z[0, 0], dtype=np.float64)
        return np.log(np.clip(np.asarray(x[0, 0], dtype=np.float64), 1e-30, None))


def default_prime(s) -> str:
    """The training text's first character."""
    return s.data.vocab[int(s.data.X_train[0, 0])]


def probabilities(logits: np.ndarray, temperature: float) -> np.ndarray:
    z = logits / temperature
    z = np.exp(z - z.max())
    return z / z.sum()


def sample_chars(s, prime: str | None, temperature: float, length: int, seed: int):
    """Yields (character, its probability, the top alternatives [(char, p)]) one at a
    time: what the websocket streams and sample_text collects."""
    vocab = s.data.vocab
    prime = prime or default_prime(s)
    ids = text_data.encode(prime, vocab, "prime")
    rng = np.random.default_rng(seed)
    stepper = Stepper(s)
    with np.errstate(all="ignore"):
        for char_id in ids[:-1].tolist():
            stepper.feed(char_id)
        logits = stepper.feed(int(ids[-1]))
        for _ in range(length):
            p = probabilities(logits, temperature)
            if not np.isfinite(p).all():
                raise SpecError("temperature", "the model's outputs are not finite (diverged?)")
            pick = min(int(np.searchsorted(np.cumsum(p), rng.random() * p.sum())), len(p) - 1)
            top = np.argsort(-p, kind="stable")[:TOP]
            yield vocab[pick], float(p[pick]), [(vocab[k], float(p[k])) for k in top.tolist()]
            logits = stepper.feed(pick)


def sample_text(s, prime, temperature, length, seed) -> dict:
    chars, probs, tops = [], [], []
    for char, p, top in sample_chars(s, prime, temperature, length, seed):
        chars.append(char)
        probs.append(p)
        tops.append(top)
    return {
        "prime": prime or default_prime(s),
        "text": "".join(chars),
        "probabilities": np.asarray(probs),
        "top": tops,
        "temperature": temperature,
        "seed": seed,
    }


def next_char(s, prefix, temperature) -> dict:
    """The distribution of the character after `prefix`."""
    vocab = s.data.vocab
    prefix = prefix or default_prime(s)
    ids = text_data.encode(prefix, vocab, "prefix")
    stepper = Stepper(s)
    with np.errstate(all="ignore"):
        for char_id in ids.tolist():
            logits = stepper.feed(char_id)
    return {
        "prefix": prefix,
        "chars": list(vocab),
        "probabilities": probabilities(logits, temperature),
    }


def corpus(s, split, start, length) -> dict:
    """A stretch of the split's text, with where each window begins: the windows are
    seq_len characters at stride seq_len, so window k covers [k·seq_len, (k+1)·seq_len)."""
    d = s.data
    X = d.X_train if split == "train" else d.X_test
    y = d.y_train if split == "train" else d.y_test
    seq_len = X.shape[1]
    total = len(X) * seq_len + (1 if len(X) else 0)
    start = min(start, max(total - 1, 0))
    first, last = start // seq_len, min(-(-(start + length) // seq_len), len(X))
    ids = X[first:last].astype(np.int64).ravel()
    if last == len(X) and len(X):
        ids = np.append(ids, int(y[-1, -1]))
    offset = start - first * seq_len
    text = text_data.decode(ids, d.vocab)[offset : offset + length]
    return {
        "split": split,
        "start": start,
        "text": text,
        "total": total,
        "seq_len": seq_len,
        "windows": len(X),
    }


TEXT = ("text",)
TEMPERATURE = Field(
    "temperature",
    "float",
    "divides the logits: low is safe, high is adventurous",
    default=1.0,
    low=0.05,
    high=5.0,
)
VIEWS = [
    View(
        "sample_text",
        "text the model writes after a prime, one character at a time",
        TEXT,
        (
            Field(
                "prime",
                "text",
                "the text to start from (default: the corpus's first character)",
                default=None,
                high=1000,
                optional=True,
            ),
            TEMPERATURE,
            Field(
                "length", "int", "characters to write", default=200, low=1, high=MAX_SAMPLE_CHARS
            ),
            Field(
                "seed",
                "int",
                "the same seed writes the same text",
                default=0,
                low=0,
                high=2**32 - 1,
            ),
        ),
        sample_text,
        fits=can_step,
    ),
    View(
        "next_char",
        "the probability of each character after a prefix",
        TEXT,
        (
            Field(
                "prefix",
                "text",
                "the text so far (default: the corpus's first character)",
                default=None,
                high=1000,
                optional=True,
            ),
            TEMPERATURE,
        ),
        next_char,
        fits=can_step,
    ),
    View(
        "corpus",
        "a stretch of the text, with the windows the model reads",
        TEXT,
        (
            SPLIT,
            Field("start", "int", "first character", default=0, low=0),
            Field("length", "int", "characters", default=2000, low=1, high=20_000),
        ),
        corpus,
    ),
]
