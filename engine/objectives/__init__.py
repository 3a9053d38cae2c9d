"""How a session trains. Each objective owns its model(s), optimizer(s) and the
training loop over the session's data; the session hosts it (seeds, counters,
status, history, live changes, saving).

"supervised" (inputs to targets), "reconstruction" (autoencoders: the targets are the
inputs) and "adversarial" (GANs: a generator and a discriminator) share one shape:
`train(session, max_steps, stop_epoch, batch, part)`, `evaluate()`, `latest()`,
`apply_spec(new)`, `state_dict()` / `load_state_dict()`, `twin(spare)`, and the parts
the host reads (`model`, `optimizer`, `regularizer`, `log`, `networks`).
"""

from .adversarial import Adversarial
from .reconstruction import Reconstruction
from .supervised import Supervised

OBJECTIVES = {cls.name: cls for cls in (Supervised, Reconstruction, Adversarial)}

__all__ = ["OBJECTIVES", "Adversarial", "Reconstruction", "Supervised"]
