"""A GAN's two networks seen as one list of layers, for what reads or writes weights
by layer (GET/PUT /weights, /weights/{layer}, the session summary's layer rows).

The generator's layers come first, then the discriminator's, each named after its
network: "generator.dense_1", ..., "discriminator.dense_1" (a layer's own name after
the dot). A layer is found by that name or by its index in the joined list. A
supervised session's weights are its model's, layer by layer, as before.
"""

import numpy as np

from .. import validate as v
from ..errors import ShapeError, SpecError
from ..layers import Layer
from ..model import Model


class Networks:
    def __init__(self, **models: Model):
        """`models` by network name, in order (generator=..., discriminator=...)."""
        self.models = models
        self.entries = [
            (f"{network}.{layer.name}", model, layer)
            for network, model in models.items()
            for layer in model.layers
        ]
        self.by_name = {name: i for i, (name, _, _) in enumerate(self.entries)}

    @property
    def layers(self) -> list[Layer]:
        return [layer for _, _, layer in self.entries]

    @property
    def n_params(self) -> int:
        return sum(model.n_params for model in self.models.values())

    def summary(self) -> list[dict]:
        """Model.summary's rows, every network's, with the joined names."""
        rows = []
        for model in self.models.values():
            rows += model.summary()
        return [{**row, "name": name} for row, (name, _, _) in zip(rows, self.entries)]

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        out = []
        for model in self.models.values():
            out += model.get_weights()
        return out

    def layer(self, key: str | int, path: str = "layer") -> tuple[int, Layer]:
        """(index, layer) by joined name or index."""
        if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(self.entries):
            return key, self.entries[key][2]
        if isinstance(key, str) and key in self.by_name:
            index = self.by_name[key]
            return index, self.entries[index][2]
        raise SpecError(
            path,
            f"no layer {v.describe(key)}; the layers are "
            f"{', '.join(self.by_name)} (or an index below {len(self.entries)})",
        )

    def set_weights(self, weights, path: str = "weights") -> None:
        """Every layer of every network; all checked before any is copied."""
        if not isinstance(weights, (list, tuple)) or len(weights) != len(self.entries):
            got = len(weights) if isinstance(weights, (list, tuple)) else v.describe(weights)
            raise ShapeError(path, f"expected a list of {len(self.entries)} layers, received {got}")
        staged = []
        for i, ((_, model, layer), entry) in enumerate(zip(self.entries, weights)):
            staged += model._stage(layer, i, entry, v.join(path, i))
        for target, arr in staged:
            np.copyto(target, arr, casting="unsafe")

    def set_layer_weights(self, key: str | int, entry, path: str = "weights") -> None:
        index, layer = self.layer(key, "layer")
        model = self.entries[index][1]
        for target, arr in model._stage(layer, index, entry, path):
            np.copyto(target, arr, casting="unsafe")
