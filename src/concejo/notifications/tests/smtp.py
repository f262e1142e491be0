"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import email
import logging
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Keeper:
    def __init__(self, server: LoopbackSmtp) -> None:
        self.server = server

    async def handle_DATA(self, server, session, envelope):
        with self.server.lock:
            self.server.messages.append(
                (envelope.rcpt_tos, email.message_from_bytes(envelope.content))
            )
        return "250 OK"


class LoopbackSmtp:
    """Start, stop and start again on the same port (to test a server that was down)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.messages: list = []
        self.lock = threading.Lock()
        self.controller: Controller | None = None

    def start(self) -> LoopbackSmtp:
        logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per SMTP command
        self.controller = Controller(_Keeper(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def recipients(self) -> list[str]:
        with self.lock:
            return [to for tos, _ in self.messages for to in tos]


class _Recorder:
    def __init__(self, path: str) -> None:
        self.handle = open(path, "a", buffering=1)  # noqa: SIM115 (open for the server's life)

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.handle.write(rcpt + "\n")
        return "250 OK"


def serve_in_subprocess(port: int, path: str):
    """A separate process (its own core and GIL) writing each recipient to `path`."""
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "concejo.notifications.tests.smtp", str(port), path]
    )
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the SMTP server did not start")


if __name__ == "__main__":
    import signal
    import sys

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    controller = Controller(_Recorder(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait(3600)  # bounded: never outlives an hour
    controller.stop()
