"""A response cache in front of the application, so a repeated query, page or search costs next to nothing.

It wraps the WSGI application (``create_app`` installs it unless ``PEDKG_CACHE_BYTES`` is 0), so
a hit never reaches Flask: the stored status, headers and body go straight back. There is one
cache per server worker process, shared by its threads, least recently used entries dropped
first once the entries' bytes pass the budget; a body over an eighth of it is never kept.

A response is keyed by everything it can depend on: the method (HEAD shares GET's entries),
scheme, host and path, the query string (its parameters sorted by name), ``Accept`` and
``Accept-Language`` as sent (so the negotiated format and language are in the key), and for
a SPARQL query POSTed as a form or ``application/sparql-query``, the body's type and hash.
Every entry belongs to the store version it was made from: when ``pool.version()`` moves
(a build, an import, an admin write), the whole cache is dropped.

Only the read routes that answer from the store are cached (``CACHED_PATHS``), only 200s and
404s (a 404 names something the store version does not have), never a response that sets a
cookie, never a request with ``Authorization`` or ``Cookie``. A request's ``Cache-Control:
no-cache`` or ``max-age=0`` (or ``Pragma: no-cache``) is answered afresh and refreshes the entry;
``no-store`` is answered afresh and not kept. Every 200 that passes through carries a strong
``ETag`` (a hash of its type and body), ``Last-Modified`` (when its store version was made)
and ``Cache-Control: public, max-age=0, must-revalidate``: clients and proxies may keep it but
must ask again each time, which costs a 304 from here, because a write can change any answer
at any moment. ``If-None-Match`` (weak comparison, RFC 9110 13.1.2) and, without it,
``If-Modified-Since`` turn a GET or HEAD into a 304 without a body. ``Pedkg-Cache: hit``,
``miss`` or ``bypass`` says what happened, for benchmarks and debugging.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

from werkzeug.http import http_date, parse_date, parse_etags

from ..errors import QueryError, QueryTimeout, StoreError

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

#: read routes answered from the store (GET and HEAD); /sparql also by POST
CACHED_PATHS = frozenset(
    {
        *("/", "/sparql", "/search", "/api/search", "/queries", "/queries.json", "/void", "/sitemap.xml"),
        *("/diagram.svg", "/ontology", "/mappings", "/mappings.sssom.tsv", "/reconcile", "/resource"),
        *("/reconcile/properties", "/reconcile/preview"),
        *("/reconcile/1.0-draft", "/reconcile/1.0-draft/preview"),
    }
)
CACHED_PREFIXES = ("/id/", "/queries/", "/reconcile/suggest/", "/reconcile/1.0-draft/suggest/")
POSTED_QUERIES = {"/sparql": ("application/sparql-query", "application/x-www-form-urlencoded")}
CACHED_STATUSES = (200, 404)
RESPONSE_POLICY = "public, max-age=0, must-revalidate"
HEADER = "Pedkg-Cache"
ENTRY_OVERHEAD = 300  # bytes an entry costs beyond its body, headers and key (objects, the LRU link)
#: what a 304 leaves out: the representation's own metadata (RFC 9110 15.4.5)
NOT_IN_304 = frozenset(
    {"content-type", "content-length", "content-language", "content-disposition", "content-encoding"}
)


@dataclass(frozen=True)
class Entry:
    """A response as it was sent: status line, headers, body, and its ETag (200s only)."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes
    etag: str | None
    last_modified: float

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + ENTRY_OVERHEAD


