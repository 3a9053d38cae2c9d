"""Named, ready-made specs: the course's examples, TF Playground's set-ups, and the
other architectures' (images, text and series, autoencoders, GANs).

Each preset is {"name", "title", "description", "spec"}; the description says what to
watch. The TF Playground set-ups use its defaults (noise 0, half the points for
testing, batch 10, tanh) with what each dataset needs to reach a low test loss
(more neurons or features for the spiral, Adam where plain SGD crawls).
"""

import copy

from ..errors import SpecError
from . import autoencoders, gans, images, points, sequences

PRESETS = [
    *points.PRESETS,
    *images.PRESETS,
    *sequences.PRESETS,
    *autoencoders.PRESETS,
    *gans.PRESETS,
]
_BY_NAME = {p["name"]: p for p in PRESETS}


def list_presets() -> list[dict]:
    return copy.deepcopy(PRESETS)


def get_preset(name: str) -> dict:
    if name not in _BY_NAME:
        raise SpecError("preset", f"unknown preset {name!r}; choose one of {', '.join(_BY_NAME)}")
    return copy.deepcopy(_BY_NAME[name])
