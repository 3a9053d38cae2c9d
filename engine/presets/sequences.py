"""Text and series: character models, memory tasks, forecasters."""


def _sequences(
    dataset: str,
    layers: list[dict],
    loss: str,
    *,
    lr: float = 3e-3,
    batch: int = 32,
    clip_norm: float = 0.0,
    params: dict | None = None,
) -> dict:
    """Text and series: the output layer's units are left to the data (one logit a
    character, one output a step ahead)."""
    return {
        "seed": 1,
        "dtype": "float32",
        "data": {"dataset": dataset, **({"params": params} if params else {})},
        "model": {"layers": layers},
        "loss": loss,
        "optimizer": {"type": "adam", "lr": lr, "clip_norm": clip_norm},
        "batch_size": batch,
    }


def _char_model(dataset: str, recurrent: dict, params: dict | None = None, **kw) -> dict:
    layers = [
        {"type": "embedding", "dim": 32},
        {**recurrent, "return_sequences": True},
        {"type": "dense", "activation": "softmax"},
    ]
    return _sequences(dataset, layers, "categorical_crossentropy", params=params, **kw)


def _forecaster(dataset: str, recurrent: dict, **kw) -> dict:
    layers = [recurrent, {"type": "dense"}]
    return _sequences(dataset, layers, "mse", **kw)


_COPY_DELAY = {"delay": 20, "seq_len": 46}
PRESETS = [
    {
        "name": "char-lstm",
        "title": "Text: a character LSTM on Python source",
        "description": "Real code from Python's standard library, one character at a time: "
        "an embedding, an LSTM of 128 units and a softmax over the characters. "
        "The sampled text goes from noise to words to indented lines with "
        "def, self and colons within a few minutes; lower the temperature "
        "for safer text, raise it for wilder.",
        "spec": _char_model(
            "python-source",
            {"type": "lstm", "units": 128},
            {"chars": 500_000},  # less, and it learns the modules' names by heart
            clip_norm=5.0,
        ),
    },
    {
        "name": "copy-rnn",
        "title": "Memory: a plain RNN on the delayed copy",
        "description": "A letter, 20 dots, the same letter again. A plain tanh RNN learns "
        "the dots and the newline, but not the copy: open the gradient-norm "
        "view and see ‖dL/dh_t‖ fall by orders of magnitude within a few "
        "steps back, so the error at the copy never reaches the letter. "
        "Compare with copy-lstm.",
        "spec": _char_model(
            "delayed-copy", {"type": "rnn", "units": 64}, _COPY_DELAY, clip_norm=1.0
        ),
    },
    {
        "name": "copy-lstm",
        "title": "Memory: an LSTM on the delayed copy",
        "description": "The same task as copy-rnn with an LSTM: its cell carries the "
        "letter across the 20 dots (watch the forget gate stay open in the "
        "gates view), and the gradient's norm through time stays level.",
        "spec": _char_model(
            "delayed-copy", {"type": "lstm", "units": 64}, _COPY_DELAY, clip_norm=1.0
        ),
    },
    {
        "name": "brackets-gru",
        "title": "Memory: a GRU closes brackets",
        "description": "Lines of nested ()[]{}: which bracket closes next was decided "
        "by one opened any number of steps before. A GRU of 64 units learns "
        "to keep the stack in its state; hover the sampled text to see how "
        "sure it is of each closer.",
        "spec": _char_model("brackets", {"type": "gru", "units": 64}, clip_norm=1.0),
    },
    {
        "name": "sine-forecast",
        "title": "Series: forecasting a sine mixture",
        "description": "Three sines and noise; an LSTM of 32 units reads 48 steps and "
        "forecasts the next 12. Watch the free-running forecast (each "
        "prediction fed back in) hold the rhythm over the held-out part.",
        "spec": _forecaster("sine", {"type": "lstm", "units": 32}, lr=1e-2),
    },
    {
        "name": "airline-forecast",
        "title": "Series: airline passengers 1949-1960",
        "description": "Box and Jenkins' monthly passengers: a trend and a season that "
        "grows with it, so the held-out years lie above anything seen in "
        "training. Each window is read as ratios to its last month (relative "
        "windows), and a GRU reads two years and forecasts the next one; the "
        "forecast view scores it (MASE) against repeating last year, the "
        "seasonal-naive forecast. Set relative to 0 to see standardized levels fail.",
        "spec": _forecaster(
            "airline", {"type": "gru", "units": 32}, lr=1e-2, batch=16, params={"relative": 1}
        ),
    },
]
