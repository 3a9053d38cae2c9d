"""The playground's server: sessions of the NumPy engine over REST and a websocket.

`app.main:app` is the ASGI application; the `playground` command (app.cli) serves it.
"""

import os

__version__ = "0.1.0"

# One BLAS thread per server process unless the user chose otherwise. The sessions are
# small: a boundary grid's products gain little from a second thread, while OpenBLAS's
# threads spin on the other core after each product, where the trainer and the browser
# need it (a 2-16x6-1 session streamed to a page here: 45-74 epochs/s with threads,
# 130-178 without). Set before anything imports NumPy; a process that already has it keeps its.
if not any(
    os.environ.get(v) for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "GOTO_NUM_THREADS")
):
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
