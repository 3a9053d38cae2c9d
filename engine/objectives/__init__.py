"""How a session trains. Each objective owns its model(s), optimizer(s) and the
training loop over the session's data; the session hosts it (seeds, counters,
status, history, live changes, saving).

Only "supervised" exists so far; "reconstruction" (autoencoders) and "adversarial"
(GANs) follow the same shape: `train(session, max_steps, stop_epoch)`,
`evaluate(session)`, `state_dict()` / `load_state_dict()`.
"""

from .supervised import Supervised

OBJECTIVES = {Supervised.name: Supervised}

__all__ = ["OBJECTIVES", "Supervised"]
