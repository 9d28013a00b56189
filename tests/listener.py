"""A TCP listener on 127.0.0.1 for the tests that prove pedkg fetches nothing it is pointed at.

Whatever is pointed at ``url`` or ``port`` (a SERVICE call, a LOAD, an XML entity, a JSON-LD
context) would connect here; ``connections`` holds what each connection sent first.
"""

from __future__ import annotations

import socket
import threading


class Listener:
    """A TCP listener on 127.0.0.1 that accepts, records and closes every connection."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.connections: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                peer, _ = self.socket.accept()
            except (TimeoutError, OSError):
                continue
            with peer:
                peer.settimeout(1)
                try:
                    self.connections.append(peer.recv(4096) or b"(connected, sent nothing)")
                except OSError:
                    self.connections.append(b"(connected)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.socket.close()
