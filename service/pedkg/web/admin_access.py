"""What every administrator's route shares: who may call it, and the record of what it wrote.

``/update`` (web/admin.py) and ``/store`` (web/graph_store.py) each install ``require_token``
as their blueprint's ``before_request``, so both answer only ``Authorization: Bearer <token>``
(compared in constant time) and a new admin route cannot forget the check by copying it
wrong. ``log_write`` records who, when and how the number of triples changed; the token is
never logged.
"""

from __future__ import annotations

import hmac
import logging

from flask import Response, request

from . import world

log = logging.getLogger("pedkg.writes")


def require_token() -> Response | None:
    """A 401 unless the request carries the admin token as a bearer token; else None (go on)."""
    token = world().settings.admin_token
    given = request.headers.get("Authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(), token.encode()):
        response = Response("a valid bearer token is required\n", status=401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="pedkg"'
        return response
    return None


def log_write(what: str, before: int, after: int) -> None:
    log.info(
        "write %s by %s: %d -> %d triples (%+d)", what, request.remote_addr, before, after, after - before
    )
