"""``/healthz``: the server answers and its store answers a query; ``/readyz``: it answers as it will
from now on, not from disk while the store version is still being copied into memory."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from ..sparql.pool import QueryJob
from . import world

blueprint = Blueprint("health", __name__)

#: Seconds a client is asked to wait before it asks ``/readyz`` again.
RETRY_READY = 5


@blueprint.get("/healthz")
def healthz() -> Response:
    answer = world().pool.run(QueryJob("ASK { ?s ?p ?o }", "json", False, 1), timeout=5)
    return jsonify(status="ok", store=b"true" in answer.body)


@blueprint.get("/readyz")
def readyz() -> Response:
    if world().pool.ready():
        return jsonify(status="ready")
    response = jsonify(
        status="loading", detail="the store is being copied into memory; queries answer from disk"
    )
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_READY)
    return response
