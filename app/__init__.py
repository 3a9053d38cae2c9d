"""The playground's server: sessions of the NumPy engine over REST and a websocket.

`app.main:app` is the ASGI application; the `playground` command (app.cli) serves it.
"""

__version__ = "0.1.0"
