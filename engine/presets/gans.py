"""GANs: GAN Lab's set-ups on 2-D distributions, the losses side by side on eight
Gaussians, and digits."""

from .images import FLATTEN


def _dense_stack(hidden: list[int], output: dict, **layer) -> dict:
    """{"layers": [...]}: dense layers of `hidden` units (relu unless `layer` says),
    then `output`."""
    dense = {"type": "dense", "activation": "relu", **layer}
    return {"layers": [{**dense, "units": n} for n in hidden] + [{**dense, **output}]}


def _gan(
    dataset: str,
    generator: dict,
    discriminator: dict,
    *,
    loss: str = "non_saturating",
    noise: dict,
    optimizer: dict,
    batch: int,
    params: dict | None = None,
) -> dict:
    return {
        "seed": 1,
        "dtype": "float32",
        "objective": "adversarial",
        "data": {"dataset": dataset, **({"params": params} if params else {})},
        "generator": generator,
        "discriminator": discriminator,
        "noise": noise,
        "gan_loss": loss,
        "d_steps": 1,
        "g_steps": 1,
        "optimizer": optimizer,
        "batch_size": batch,
    }


# GAN Lab's model: two hidden layers of 8 ReLUs in each network, weights normal with
# std 1/√fan_in (LeCun's), zero biases, a tanh generator output, SGD at 0.1 for both,
# batch 150, 2-D uniform noise, its "log loss" (the discriminator's cross-entropy, the
# generator's −log D(G(z))); GAN Lab draws its noise on [0, 1], this engine on [-1, 1]
_GAN_LAB_LAYER = {"init": "lecun_normal", "bias_init": "zeros"}


def _gan_lab(dataset: str) -> dict:
    return _gan(
        dataset,
        _dense_stack([8, 8], {"units": 2, "activation": "tanh"}, **_GAN_LAB_LAYER),
        _dense_stack([8, 8], {"units": 1, "activation": "sigmoid"}, **_GAN_LAB_LAYER),
        noise={"dim": 2, "distribution": "uniform"},
        optimizer={"type": "sgd", "lr": 0.1},
        batch=150,
        params={"n_samples": 12_000},  # GAN Lab's atlas of real samples
    )


def _eight_gaussians(loss: str) -> dict:
    return _gan(
        "eight-gaussians",
        _dense_stack([64, 64, 64], {"units": 2, "activation": "linear"}),
        _dense_stack([64, 64, 64], {"units": 1, "activation": "sigmoid"}),
        loss=loss,
        noise={"dim": 2, "distribution": "normal"},
        optimizer={"type": "adam", "lr": 2e-4, "beta1": 0.5},
        batch=256,
    )


PRESETS = [
    {
        "name": "gan-lab",
        "title": "GAN: GAN Lab's two Gaussian hills",
        "description": "GAN Lab's opening set-up: a round hill and a tall narrow one, "
        "generator and discriminator of two 8-ReLU layers each, SGD at 0.1, batch 150. "
        "Step D and watch the heatmap (the discriminator's belief that a point is real) "
        "grow over the real points; step G and watch the fake points follow the arrows "
        "(the generator's gradient). The warped grid is where the generator sends the "
        "square of noise. From scratch networks this small learn slowly (GAN Lab opens "
        "with a pre-trained model): the fakes first match the data's mean and spread as "
        "one blob while the discriminator, barely ahead, stays near 0.5 everywhere.",
        "spec": _gan_lab("gan-gaussians"),
    },
    {
        "name": "gan-ring",
        "title": "GAN: a ring",
        "description": "The same networks on GAN Lab's ring. The generator must bend the "
        "square of noise into a loop: watch the warped grid fold and stretch, and the "
        "points that cross the hole get pushed to the rim.",
        "spec": _gan_lab("gan-ring"),
    },
    {
        "name": "gan-eight-minimax",
        "title": "GAN: eight Gaussians, minimax loss (mode collapse)",
        "description": "Eight narrow modes on a circle. With the original minimax loss the "
        "generator minimizes log(1 − D(G(z))), whose gradient vanishes where the "
        "discriminator is sure a point is fake: points stranded between modes get "
        "little push. Watch modes and high_quality in the history: on this set-up it "
        "covers the modes too, but later than gan-eight-non-saturating, and its "
        "quality swings more.",
        "spec": _eight_gaussians("minimax"),
    },
    {
        "name": "gan-eight-non-saturating",
        "title": "GAN: eight Gaussians, non-saturating loss",
        "description": "The same set-up with the generator maximizing log D(G(z)) "
        "instead: strong gradients where the discriminator rejects its points. It "
        "covers seven or eight modes within a minute, most points within 3σ of one; "
        "GANs oscillate, so watch the quality rise and dip as the two networks chase.",
        "spec": _eight_gaussians("non_saturating"),
    },
    {
        "name": "gan-digits",
        "title": "GAN: handwritten digits",
        "description": "A generator of 32 normal numbers through 128 and 256 ReLUs to 64 "
        "tanh pixels, against a discriminator of 256 and 128 ReLUs. The fixed-noise grid "
        "goes from grey noise to blobs to strokes to digits over a couple of minutes; "
        "each cell keeps its noise, so you watch one digit take shape.",
        "spec": _gan(
            "digits",
            {
                "layers": [
                    {"type": "dense", "units": 128, "activation": "relu"},
                    {"type": "dense", "units": 256, "activation": "relu"},
                    {"type": "dense", "units": 64, "activation": "tanh"},
                    {"type": "reshape", "shape": [8, 8, 1]},
                ]
            },
            {
                "layers": [
                    FLATTEN,
                    {"type": "dense", "units": 256, "activation": "leaky_relu"},
                    {"type": "dense", "units": 128, "activation": "leaky_relu"},
                    {"type": "dense", "units": 1, "activation": "sigmoid"},
                ]
            },
            noise={"dim": 32, "distribution": "normal"},
            optimizer={"type": "adam", "lr": 2e-4, "beta1": 0.5},
            batch=64,
        ),
    },
]
