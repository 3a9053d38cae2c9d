"""The `playground` command: serve the playground with uvicorn.

    playground [--host 127.0.0.1] [--port 8000] [--data-dir PATH] [--token TOKEN]

Every limit of app.settings has a flag too (`--max-params 200000`), and so has every
setting of how sessions are trained and culled (`--trainer-threads 2`,
`--cull-idle-seconds 0`); `--help` lists them. SIGTERM and Ctrl-C shut down cleanly: playing sessions are paused and every
session is checkpointed. Open websockets get `timeout_graceful_shutdown` seconds to
close, not forever.
"""

import argparse
import dataclasses
import sys

from . import __version__
from .settings import Settings, default_data_dir, parse_value

GRACEFUL_SHUTDOWN_SECONDS = 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground",
        description="Serve the neural network playground: a browser UI, "
        "a REST API (docs at /docs) and a live websocket, with sessions saved to disk.",
        epilog="Every option can also be set as an environment variable PLAYGROUND_<NAME>, "
        "for example PLAYGROUND_MAX_PARAMS=200000.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--host", help="address to bind (default 127.0.0.1: this machine only)")
    parser.add_argument("--port", type=int, help="port (default 8000)")
    parser.add_argument(
        "--data-dir", help=f"where sessions are saved (default {default_data_dir()})"
    )
    parser.add_argument(
        "--token",
        help="require this token on every request (Authorization: Bearer TOKEN, or ?token=TOKEN)",
    )
    parser.add_argument(
        "--allowed-host",
        action="append",
        dest="allowed_hosts",
        help="a host name this server answers to (repeatable)",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        dest="cors_origins",
        help="an origin allowed to call the API from a browser (repeatable)",
    )
    groups = {}
    for f in dataclasses.fields(Settings):
        if "group" in f.metadata:
            name = f.metadata["group"]
            group = groups.get(name) or groups.setdefault(name, parser.add_argument_group(name))
            default = f"{f.default:g}" if isinstance(f.default, float) else f.default
            group.add_argument(
                "--" + f.name.replace("_", "-"),
                dest=f.name,
                metavar="N",
                type=lambda raw, f=f: parse_value(f, raw),
                help=f"{f.metadata['help']} (default {default})",
            )
    return parser


def settings_from_args(argv=None) -> Settings:
    args = vars(build_parser().parse_args(argv))
    for key in ("allowed_hosts", "cors_origins"):
        args[key] = tuple(args[key]) if args[key] else None
    if args["data_dir"]:
        args["data_dir"] = parse_value(
            next(f for f in dataclasses.fields(Settings) if f.name == "data_dir"), args["data_dir"]
        )
    return Settings.from_env(**args)


def main(argv=None) -> None:
    try:
        settings = settings_from_args(argv)
    except ValueError as exc:
        print(f"playground: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    import uvicorn

    from .main import create_app

    app = create_app(settings)
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    shown = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else host
    url = f"http://{shown}:{settings.port}/"
    if settings.token:
        url += f"?token={settings.token}"
    print(
        f"Neural network playground {__version__}: open {url} (API docs at "
        f"http://{shown}:{settings.port}/docs); sessions are saved in {settings.data_dir}",
        flush=True,
    )
    if not settings.loopback and not settings.token:
        print(
            f"WARNING: listening on {settings.host} without --token: anyone who can reach "
            "this machine can create, run and delete sessions. Use --token, or bind "
            "127.0.0.1.",
            file=sys.stderr,
            flush=True,
        )
    # No per-message deflate on websockets: it took 40% of the event loop's time while a
    # page streamed snapshots (measured with py-spy), and base64 float32 grids hardly
    # compress; the stream is meant for a browser on this machine or a near one.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        ws_max_size=settings.max_ws_message_bytes,
        ws_per_message_deflate=False,
    )


if __name__ == "__main__":
    main()
