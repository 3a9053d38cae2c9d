"""Text written by a session's model, streamed over its websocket as it is written.

The model runs on a twin of the session (engine.Session.detached), so the lock is held
only to copy the weights and training goes on meanwhile. Characters go out in pieces
every CHUNK_SECONDS (or CHUNK_CHARS), so the page shows the text appearing.
"""

import time

from engine import views as engine_views
from engine.views.writing import default_prime, sample_chars

CHUNK_SECONDS = 0.03
CHUNK_CHARS = 250  # a 5,000-character text in 20 frames: well within the outbox


def stream(entry, params: dict | None, request_id, push) -> None:
    """Write the text (in a worker thread), pushing `sample_text` frames: {id, step,
    prime, text, probabilities, top, done}; the pieces joined are the sample_text view's
    text for the same parameters, and `prime` its prime (the training text's first
    character when none was given). SpecError on a bad parameter, before any frame."""
    view = engine_views.VIEWS["sample_text"]
    with entry.lock:
        session = entry.session
        if not engine_views.fits(view, session):
            engine_views.compute(session, "sample_text", params)  # raises, saying why
        values = view.check(params, "params")
        step = session.step_count
        twin = session.detached()
    try:
        prime = values.get("prime") or default_prime(twin)
        piece, probabilities, top = [], [], []
        started = time.monotonic()

        def send(done: bool) -> None:
            push(
                {
                    "type": "sample_text",
                    "id": request_id,
                    "step": step,
                    "prime": prime,
                    "text": "".join(piece),
                    "probabilities": list(probabilities),
                    "top": list(top),
                    "done": done,
                }
            )
            piece.clear(), probabilities.clear(), top.clear()

        for char, p, alternatives in sample_chars(twin, **values):
            piece.append(char)
            probabilities.append(p)
            top.append(alternatives)
            now = time.monotonic()
            if len(piece) >= CHUNK_CHARS or now - started >= CHUNK_SECONDS:
                send(False)
                started = now
        send(True)
    finally:
        twin.release()
