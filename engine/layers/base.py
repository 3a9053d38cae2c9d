"""The layer protocol every layer follows, so that new kinds (convolution, pooling,
recurrent, dropout, batch norm) fit without changing the model or the optimizers.

A layer is built once for an input shape (without the batch axis) and declares its
parameters as `ParamSpec`s. The model then places every parameter in one flat vector
and hands the layer *views* into it (`bind`), so an optimizer step is a single vector
operation and the layer never owns copies. forward/backward keep only references to
the last batch (no cache that grows), and scratch buffers are reused per batch shape.
"""

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from .config import Field, normalize_config


@dataclass(frozen=True)
class ParamSpec:
    name: str
    shape: tuple[int, ...]
    init: dict  # a normalized initializer spec
    regularized: bool  # L1/L2 apply to it (kernels yes, biases no)


class Layer:
    """Subclasses set `type`, `description` and `fields` (their config, declared once),
    and take the normalized config in `__init__`."""

    type: ClassVar[str] = ""
    description: ClassVar[str] = ""
    fields: ClassVar[tuple[Field, ...]] = ()
    has_params: ClassVar[bool] = False  # declares trained arrays (for the catalog)
    uses_rng: ClassVar[bool] = False  # draws random numbers while training (dropout)
    modes: ClassVar[bool] = False  # behaves differently in training and inference

    def __init__(self, config: dict | None = None, path: str = "layer"):
        self.config = dict(config or {"type": self.type})
        self.path = path
        self.name = self.config.get("name", "")
        self.trainable = self.config.get("trainable", True)
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}
        self.input_shape: tuple[int, ...] = ()
        self.output_shape: tuple[int, ...] = ()
        self._buffers: dict[tuple, dict[str, np.ndarray]] = {}
        self.out: np.ndarray | None = None

    @classmethod
    def from_spec(cls, spec, path: str = "layer") -> "Layer":
        """Validate a layer spec (SpecError naming the field) and build the layer."""
        return cls(normalize_config(cls.fields, {"type": cls.type, **spec}, path), path)

    # -- building -----------------------------------------------------------------
    def build(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Record the input shape (no batch axis) and return the output shape."""
        self.input_shape = tuple(input_shape)
        self.output_shape = self.compute_output_shape(self.input_shape)
        return self.output_shape

    def compute_output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        return input_shape

    def param_specs(self) -> list[ParamSpec]:
        """Trained arrays, in their order in the model's flat vector."""
        return []

    def state_specs(self) -> list[ParamSpec]:
        """Arrays saved with the model but not trained (batch norm's running statistics)."""
        return []

    def check_array(self, name: str, value: np.ndarray) -> str | None:
        """What is wrong with `value` for the array `name` (set from outside), or None."""
        return None

    def bind_state(self, state: dict[str, np.ndarray]) -> None:
        self.state = state

    def bind(
        self,
        params: dict[str, np.ndarray],
        grads: dict[str, np.ndarray],
        flat_params: np.ndarray,
        flat_grads: np.ndarray,
    ) -> None:
        """Views into the model's flat vectors: by name, and the layer's whole region."""
        self.params, self.grads = params, grads

    # -- computing ----------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False, rng=None) -> np.ndarray:
        """Compute the output; also keep it (without any helper columns) as self.out.
        `rng` (a np.random.Generator) is given while training to layers that draw."""
        raise NotImplementedError

    def backward(self, dy: np.ndarray, need_dx: bool = True) -> np.ndarray | None:
        """Take dL/d(output), write dL/d(param) into self.grads, return dL/d(input)."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return dict(self.config)

    def output_bytes(self, dtype) -> int:
        """Bytes of one sample's output (for the server's memory estimate)."""
        return int(np.prod(self.output_shape, dtype=np.int64)) * np.dtype(dtype).itemsize

    def workspace(self, lead: tuple[int, ...], dtype) -> dict[str, np.ndarray]:
        """Scratch arrays for inputs whose leading (batch) axes are `lead`.

        One dict lookup per call keeps small networks fast; a few batch shapes
        (training batch, last partial batch, evaluation) are kept, no more.
        """
        ws = self._buffers.get(lead)
        if ws is None:
            if len(self._buffers) >= 6:
                self._buffers.clear()
            ws = self._buffers[lead] = self.make_workspace(lead, np.dtype(dtype))
        return ws

    def make_workspace(self, lead: tuple[int, ...], dtype) -> dict[str, np.ndarray]:
        return {}