class Lru:
    """Entries of one store version, the least recently used dropped first past ``budget`` bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.bytes = 0
        self.version = ""
        self._entries: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, version: str, key: tuple[str, ...]) -> Entry | None:
        with self._lock:
            if version != self.version:  # the store moved: nothing kept is true any more
                self._entries.clear()
                self.bytes, self.version = 0, version
                return None
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, version: str, key: tuple[str, ...], entry: Entry) -> None:
        """Keep an entry made from ``version``; one made from an older version is not kept."""
        size = entry.size + sum(map(len, key))
        with self._lock:
            if version != self.version or size > self.budget:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size + sum(map(len, key))
            self._entries[key] = entry
            self.bytes += size
            while self.bytes > self.budget:
                dropped_key, dropped = self._entries.popitem(last=False)
                self.bytes -= dropped.size + sum(map(len, dropped_key))

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0


class ResponseCache:
    """WSGI middleware: answers repeated requests from an ``Lru``, and conditional ones with 304."""

    def __init__(
        self, app: WSGIApplication, budget: int, version: Callable[[], str], max_body: int = 1_000_000
    ) -> None:
        self.app = app
        self.entries = Lru(budget)
        self.entry_limit = budget // 8
        self.max_body = max_body  # a POSTed query over this is refused by the app anyway: not read here
        self._version = version
        self._seen = ("", 0.0)  # (version, when it was made)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        key = self._key(environ)
        if key is None:
            return self.app(environ, start_response)
        try:
            version = self._version()
        except (StoreError, QueryError, QueryTimeout):  # the app reports the store's trouble itself
            return self.app(environ, start_response)
        asked = _directives(environ)
        entry = self.entries.get(version, key)  # also empties the cache when the version moved
        if entry is not None and not asked:
            return self._send(entry, environ, start_response, "hit")
        return self._answer(environ, start_response, key, version, "bypass" if asked else "miss", asked)

    def _key(self, environ: WSGIEnvironment) -> tuple[str, ...] | None:
        """What the response to this request depends on; None when it must not be cached."""
        if "HTTP_AUTHORIZATION" in environ or "HTTP_COOKIE" in environ:
            return None
        method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "")
        if method in ("GET", "HEAD"):
            if path not in CACHED_PATHS and not path.startswith(CACHED_PREFIXES):
                return None
            posted = ("", "")
        elif method == "POST" and path in POSTED_QUERIES:
            read = self._read_body(environ, POSTED_QUERIES[path])
            if read is None:
                return None
            posted = read
        else:
            return None
        pairs = sorted(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True), key=lambda p: p[0])
        return (
            "POST" if method == "POST" else "GET",
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}",
            environ.get("SCRIPT_NAME", ""),
            path,
            urlencode(pairs),  # encoded again: a value holding "&" or "=" never reads as two parameters
            environ.get("HTTP_ACCEPT", ""),
            environ.get("HTTP_ACCEPT_LANGUAGE", ""),
            *posted,
        )

    def _read_body(self, environ: WSGIEnvironment, types: tuple[str, ...]) -> tuple[str, str] | None:
        """A POSTed query's media type and body hash; the body is put back for the app to read."""
        media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            length = int(environ.get("CONTENT_LENGTH") or -1)
        except ValueError:
            return None
        if media_type not in types or not 0 <= length <= self.max_body:
            return None
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        return environ.get("CONTENT_TYPE", ""), hashlib.blake2b(body, digest_size=16).hexdigest()

    def _answer(
        self,
        environ: WSGIEnvironment,
        start_response: StartResponse,
        key: tuple[str, ...],
        version: str,
        label: str,
        asked: set[str],
    ) -> Iterable[bytes]:
        """Run the app (a HEAD as a GET, so its answer can serve both), keep the answer if it may be kept."""
        caught: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            caught.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: None  # pedkg's views return their bodies; none uses write()

        head = environ.get("REQUEST_METHOD") == "HEAD"
        inner = dict(environ, REQUEST_METHOD="GET") if head else environ
        chunks = self.app(inner, capture)
        iterator = iter(chunks)
        kept: list[bytes] = []
        size = 0
        for chunk in iterator:
            kept.append(chunk)
            size += len(chunk)
            if size > self.entry_limit:  # too big to keep: send it on as it comes
                headers = [*caught["headers"], (HEADER, label)]
                start_response(caught["status"], headers, caught["exc_info"])
                if head:
                    _close(chunks)
                    return []
                return _rest(kept, iterator, chunks)
        _close(chunks)
        status, headers = caught["status"], list(caught["headers"])
        code = int(status.split(" ", 1)[0])
        body = b"".join(kept)
        etag = None
        modified = self._made(version)
        if code == 200:
            names = {name.lower() for name, _ in headers}
            content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
            etag = hashlib.blake2b(content_type.encode() + b"\0" + body, digest_size=16).hexdigest()
            headers.append(("ETag", f'"{etag}"'))
            headers.append(("Last-Modified", http_date(modified)))
            if "cache-control" not in names:
                headers.append(("Cache-Control", RESPONSE_POLICY))
        entry = Entry(status, headers, body, etag, modified)
        cookies = any(name.lower() == "set-cookie" for name, _ in headers)
        if code in CACHED_STATUSES and not cookies and "no-store" not in asked:
            try:
                still = self._version() == version
            except (StoreError, QueryError, QueryTimeout):
                still = False
            if still:  # an answer computed while the store moved may be the old version's
                self.entries.put(version, key, entry)
        return self._send(entry, environ, start_response, label)

    def _send(
        self, entry: Entry, environ: WSGIEnvironment, start_response: StartResponse, label: str
    ) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        if entry.etag is not None and method in ("GET", "HEAD") and _not_modified(entry, environ):
            headers = [(k, v) for k, v in entry.headers if k.lower() not in NOT_IN_304]
            start_response("304 Not Modified", [*headers, (HEADER, label)])
            return []
        start_response(entry.status, [*entry.headers, (HEADER, label)])
        return [] if method == "HEAD" else [entry.body]

    def _made(self, version: str) -> float:
        """When a version was made: its folder's time (embedded), else when this process first saw it."""
        seen, made = self._seen
        if seen != version:
            made = time.time()
            if os.path.isabs(version):
                with contextlib.suppress(OSError):
                    made = min(made, os.stat(version).st_mtime)
            self._seen = (version, made)
        return made


def _directives(environ: WSGIEnvironment) -> set[str]:
    """The request's cache directives that matter here (``no-cache``, ``no-store``, ``max-age=0``)."""
    found = {d.strip().lower().replace(" ", "") for d in environ.get("HTTP_CACHE_CONTROL", "").split(",")}
    if "no-cache" in environ.get("HTTP_PRAGMA", "").lower():
        found.add("no-cache")
    return found & {"no-cache", "no-store", "max-age=0"}


def _not_modified(entry: Entry, environ: WSGIEnvironment) -> bool:
    """RFC 9110 13.2.2: ``If-None-Match`` decides if present (weak comparison), else ``If-Modified-Since``."""
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = parse_etags(match)
        return tags.star_tag or tags.contains_weak(entry.etag or "")
    since = parse_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and int(entry.last_modified) <= since.timestamp()


def _rest(kept: list[bytes], iterator: Iterator[bytes], chunks: Iterable[bytes]) -> Iterator[bytes]:
    try:
        yield from kept
        yield from iterator
    finally:
        _close(chunks)


def _close(chunks: Iterable[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()
