"""`python -m simulator [--port N] [--host ADDR]`: serve the simulator until interrupted."""

from __future__ import annotations

import argparse
import sys
import threading

from simulator import create_app
from simulator.server import start_server

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    parser.add_argument(
        "--port", type=int, default=0, help="port to listen on (default: a free one)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    args = parser.parse_args(argv)
    if args.host not in LOOPBACK:
        print(
            f"warning: binding {args.host} exposes the simulator beyond this machine",
            file=sys.stderr,
        )
    try:
        server = start_server(create_app(), host=args.host, port=args.port)
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    print(f"simulator: serving on {server.url}/ (Ctrl+C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
