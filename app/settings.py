"""Server settings and limits, from defaults, `PLAYGROUND_*` environment variables and
CLI flags (in increasing priority).

The engine's own limits are generous (a million units a layer); these are the server's,
checked before the engine is asked to build anything, so that one request cannot take
the machine's memory or a worker's time. Every limit, and every setting of how sessions
are trained, checkpointed and culled, has a flag (`--max-params`) and an environment
variable (`PLAYGROUND_MAX_PARAMS`).
"""

import dataclasses
import os
import platform
from dataclasses import dataclass, field
from pathlib import Path

ENV_PREFIX = "PLAYGROUND_"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def default_data_dir() -> Path:
    """The per-user data directory: XDG on Linux, the platform's equivalent elsewhere."""
    system = platform.system()
    if system == "Windows" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "nn-playground"
    if system == "Darwin":
        return Path.home() / "Library" / "Application Support" / "nn-playground"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "nn-playground"


def _option(default, help: str, group: str = "limits", zero: bool = False):
    """A setting with a flag (in `group` of --help) and a variable; `zero` (it turns
    something off) may be 0, any other must be positive."""
    return field(default=default, metadata={"help": help, "group": group, "zero": zero})


def _limit(default, help: str):
    return _option(default, help)


def _sessions(default, help: str, zero: bool = False):
    return _option(default, help, "sessions", zero)


@dataclass(frozen=True)
class Settings:
    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = field(default_factory=default_data_dir)
    token: str | None = None
    allowed_hosts: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()

    max_params: int = _limit(1_000_000, "parameters per model")
    max_layers: int = _limit(32, "layers per model")
    max_units: int = _limit(1024, "units per layer")
    max_samples: int = _limit(100_000, "samples per dataset (train and test together)")
    max_steps_per_request: int = _limit(1_000_000, "mini-batches one step request may ask for")
    step_time_budget: float = _limit(
        10.0, "seconds one step request may train before it returns early"
    )
    max_resolution: int = _limit(200, "boundary grid resolution (N for an N×N grid)")
    max_sessions: int = _limit(
        64, "sessions kept in memory (least recently used ones are saved to disk and unloaded)"
    )
    max_stored_sessions: int = _limit(10_000, "sessions kept on disk")
    max_playing: int = _limit(32, "sessions playing at once")
    max_step_bytes: int = _limit(
        1 << 30, "bytes one training step's layer outputs, gradients and unfolded patches may take"
    )
    max_body_bytes: int = _limit(8 << 20, "request body size in bytes")
    max_upload_bytes: int = _limit(64 << 20, "import archive size in bytes")
    max_ws_message_bytes: int = _limit(1 << 20, "websocket message size from clients, bytes")
    checkpoint_interval: float = _sessions(5.0, "seconds between checkpoints while playing")
    slice_seconds: float = _sessions(
        0.015,
        "longest time a playing session trains before "
        "the trainer moves on to the next one, in "
        "seconds (slices shrink as more sessions play)",
    )
    trainer_threads: int = _sessions(
        1,
        "threads that train playing sessions (more use more "
        "cores where steps run in NumPy's kernels, as a "
        "CNN's do)",
    )
    render_processes: int = _sessions(
        1,
        "processes that make the snapshots of playing small "
        "networks beside the trainer (0: the trainer makes "
        "them in its turns)",
        zero=True,
    )
    training_processes: int = _sessions(
        1,
        "processes that train playing small networks "
        "beside the server's, each with a GIL of its own "
        "(0: the trainer threads train them)",
        zero=True,
    )
    cull_idle_seconds: float = _sessions(
        600.0,
        "seconds after which a session never "
        "trained, with no viewer and no request, is "
        "deleted (0: never)",
        zero=True,
    )

    @classmethod
    def from_env(cls, environ=None, **overrides) -> "Settings":
        """Defaults, then PLAYGROUND_* variables, then `overrides` (None means unset)."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = parse_value(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def loopback(self) -> bool:
        return self.host in LOOPBACK_HOSTS


def parse_value(f: dataclasses.Field, raw: str):
    """A flag's or variable's text as the field's type; ValueError names the field."""
    kind = f.type if isinstance(f.type, str) else getattr(f.type, "__name__", str(f.type))
    try:
        if kind in ("int",):
            value = int(raw)
        elif kind in ("float",):
            value = float(raw)
        elif "tuple" in kind:
            return tuple(part.strip() for part in raw.split(",") if part.strip())
        elif "Path" in kind:
            return Path(raw).expanduser()
        else:
            return raw
    except ValueError:
        raise ValueError(f"{f.name} must be a {kind}, received {raw!r}") from None
    zero = f.metadata.get("zero", False)
    if value < 0 or (value == 0 and not zero):
        raise ValueError(f"{f.name} must be positive{' or 0' if zero else ''}, received {raw!r}")
    return value
