"""The Flask application: ``create_app(settings, pool)`` builds it around its world.

Tests pass their own settings and query pool; ``pedkg serve`` passes the real ones.
One blueprint per page family; ``errors`` maps pedkg's exceptions to statuses once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, Response, current_app

from .. import queries
from ..backend import query_pool
from ..config import Settings
from ..executor import Pool
from . import errors


@dataclass
class World:
    """What every view needs, created once per server worker."""

    settings: Settings
    pool: Pool
    catalogue: dict[str, queries.NamedQuery]


def create_app(settings: Settings, pool: Pool | None = None) -> Flask:
    app = Flask(__name__)
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
        from . import admin

        app.register_blueprint(admin.blueprint)
    errors.register(app)
    app.after_request(_security_headers)
    if settings.cache_bytes > 0:  # repeated requests answered before Flask sees them (web/cache.py)
        from .cache import ResponseCache

        version = app.extensions["pedkg"].pool.version
        responses = ResponseCache(app.wsgi_app, settings.cache_bytes, version, settings.max_request_bytes)
        app.extensions["pedkg_cache"] = responses
        app.wsgi_app = responses  # type: ignore[method-assign]
    from .body import BoundedBody  # chunked bodies read whole, up to the limit, before the cache or Flask

    app.wsgi_app = BoundedBody(app.wsgi_app, settings.max_request_bytes)  # type: ignore[method-assign]
    return app


def world() -> World:
    return current_app.extensions["pedkg"]  # type: ignore[no-any-return]


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
