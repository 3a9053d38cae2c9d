"""Request and response models: what /docs documents and what requests are checked
against before the engine sees them."""
