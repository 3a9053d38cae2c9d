"""The built-in datasets, by kind; engine.data.registry gathers them."""
