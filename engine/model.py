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
    def __init__(self, layer_specs, input_shape: tuple[int, ...], dtype=np.float64,
                 path: str = "model.layers"):
        if not isinstance(layer_specs, list) or not layer_specs:
            raise SpecError(path, f"must be a non-empty list of layers, received "
                                  f"{v.describe(layer_specs)}")
        if len(layer_specs) > MAX_LAYERS:
            raise SpecError(path, f"at most {MAX_LAYERS} layers, received {len(layer_specs)}")
        self.dtype = np.dtype(dtype)
        self.input_shape = tuple(input_shape)
        self.layers: list[Layer] = []
        shape = self.input_shape
        for i, spec in enumerate(layer_specs):
            layer = build_layer(spec, v.join(path, i))
            shape = layer.build(shape)
            self.layers.append(layer)
        self.output_shape = shape
        self._middle = self.layers[1:-1]
        self._middle_reversed = self._middle[::-1]
        self._place_parameters()

    # -- parameters ---------------------------------------------------------------
    def _place_parameters(self) -> None:
        entries = [(layer, spec) for layer in self.layers for spec in layer.param_specs()]
        self.n_params = sum(int(np.prod(s.shape)) for _, s in entries)
        self.params = np.zeros(self.n_params, self.dtype)
        self.grads = np.zeros(self.n_params, self.dtype)
        self.weight_mask = np.zeros(self.n_params, self.dtype)  # 1 where L1/L2 apply
        self.slots: list[tuple[Layer, object, slice]] = []
        offset = 0
        for layer in self.layers:
            start = offset
            params, grads = {}, {}
            for spec in layer.param_specs():
                size = int(np.prod(spec.shape))
                where = slice(offset, offset + size)
                offset += size
                params[spec.name] = self.params[where].reshape(spec.shape)
                grads[spec.name] = self.grads[where].reshape(spec.shape)
                self.weight_mask[where] = 1.0 if spec.regularized else 0.0
                self.slots.append((layer, spec, where))
            layer.bind(params, grads, self.params[start:offset], self.grads[start:offset])
        for before, after in zip(self.layers, self.layers[1:]):
            if isinstance(before, Dense) and isinstance(after, Dense):
                before.output_augmented = after.input_augmented = True

    def initialize(self, rng, order: str = "layer") -> None:
        """Draw every parameter. order "layer": W1, b1, W2, b2, ...;
        "weights_first": W1, W2, ..., b1, b2, ... (the course's order)."""
        slots = [(layer, spec) for layer in self.layers for spec in layer.param_specs()]
        if order == "weights_first":
            slots = [s for s in slots if s[1].regularized] + \
                    [s for s in slots if not s[1].regularized]
        from .initializers import draw
        for layer, spec in slots:
            np.copyto(layer.params[spec.name], draw(spec.init, spec.shape, rng))
        self.grads.fill(0.0)

    def frozen_slices(self) -> list[slice]:
        return [where for layer, _, where in self.slots if not layer.trainable]

    def get_weights(self) -> list[dict[str, np.ndarray]]:
        return [{name: arr.copy() for name, arr in layer.params.items()}
                for layer in self.layers]

    def set_weights(self, weights, path: str = "weights") -> None:
        """Check every array before copying any, so a bad request changes nothing."""
        if not isinstance(weights, (list, tuple)) or len(weights) != len(self.layers):
            got = len(weights) if isinstance(weights, (list, tuple)) else v.describe(weights)
            raise ShapeError(path, f"expected a list of {len(self.layers)} layers, received {got}")
        staged = []
        for i, (layer, entry) in enumerate(zip(self.layers, weights)):
            where = v.join(path, i)
            if not isinstance(entry, dict) or set(entry) != set(layer.params):
                names = sorted(layer.params)
                got = sorted(map(str, entry)) if isinstance(entry, dict) else v.describe(entry)
                raise ShapeError(where, f"layer {i} ({layer.type}) takes arrays {names}, "
                                        f"received {got}")
            for name, target in layer.params.items():
                try:
                    arr = np.asarray(entry[name], dtype=np.float64)
                except (TypeError, ValueError):
                    raise ShapeError(v.join(where, name), "must be an array of numbers") from None
                if arr.shape != target.shape:
                    raise ShapeError(v.join(where, name), f"expected shape {target.shape}, "
                                                          f"received {arr.shape}")
                if not np.isfinite(arr).all():
                    raise ShapeError(v.join(where, name), "contains NaN or infinity")
                staged.append((target, arr))
        for target, arr in staged:
            np.copyto(target, arr, casting="unsafe")

    # -- computing ----------------------------------------------------------------
    def forward(self, x: np.ndarray, training: bool = False) -> np.ndarray:
        """The output for x; a scratch buffer, valid until the next forward."""
        for layer in self.layers:
            x = layer.forward(x, training)
        return x

    def forward_all(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's output (copies), for inspection."""
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
        return bool(loss.fuses_with) and \
            getattr(self.layers[-1], "activation", None) == loss.fuses_with

    def backprop(self, x: np.ndarray, y: np.ndarray, loss: Loss, fused: bool | None = None,
                 augmented: bool = False, source_into: np.ndarray | None = None) -> np.ndarray:
        """Forward and backward for one batch; gradients land in self.grads.

        Returns what the loss value is computed from (the logits when the loss is fused
        with the output activation, else the output), a scratch buffer valid until the
        next forward, or `source_into` when given. The value itself is left to the
        caller, who can compute many batches' values in one pass. `fused` may be passed
        in to skip looking it up; `augmented` says x carries a ones column (only for a
        dense first layer, see `wants_augmented_input`).
        """
        layers, last = self.layers, self.layers[-1]
        if fused is None:
            fused = self.fused(loss)
        # forward: the first layer may take augmented inputs, the last may write what
        # the loss reads straight into `source_into` (written out: this runs per step)
        out = x
        if len(layers) > 1:
            first = layers[0]
            out = first.forward(out, True, augmented=True) if augmented \
                else first.forward(out, True)
            for layer in self._middle:
                out = layer.forward(out, True)
        if source_into is None or not isinstance(last, Dense):
            out = last.forward(out, True, augmented=True) if augmented and len(layers) == 1 \
                else last.forward(out, True)
        elif fused:
            out = last.forward(out, True, augmented=augmented and len(layers) == 1,
                               z_into=source_into)
        else:
            out = last.forward(out, True, augmented=augmented and len(layers) == 1,
                               a_into=source_into)
        # backward
        need_dx = len(layers) > 1
        if fused:
            grad = np.subtract(out, y, out=last.backward_workspace()["dloss"])
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

    @property
    def wants_augmented_input(self) -> bool:
        """A dense first layer can take inputs that already carry a ones column."""
        return isinstance(self.layers[0], Dense)

    def per_sample_loss(self, source: np.ndarray, y: np.ndarray, loss: Loss) -> np.ndarray:
        """Per-row losses from what `backprop` returned (logits or outputs)."""
        if self.fused(loss):
            return loss.per_sample_from_logits(source, y)
        return loss.per_sample(source, y)

    def loss_value(self, out: np.ndarray, y: np.ndarray, loss: Loss) -> float:
        """The loss of an output that the last forward produced."""
        if self.fused(loss):
            return loss.value_from_logits(self.layers[-1].z, y)
        return loss.value(out, y)
