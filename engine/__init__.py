"""A NumPy training engine that trains one mini-batch at a time, for watching networks learn.

from engine import Session
s = Session.from_spec(spec)
s.step(epochs=1)
"""

from .errors import ShapeError, SpecError
from .session import Session

__all__ = ["Session", "ShapeError", "SpecError"]
__version__ = "0.1.0"
