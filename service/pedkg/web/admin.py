"""``/update``: SPARQL Update, for administrators.

It exists only when ``PEDKG_ADMIN_TOKEN`` is set, and then answers only requests with
``Authorization: Bearer <token>`` (``admin_access``, the check ``/store`` shares). Each write
changes a copy of the store that is swapped in when complete (see ``store``), so readers never
see half a write. Every write is logged with who, when and how the number of triples changed;
the token is never logged. The Graph Store Protocol (``/store``) is web/graph_store.py.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, Response, request

from ..errors import QueryRefused
from ..sparql import text as sparql_text
from ..store.backend import writing
from . import world
from .admin_access import log_write as _log_write
from .admin_access import require_token

blueprint = Blueprint("admin", __name__)
blueprint.before_request(require_token)


@blueprint.post("/update")
def update() -> Response:
    media_type = (request.content_type or "").split(";")[0].strip().lower()
    if media_type == "application/sparql-update":
        text = request.get_data().decode("utf-8", errors="strict")
    elif media_type == "application/x-www-form-urlencoded":
        values = parse_qs(request.get_data().decode("utf-8", errors="strict")).get("update", [])
        if len(values) != 1:
            raise QueryRefused(400, "give the update exactly once, in the update parameter")
        text = values[0]
    else:
        raise QueryRefused(415, "an update is POSTed as application/sparql-update or a form")
    settings = world().settings
    sparql_text.read_update(text, settings.max_nesting, settings.allowed_services)
    with writing(settings) as store:
        before = len(store)
        store.update(text)
        after = len(store)
    _log_write("update", before, after)
    return Response(status=204)
