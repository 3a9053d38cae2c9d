"""A sequential model whose parameters all live in one flat vector.

Layout: layer by layer, each layer's arrays in the order it declares them (a dense
layer: W, then b, which together form the (inputs + 1, units) block [W; b]). An
optimizer step is then a few whole-vector operations whatever the number of layers,
and a dense layer can fold its bias into its matrix product: it multiplies inputs that
carry a column of ones by [W; b], one operation instead of two forward and backward.
Consecutive dense layers share that augmented buffer: the first writes its output
where the second reads its input, ones column included.
"""

import numpy as np

from . import validate as v
from .errors import ShapeError, SpecError
from .layers import Dense, Layer, build_layer
from .losses import Loss

MAX_LAYERS = 1000


class Model:
    def __init__(
        self,
        layer_specs,
        input_shape: tuple[int, ...],
        dtype=np.float64,
        path: str = "model.layers",
    ):
        self.dtype = np.dtype(dtype)
        self.input_shape = tuple(input_shape)
        self.layers = build_stack(layer_specs, self.input_shape, path)
        self.output_shape = self.layers[-1].output_shape
        self.by_name = {layer.name: layer for layer in self.layers}
        self._middle = self.layers[1:-1]
        self._middle_reversed = self._middle[::-1]
        self._place_parameters()

    # -- parameters ---------------------------------------------------------------
    def _place_parameters(self) -> None:
        """Trainable layers' arrays in `params` (what the optimizer steps), frozen
        layers' in `frozen` (which no optimizer sees, so freezing costs nothing), and
        running statistics in `buffers`; each layer by layer, in declaration order."""

        def size(spec):
            return int(np.prod(spec.shape, dtype=np.int64))

        trained = [s for layer in self.layers if layer.trainable for s in layer.param_specs()]
        frozen = [s for layer in self.layers if not layer.trainable for s in layer.param_specs()]
        states = [s for layer in self.layers for s in layer.state_specs()]
        self.n_params = sum(map(size, trained)) + sum(map(size, frozen))
        self.params = np.zeros(sum(map(size, trained)), self.dtype)
        self.grads = np.zeros_like(self.params)
        self.weight_mask = np.zeros_like(self.params)  # 1 where L1/L2 apply
        self.frozen = np.zeros(sum(map(size, frozen)), self.dtype)
        self._frozen_grads = np.zeros_like(self.frozen)  # written by nobody, read by nobody
        self.buffers = np.zeros(sum(map(size, states)), self.dtype)
        offsets = {"params": 0, "frozen": 0}
        for layer in self.layers:
            key = "params" if layer.trainable else "frozen"
            flat = self.params if layer.trainable else self.frozen
            flat_grads = self.grads if layer.trainable else self._frozen_grads
            start = offset = offsets[key]
            params, grads = {}, {}
            for spec in layer.param_specs():
                where = slice(offset, offset + size(spec))
                offset += size(spec)
                params[spec.name] = flat[where].reshape(spec.shape)
                grads[spec.name] = flat_grads[where].reshape(spec.shape)
                if layer.trainable:
                    self.weight_mask[where] = 1.0 if spec.regularized else 0.0
            offsets[key] = offset
            layer.bind(params, grads, flat[start:offset], flat_grads[start:offset])
        offset = 0
        for layer in self.layers:
            state = {}
            for spec in layer.state_specs():
                state[spec.name] = self.buffers[offset : offset + size(spec)].reshape(spec.shape)
                offset += size(spec)
            layer.bind_state(state)
        for before, after in zip(self.layers, self.layers[1:]):
            if isinstance(before, Dense) and isinstance(after, Dense):
                before.output_augmented = after.input_augmented = True

    def initialize(self, rng, order: str = "layer") -> None:
        """Draw every parameter and reset every statistic. order "layer": W1, b1, W2,
        b2, ...; "weights_first": W1, W2, ..., b1, b2, ... (the course's order)."""
        slots = [(layer, spec) for layer in self.layers for spec in layer.param_specs()]
        if order == "weights_first":
            slots = [s for s in slots if s[1].regularized] + [
                s for s in slots if not s[1].regularized
            ]
        from .initializers import draw

        for layer, spec in slots:
            np.copyto(layer.params[spec.name], draw(spec.init, spec.shape, rng))
        for layer in self.layers:
            for spec in layer.state_specs():
                np.copyto(layer.state[spec.name], draw(spec.init, spec.shape, rng))
        self.grads.fill(0.0)

    def arrays_of(self, layer: Layer) -> dict[str, np.ndarray]:
        """A layer's trained arrays and its saved statistics, by name (views)."""
        return {**layer.params, **layer.state}

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        return [
            {name: arr.copy() for name, arr in self.arrays_of(layer).items()}
            for layer in self.layers
        ]

    def layer(self, key: str | int, path: str = "layer") -> tuple[int, Layer]:
        """(index, layer) by name or index."""
        if isinstance(key, int) and not isinstance(key, bool) and 0 <= key < len(self.layers):
            return key, self.layers[key]
        if isinstance(key, str) and key in self.by_name:
            layer = self.by_name[key]
            return self.layers.index(layer), layer
        raise SpecError(
            path,
            f"no layer {v.describe(key)}; the layers are "
            f"{', '.join(self.by_name)} (or an index below {len(self.layers)})",
        )

    def set_weights(self, weights, path: str = "weights") -> None:
        """Check every array before copying any, so a bad request changes nothing."""
        if not isinstance(weights, (list, tuple)) or len(weights) != len(self.layers):
            got = len(weights) if isinstance(weights, (list, tuple)) else v.describe(weights)
            raise ShapeError(path, f"expected a list of {len(self.layers)} layers, received {got}")
        staged = []
        for i, (layer, entry) in enumerate(zip(self.layers, weights)):
            staged += self._stage(layer, i, entry, v.join(path, i))
        for target, arr in staged:
            np.copyto(target, arr, casting="unsafe")

    def set_layer_weights(self, key: str | int, entry, path: str = "weights") -> None:
        index, layer = self.layer(key, "layer")
        for target, arr in self._stage(layer, index, entry, path):
            np.copyto(target, arr, casting="unsafe")

    def _stage(self, layer: Layer, i: int, entry, where: str) -> list:
        arrays = self.arrays_of(layer)
        if not isinstance(entry, dict) or set(entry) != set(arrays):
            names = sorted(arrays)
            got = sorted(map(str, entry)) if isinstance(entry, dict) else v.describe(entry)
            raise ShapeError(
                where, f"layer {i} ({layer.type}) takes arrays {names}, received {got}"
            )
        staged = []
        for name, target in arrays.items():
            try:
                arr = np.asarray(entry[name], dtype=np.float64)
            except (TypeError, ValueError):
                raise ShapeError(v.join(where, name), "must be an array of numbers") from None
            if arr.shape != target.shape:
                raise ShapeError(
                    v.join(where, name), f"expected shape {target.shape}, received {arr.shape}"
                )
            if not np.isfinite(arr).all():
                raise ShapeError(v.join(where, name), "contains NaN or infinity")
            problem = layer.check_array(name, arr)
            if problem:
                raise ShapeError(v.join(where, name), problem)
            staged.append((target, arr))
        return staged

    def summary(self) -> list[dict]:
        """One row a layer, as Keras's model.summary(): name, type, output shape, params."""
        return [
            {
                "name": layer.name,
                "type": layer.type,
                "output_shape": list(layer.output_shape),
                "params": sum(int(np.prod(s.shape)) for s in layer.param_specs()),
                "trainable": layer.trainable,
            }
            for layer in self.layers
        ]

    # -- computing ----------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False, rng=None) -> np.ndarray:
        """The output for x; a scratch buffer, valid until the next forward. Training
        mode (dropout active, batch statistics) needs `rng` if a layer draws."""
        for layer in self.layers:
            x = layer.forward(x, training, rng)
        return x

    def forward_all(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's output in inference mode (copies), for inspection."""
        outs = []
        for layer in self.layers:
            x = layer.forward(x, False)
            outs.append(layer.out.copy())
        return outs

    def release(self, lead: tuple[int, ...]) -> None:
        """Drop the scratch buffers kept for inputs with leading axes `lead`."""
        for layer in self.layers:
            layer._buffers.pop(lead, None)

    def fused(self, loss: Loss) -> bool:
        return (
            bool(loss.fuses_with)
            and getattr(self.layers[-1], "activation", None) == loss.fuses_with
        )

    def backprop(
        self,
        x: np.ndarray,
        y: np.ndarray,
        loss: Loss,
        fused: bool | None = None,
        augmented: bool = False,
        source_into: np.ndarray | None = None,
        rng=None,
    ) -> np.ndarray:
        """Forward and backward for one batch; gradients land in self.grads.

        Returns what the loss value is computed from (the logits when the loss is fused
        with the output activation, else the output), a scratch buffer valid until the
        next forward, or `source_into` when given. The value itself is left to the
        caller, who can compute many batches' values in one pass. `fused` may be passed
        in to skip looking it up; `augmented` says x carries a ones column (only for a
        dense first layer, see `wants_augmented_input`); `rng` feeds the layers that
        draw (dropout).
        """
        layers, last = self.layers, self.layers[-1]
        if fused is None:
            fused = self.fused(loss)
        # forward: the first layer may take augmented inputs, the last may write what
        # the loss reads straight into `source_into` (written out: this runs per step)
        out = x
        if len(layers) > 1:
            first = layers[0]
            out = (
                first.forward(out, True, rng, augmented=True)
                if augmented
                else first.forward(out, True, rng)
            )
            for layer in self._middle:
                out = layer.forward(out, True, rng)
        if source_into is None or not isinstance(last, Dense):
            out = (
                last.forward(out, True, rng, augmented=True)
                if augmented and len(layers) == 1
                else last.forward(out, True, rng)
            )
        elif fused:
            out = last.forward(
                out, True, rng, augmented=augmented and len(layers) == 1, z_into=source_into
            )
        else:
            out = last.forward(
                out, True, rng, augmented=augmented and len(layers) == 1, a_into=source_into
            )
        # backward
        need_dx = len(layers) > 1
        if fused:
            grad = loss.logit_grad(out, y, last.backward_workspace()["dloss"])
            grad *= 1.0 / loss.count(out)
            grad = last.backward(grad, need_dx, True)
            out = last.z
        else:
            grad = last.backward(loss.grad(out, y), need_dx)
        for layer in self._middle_reversed:
            grad = layer.backward(grad, True)
        if need_dx:
            layers[0].backward(grad, False)
        return out

    def backward(
        self, dy: np.ndarray, need_dx: bool = True, at_preactivation: bool = False
    ) -> np.ndarray | None:
        """Backward from dL/d(output) after a training-mode forward: every layer's
        parameter gradients into self.grads, and dL/dx returned (None without
        `need_dx`), which is how a GAN's generator learns through its discriminator.
        `at_preactivation`: dy is dL/dz before the last layer's activation (its logit;
        the last layer must then be dense or an activation layer)."""
        layers = self.layers
        last, first = layers[-1], layers[0]
        more = need_dx or len(layers) > 1
        grad = last.backward(dy, more, True) if at_preactivation else last.backward(dy, more)
        if len(layers) == 1:
            return grad
        for layer in self._middle_reversed:
            grad = layer.backward(grad, True)
        return first.backward(grad, need_dx)

    @property
    def wants_augmented_input(self) -> bool:
        """A dense first layer can take inputs that already carry a ones column."""
        return isinstance(self.layers[0], Dense)

    def loss_value(self, out: np.ndarray, y: np.ndarray, loss: Loss) -> float:
        """The loss of an output that the last forward produced."""
        if self.fused(loss):
            return loss.value_from_logits(self.layers[-1].z, y)
        return loss.value(out, y)


def build_stack(
    layer_specs, input_shape: tuple[int, ...], path: str = "model.layers"
) -> list[Layer]:
    """The layers built for `input_shape`, named, with their shapes: no array is
    allocated, so the server can size a model before making it."""
    if not isinstance(layer_specs, list) or not layer_specs:
        raise SpecError(
            path, f"must be a non-empty list of layers, received {v.describe(layer_specs)}"
        )
    if len(layer_specs) > MAX_LAYERS:
        raise SpecError(path, f"at most {MAX_LAYERS} layers, received {len(layer_specs)}")
    layers: list[Layer] = []
    shape = tuple(input_shape)
    for i, spec in enumerate(layer_specs):
        layer = build_layer(spec, v.join(path, i))
        shape = layer.build(shape)
        layers.append(layer)
    taken = {layer.name for layer in layers if layer.name}
    counts: dict[str, int] = {}
    for layer in layers:
        if not layer.name:
            while True:
                counts[layer.type] = counts.get(layer.type, 0) + 1
                name = f"{layer.type}_{counts[layer.type]}"
                if name not in taken:
                    break
            layer.name = name
            taken.add(name)
    return layers
