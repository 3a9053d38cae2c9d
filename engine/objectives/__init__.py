"""How a session trains. Each objective owns its model(s), optimizer(s) and the
training loop over the session's data; the session hosts it (seeds, counters,
status, history, live changes, saving).

"supervised" (inputs to targets) and "reconstruction" (autoencoders: the targets are the
inputs) exist; "adversarial" (GANs) will follow the same shape: `train(session,
max_steps, stop_epoch, batch)`, `evaluate()`, `state_dict()` / `load_state_dict()`.
"""

from .reconstruction import Reconstruction
from .supervised import Supervised

OBJECTIVES = {cls.name: cls for cls in (Supervised, Reconstruction)}

__all__ = ["OBJECTIVES", "Reconstruction", "Supervised"]
