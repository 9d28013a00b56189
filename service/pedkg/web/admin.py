"""``/update``: SPARQL Update, for administrators.

It exists only when ``PEDKG_ADMIN_TOKEN`` is set, and then answers only requests with
``Authorization: Bearer <token>`` (``admin_access``, the check ``/store`` shares). Each write
changes a copy of the store that is swapped in when complete (see ``store``), so readers never
see half a write. Every write is logged with who, when and how the number of triples changed;
the token is never logged. The Graph Store Protocol (``/store``) is web/graph_store.py.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from ..sparql import protocol, update_dataset
from ..sparql import text as sparql_text
from ..store.backend import writing
from . import world
from .admin_access import log_write, require_token

blueprint = Blueprint("admin", __name__)
blueprint.before_request(require_token)


@blueprint.post("/update")
def update() -> Response:
    asked = protocol.read_update(
        request.content_type or "", request.args.to_dict(flat=False), request.get_data()
    )
    settings = world().settings
    sparql_text.read_update(asked.update, settings.max_nesting, settings.allowed_services)
    text = update_dataset.apply(asked.update, asked.using_graphs, asked.using_named_graphs)
    base = protocol.base_iri(settings.base_iri, request.base_url)
    with writing(settings) as store:
        before = len(store)
        store.update(text, base_iri=base)
        after = len(store)
    log_write("update", before, after)
    return Response(status=204)
