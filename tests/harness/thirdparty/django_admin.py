"""Django's admin on a free loopback port: a server-rendered app with a login and forms.

    with django_admin(tmp_path) as admin:
        ...  # admin.url, admin.username, admin.password

The project lives in the given folder (settings in code, SQLite there, migrated, one
superuser); the server is a child process that ends when the block ends, and by itself
if the test process dies.
"""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.harness.thirdparty import django_server

START_TIMEOUT = 60.0  # seconds for migrate and the first answer on a shared machine


class StartFailed(RuntimeError):
    """The server exited or said nothing before the timeout; the message has its output."""


@dataclass(frozen=True)
class DjangoAdmin:
    url: str  # http://127.0.0.1:PORT, the admin under /admin/
    username: str
    password: str
    log: Path  # the server's output


@contextmanager
def django_admin(folder: Path, header: str | None = None, port: int = 0) -> Iterator[DjangoAdmin]:
    """The admin of the project in folder (created on the first start, kept on the next),
    with its header renamed to `header` when given, on `port` (0: a free one)."""
    log = folder / "django.log"
    env = dict(os.environ)
    if header is not None:
        env[django_server.HEADER_VARIABLE] = header
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, django_server.__file__, str(folder), str(port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            env=env,
        )
    try:
        port = _first_line(process, log)
        yield DjangoAdmin(
            f"http://127.0.0.1:{port}", django_server.USERNAME, django_server.PASSWORD, log
        )
    finally:
        _stop(process)


def _first_line(process: subprocess.Popen[bytes], log: Path) -> int:
    """The port the server printed once it was listening."""
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT)
    line = process.stdout.readline() if ready else b""
    if not line.strip().isdigit():
        _stop(process)
        raise StartFailed(f"the Django admin did not start: {log.read_text('utf-8')[-2000:]}")
    return int(line)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        process.stdin.close()  # the server's watcher sees the end of its stdin and exits
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout is not None:
        process.stdout.close()
