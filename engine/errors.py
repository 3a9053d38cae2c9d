"""The one error type a bad spec raises, so every caller (REST, websocket, tests) can
report *where* the spec is wrong as well as what is wrong."""


class SpecError(ValueError):
    """An invalid session spec or engine argument.

    `path` names the offending field in the spec, e.g. ``model.layers[2].units``;
    the message says what was received and what is allowed.
    """

    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}" if path else message)


class ShapeError(SpecError):
    """Arrays handed to the engine (weights, inputs) have the wrong shape."""
