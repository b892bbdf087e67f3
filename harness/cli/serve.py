"""`guideshot serve`: the simulator, started exactly as `run` starts it."""

from __future__ import annotations

import argparse
import signal
import threading
from typing import Any

from harness.cli.common import USAGE_ERROR
from harness.cli.options import port
from harness.console import err, fail


def register(verbs: Any) -> None:
    serve = verbs.add_parser(
        "serve", help="start the simulator as `run` would and print its address"
    )
    serve.add_argument("--port", type=port, default=0, help="port (default: a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.set_defaults(handler=serve_simulator)


def serve_simulator(args: argparse.Namespace) -> int:
    from harness.capture.target import serve_embedded

    if args.host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: binding {args.host} exposes the simulator beyond this machine")
    try:
        server = serve_embedded(args.host, args.port)
    except OSError as exc:
        fail(f"--port {args.port}: cannot listen on {args.host} ({exc.strerror})")
        return USAGE_ERROR
    print(f"{server.url}/", flush=True)
    err.print("simulator running (fixed clock, test hooks on); Ctrl+C to stop")
    # SIGTERM ends it as Ctrl-C does, through the `finally`s and exit handlers that remove
    # the simulator's temporary database (the default action would skip them).
    signal.signal(signal.SIGTERM, _exit_on_term)
    try:
        threading.Event().wait()
    finally:
        server.close()
    return 0


def _exit_on_term(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)
