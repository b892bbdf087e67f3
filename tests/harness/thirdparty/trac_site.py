"""Trac (an issue tracker with a wiki) served by its own tracd on a free loopback port.

    with trac_site(tmp_path) as trac:
        ...  # trac.url; trac.env: the Trac environment's folder

The environment is created in the folder on the first start (`trac-admin ENV initenv`,
SQLite) and kept on the next; anonymous visitors may create and change tickets and wiki
pages, and an administrator may delete tickets (the flows clean up after themselves).
tracd is a child process started with a watcher on its stdin, so it ends with the block
and by itself if the test process dies; it is ready when it answers HTTP.

Run as a script (`python trac_site.py TRACD-ARGS…`) it is that child: tracd's own main.
"""

from __future__ import annotations

import importlib
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = "Garden tracker"
# What anonymous visitors may do beyond Trac's defaults (view everything): the flows file
# tickets, edit the wiki and, in cleanup, delete the ticket they filed (TICKET_ADMIN is what
# Trac's ticket deleter asks for).
GRANTS = ("TICKET_CREATE", "TICKET_MODIFY", "TICKET_ADMIN", "WIKI_CREATE", "WIKI_MODIFY")
SETTINGS = (
    ("components", "tracopt.ticket.deleter.*", "enabled"),  # a "Delete" button on tickets
    ("header_logo", "src", ""),  # no logo: the header shows the project's name instead
    ("logging", "log_type", "none"),
)
START_TIMEOUT = 60.0  # seconds until the first answer on a shared machine


class StartFailed(RuntimeError):
    """tracd exited or did not answer before the timeout; the message has its output."""


@dataclass(frozen=True)
class TracSite:
    url: str  # http://127.0.0.1:PORT, the project at its root
    env: Path  # the Trac environment
    log: Path  # tracd's output


def admin(env: Path, *command: str) -> None:
    """`trac-admin ENV command…`, raising with its output when it fails."""
    trac_admin = shutil.which("trac-admin", path=str(Path(sys.executable).parent))
    done = subprocess.run(
        [trac_admin or "trac-admin", str(env), *command], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise StartFailed(f"trac-admin {' '.join(command)}: {done.stdout}{done.stderr}")


def create(folder: Path) -> Path:
    """The environment folder/env, created and configured unless it is there already."""
    env = folder / "env"
    if not (env / "VERSION").exists():
        admin(env, "initenv", PROJECT, "sqlite:db/trac.db")
        admin(env, "permission", "add", "anonymous", *GRANTS)
        for section, key, value in SETTINGS:
            admin(env, "config", "set", section, key, value)
    return env


@contextmanager
def trac_site(folder: Path, port: int = 0) -> Iterator[TracSite]:
    """tracd serving folder's environment (created on the first start) on `port` (0: a
    free one). Change the environment between two blocks with `admin` to make drift."""
    env = create(folder)
    port = port or _free_port()
    log = folder / "tracd.log"
    command = [sys.executable, __file__, "--hostname", "127.0.0.1", "-p", str(port), "-s"]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*command, str(env)], stdin=subprocess.PIPE, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _await_answer(process, url, log)
        yield TracSite(url, env, log)
    finally:
        _stop(process)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _await_answer(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Returns once tracd answers its front page; raises if it exits or the time runs out."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url + "/wiki", timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass  # not listening yet
        time.sleep(0.05)  # a poll's interval, not a guess at how long tracd takes
    _stop(process)
    raise StartFailed(f"tracd did not answer at {url}: {log.read_text('utf-8')[-2000:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        process.stdin.close()  # the watcher sees the end of its stdin and exits
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _exit_when_orphaned() -> None:
    sys.stdin.read()  # returns when the test process closes the pipe or dies
    os._exit(0)


if __name__ == "__main__":
    # Trac reads forms with the `multipart` package when it imports, else with the standard
    # library's cgi. Datasette's python-multipart installs a `multipart` of its own, with
    # another API: every request then fails ("Response not started"). Trac gets cgi here.
    sys.modules["multipart"] = None  # type: ignore[assignment]
    standalone = importlib.import_module("trac.web.standalone")  # Trac ships no types
    threading.Thread(target=_exit_when_orphaned, daemon=True).start()
    standalone.main()
