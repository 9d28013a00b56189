"""HTTP without surprises, for the endpoint tests: one request exactly as given.

http.client adds no Content-Type or Accept of its own, so the protocol cases send what
they mean and read every header of the answer.
"""

from __future__ import annotations

import http.client
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def __str__(self) -> str:
        head = "".join(f"\n  {k}: {v}" for k, v in self.headers.items())
        body = self.text if len(self.body) < 3000 else self.text[:3000] + " [...]"
        return f"HTTP {self.status}{head}\n{body}"


def send(
    base: str,
    method: str = "GET",
    params: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    path: str = "/sparql",
    timeout: float = 60,
) -> Reply:
    url = urlsplit(base)
    target = path + ("?" + urlencode(list(params), quote_via=quote) if params else "")
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()
