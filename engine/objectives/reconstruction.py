"""Autoencoders: the targets are the inputs.

The training loop is the supervised one with y = x (the same array, no copy), and
optionally Gaussian noise added to the inputs while training, from the session's
training stream (a denoising autoencoder: it must reconstruct the clean input from a
noisy one). The latent code is the output of the bottleneck layer: the one the spec
names, or the narrowest one before the output. A sample's reconstruction error (the
mean squared difference over its values) is its anomaly score.
"""

import numpy as np

from .supervised import Supervised


class Reconstruction(Supervised):
    name = "reconstruction"

    def __init__(self, spec: dict, data, loss, dtype, init_rng):
        super().__init__(spec, data, loss, dtype, init_rng)
        options = spec["reconstruction"]
        self.input_noise = options["noise"]
        self.bottleneck = self.bottleneck_index(options["bottleneck"])

    def bottleneck_index(self, name: str | None) -> int:
        layers = self.model.layers
        if name is not None:
            return self.model.layer(name, "reconstruction.bottleneck")[0]
        if len(layers) == 1:
            return 0
        sizes = [int(np.prod(layer.output_shape)) for layer in layers[:-1]]
        return int(np.argmin(sizes))  # the first of the narrowest

    def encode(self, X: np.ndarray) -> np.ndarray:
        """The latent codes of X: the bottleneck's output, (n, code size)."""
        codes = []
        for start in range(0, len(X), self.eval_rows()):
            out = X[start : start + self.eval_rows()]
            for layer in self.model.layers[: self.bottleneck + 1]:
                out = layer.forward(out, False)
            code = self.model.layers[self.bottleneck].out  # without a ones column
            codes.append(code.reshape(len(code), -1).copy())
        return np.concatenate(codes) if codes else np.zeros((0, self.code_size))

    @property
    def code_size(self) -> int:
        return int(np.prod(self.model.layers[self.bottleneck].output_shape))

    def decode(self, codes: np.ndarray) -> np.ndarray:
        """The outputs for latent codes (n, code size): the layers after the bottleneck."""
        out = codes.reshape(len(codes), *self.model.layers[self.bottleneck].output_shape)
        out = out.astype(self.dtype)
        decoder = self.model.layers[self.bottleneck + 1 :]
        if decoder and getattr(decoder[0], "input_augmented", False):
            # a dense layer after a dense bottleneck reads its input with a ones column
            out = np.concatenate([out, np.ones((*out.shape[:-1], 1), self.dtype)], axis=-1)
        for layer in decoder:
            out = layer.forward(out, False)
        return out.copy()

    def scores(self, X: np.ndarray) -> np.ndarray:
        """Each sample's reconstruction error: the mean of (output − input)² over its
        values, (n,)."""
        out = self.predict(X)
        diff = (out - X).reshape(len(X), -1)
        return np.einsum("ij,ij->i", diff, diff) / max(diff.shape[1], 1)
