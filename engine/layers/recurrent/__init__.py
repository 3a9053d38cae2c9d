"""Recurrent layers rnn, lstm and gru (see base.py for the formulas and what makes them
fast), one module each."""

from .gru import GRU
from .lstm import LSTM
from .rnn import RNN

__all__ = ["GRU", "LSTM", "RNN"]
