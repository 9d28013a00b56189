"""The Flask application: ``create_app(settings, pool)`` builds it around its world.

Tests pass their own settings and query pool; ``pedkg serve`` passes the real ones.
One blueprint per page family; ``errors`` maps pedkg's exceptions to statuses once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from ..config import Settings
from ..sparql import catalogue as queries
from ..sparql.pool import Pool
from ..sparql.pool_choice import query_pool
from . import errors, headers
from .admission import Counts, Gate


@dataclass
class World:
    """What every view needs, created once per server worker."""

    settings: Settings
    pool: Pool
    catalogue: dict[str, queries.NamedQuery]


def create_app(
    settings: Settings, pool: Pool | None = None, counts: Counts | None = None, row: int = 0
) -> Flask:
    """``counts`` and ``row``: the server's shared admission counts and this worker's row (``admission``)."""
    app = Flask(__name__)
    headers.install(app)  # first, so it runs after every other hook and no view can weaken it
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["pedkg"] = World(
        settings,
        pool or query_pool(settings),
        queries.catalogue(settings.queries_dir),
    )
    from . import catalogue, health, sparql

    app.register_blueprint(catalogue.blueprint)
    from . import entities  # /id/...: entity pages and their RDF

    app.register_blueprint(entities.blueprint)
    from . import resource  # /resource?iri=...: the same page for every other IRI in the store

    app.register_blueprint(resource.blueprint)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(sparql.blueprint)
    from . import search  # /search, /api/search and the site header's links

    app.register_blueprint(search.blueprint)
    from . import dataset, home, ontology  # /, /ontology, /void, dumps, sitemap.xml

    app.register_blueprint(home.blueprint)
    app.register_blueprint(ontology.blueprint)
    app.register_blueprint(dataset.blueprint)
    from . import reconcile  # /reconcile: the W3C reconciliation API (OpenRefine)

    app.register_blueprint(reconcile.blueprint)
    from . import mappings  # /mappings and /mappings.sssom.tsv

    app.register_blueprint(mappings.blueprint)
    if settings.admin_token:  # without a token the write routes do not exist at all
        from . import admin, graph_store

        app.register_blueprint(admin.blueprint)  # /update
        app.register_blueprint(graph_store.blueprint)  # /store
    errors.register(app)
    from .sparql_direct import DirectQueries  # /sparql's requests for data, answered without Flask

    app.wsgi_app = DirectQueries(app.wsgi_app, app.extensions["pedkg"])  # type: ignore[method-assign]
    app.wsgi_app = Gate(  # type: ignore[method-assign]
        app.wsgi_app,
        settings.max_queries,
        settings.max_queries_per_client,
        counts,
        row,
        settings.worker_threads,
    )
    if settings.cache_bytes > 0:  # repeated requests answered before Flask sees them (web/cache.py)
        from .cache import ResponseCache

        version = app.extensions["pedkg"].pool.version
        responses = ResponseCache(app.wsgi_app, settings.cache_bytes, version, settings.max_request_bytes)
        app.extensions["pedkg_cache"] = responses
        app.wsgi_app = responses  # type: ignore[method-assign]
    from .body import BoundedBody  # chunked bodies read whole, up to the limit, before the cache or Flask

    advice = {}
    if settings.admin_token:  # a graph too large for PUT /store: what to do instead
        from .graph_store import LARGE_GRAPHS

        advice["/store"] = LARGE_GRAPHS
    app.wsgi_app = BoundedBody(app.wsgi_app, settings.max_request_bytes, advice)  # type: ignore[method-assign]
    # outermost, so every refusal made before Flask (body, admission) gets the security headers too
    app.wsgi_app = headers.Guard(app.wsgi_app)  # type: ignore[method-assign]
    return app


def world() -> World:
    return current_app.extensions["pedkg"]  # type: ignore[no-any-return]
