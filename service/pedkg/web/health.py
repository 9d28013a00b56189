"""``/healthz``: the server answers and its store answers a query."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..sparql.pool import QueryJob
from . import world

blueprint = Blueprint("health", __name__)


@blueprint.get("/healthz")
def healthz() -> Response:
    answer = world().pool.run(QueryJob("ASK { ?s ?p ?o }", "json", False, 1), timeout=5)
    return jsonify(status="ok", store=b"true" in answer.body)
