"""Looking inside a session: outputs, every layer's activations, and the decision
boundary over the plane, for any inputs, without disturbing training.

Inputs are raw points as the dataset gives them; the session's feature transforms are
applied here, so that callers (the page, the API) never re-implement them.
"""

import copy

import numpy as np

from . import spec as specs
from . import validate as v
from .data import transform
from .data.inline import MAX_INLINE_FEATURES, matrix, sample_array
from .errors import SpecError
from .model import Model

_HELD = ("params", "frozen", "buffers")  # a model's arrays that inference reads


class Inspection:
    """Mixed into Session; uses its spec, data, model, objective, dtype, _grids,
    _shadows and _spare_twins."""

    def _inputs(self, X, path: str = "inputs") -> np.ndarray:
        """Raw points (as the dataset gives them) -> model inputs (features applied).
        Inputs of higher rank (images) are checked against the model's input shape."""
        shape = self.model.input_shape
        if self.spec["objective"] == "adversarial":  # the generator's: noise vectors
            arr = matrix(X, path, MAX_INLINE_FEATURES)
            if arr.shape[1] != shape[0]:
                raise SpecError(
                    path, f"each noise vector needs {shape[0]} values, received {arr.shape[1]}"
                )
            return arr.astype(self.dtype)
        if len(shape) > 1:
            return sample_array(X, path, shape).astype(self.dtype)
        arr = matrix(X, path, MAX_INLINE_FEATURES)
        n_raw = self.data.points_train.shape[1]
        if arr.shape[1] != n_raw:
            raise SpecError(path, f"each input needs {n_raw} values, received {arr.shape[1]}")
        features = self.spec["data"].get("features")
        if features:
            arr = transform(arr, features)
        return arr.astype(self.dtype)

    def predict(self, X) -> np.ndarray:
        with np.errstate(all="ignore"):
            return self.objective.predict(self._inputs(X))

    def activations(self, X) -> list[np.ndarray]:
        """The model's input (after features) and every layer's output, for each row of X."""
        inputs = self._inputs(X)
        with np.errstate(all="ignore"):
            return [inputs, *self.model.forward_all(inputs)]

    def boundary(self, resolution: int = 50, dtype: str = "float32") -> dict:
        """The output and every neuron's output over a resolution² grid spanning the data.

        Row i, column j of each grid is the point (xs[j], ys[i]). Only for 2-D points.
        Computed in float32 by default: a heatmap needs no more than its 7 digits, and
        NumPy's float32 tanh and exp are several times faster; dtype="float64" (or the
        session's dtype) gives the exact values.
        """
        if self.spec["objective"] == "adversarial":
            raise SpecError(
                "resolution",
                "a GAN's discriminator over the plane is its gan_plane view, not a boundary",
            )
        if self.data.view is None or self.data.points_train.shape[1] != 2:
            raise SpecError(
                "resolution",
                "a boundary needs 2-D input points; this data has "
                f"{self.data.points_train.shape[1]} columns",
            )
        resolution = v.integer(resolution, "resolution", low=2, high=1000)
        v.choice(dtype, "dtype", specs.DTYPES)
        model = self._model_in(np.dtype(dtype))
        xs, inputs = self._grid(resolution, model.dtype)
        with np.errstate(all="ignore"):
            layers = model.forward_all(inputs)
        model.release(inputs.shape[:-1])  # a large grid's buffers are not worth keeping
        shape = (resolution, resolution)
        return {
            "x": xs,
            "y": xs,
            "output": layers[-1].reshape(*shape, -1),
            "layers": [a.reshape(*shape, -1) for a in layers],
        }

    def detached(self):
        """A twin of this session to look at while it trains on: the same spec, data and
        counters, and a model of its own holding the weights as they are now.

        Take it with the session's lock held (copying the weights takes microseconds),
        then compute views of the twin without the lock, on another core, while the
        session trains; hand it back with `release()`. Only inference runs on a twin:
        it never trains, and the session's caches it shares are safe to share."""
        spare = self._spare_twins.pop() if self._spare_twins else None
        twin = copy.copy(self)
        twin.objective = self.objective.twin(spare)
        twin._twin_of = self
        return twin

    def release(self) -> None:
        """A twin's model back to its session, to be reused warm (its buffers made)."""
        owner = self.__dict__.pop("_twin_of", None)
        if owner is not None and len(owner._spare_twins) < 2:
            owner._spare_twins.append(self.objective.twin_models())

    # -- a replica elsewhere -------------------------------------------------------
    def inference_arrays(self) -> list[np.ndarray]:
        """Copies of what inference reads (each network's params, frozen weights and
        buffers): a few small arrays, quick to take with the lock held and to send.
        A replica of this session (`Session.from_state`, in another process) that
        loads them shows the session as it is now."""
        return [getattr(m, name).copy() for m in self._inference_models() for name in _HELD]

    def load_inference_arrays(self, arrays: list[np.ndarray], step: int, epoch: int) -> None:
        """Take another session's `inference_arrays` (of the same spec) and its counters."""
        targets = [getattr(m, name) for m in self._inference_models() for name in _HELD]
        if len(arrays) != len(targets):
            raise ValueError(f"expected {len(targets)} arrays, received {len(arrays)}")
        for target, source in zip(targets, arrays):
            np.copyto(target, source)
        self.step_count, self.epoch = step, epoch
        self.weights_version += 1
        self._evaluated_at = -1

    def _inference_models(self) -> tuple:
        models = self.objective.twin_models()
        return models if isinstance(models, tuple) else (models,)

    @property
    def has_boundary(self) -> bool:
        """Whether the boundary (the model over the plane) can be drawn: 2-D points,
        not a GAN."""
        return (
            self.spec["objective"] != "adversarial"
            and self.data.view is not None
            and self.data.points_train.shape[1] == 2
        )

    def _model_in(self, dtype: np.dtype) -> Model:
        """The model itself, or a copy of it in another dtype for inspection."""
        if dtype == self.dtype:
            return self.model
        shadow = self._shadows.get(dtype)
        if shadow is None:
            shadow = self._shadows[dtype] = Model(
                self.spec["model"]["layers"], self.data.X_train.shape[1:], dtype
            )
        for name in ("params", "frozen", "buffers"):
            np.copyto(getattr(shadow, name), getattr(self.model, name), casting="unsafe")
        return shadow

    def _grid(self, resolution: int, dtype):
        cached = self._grids.get((resolution, dtype))
        if cached is None:
            low, high = self.data.view
            xs = np.linspace(low, high, resolution)
            gx, gy = np.meshgrid(xs, xs)
            points = np.stack([gx.ravel(), gy.ravel()], axis=1)
            features = self.spec["data"].get("features")
            inputs = transform(points, features) if features else points
            if len(self._grids) >= 4:
                self._grids.clear()
            cached = self._grids[(resolution, dtype)] = (xs, inputs.astype(dtype))
        return cached
