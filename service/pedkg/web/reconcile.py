"""``/reconcile``: the web view of ``pedkg.views.reconcile``, the W3C reconciliation API for OpenRefine.

The library (``pedkg.views.reconcile``) reads queries, finds candidates and writes the JSON
documents; this module is only the routes. Two roots over it, because the two versions'
manifests cannot be one document (0.2 declares suggest services as objects, 1.0 as booleans):

- ``/reconcile`` speaks 0.2 (and 0.1): GET without parameters is the manifest; GET or
  POST (a form) with ``queries=<JSON>`` answers a batch; ``callback=`` wraps any JSON answer
  as JSONP for old browser clients (the name checked strictly, served as JavaScript);
- ``/reconcile/1.0-draft`` speaks the 1.0 draft: GET is its manifest, POST ``/match`` takes
  a JSON body; no JSONP (the draft dropped it).

Both share ``/preview?id=`` (a small HTML page, no script) and ``/suggest/entity|type|property``
(``prefix``, ``cursor`` or ``offset``, ``limit``). Every answer under ``/reconcile``, errors and
preflights included, carries ``Access-Control-Allow-Origin: *``. Bad input is a 400
``text/plain`` naming the field (pedkg's error handlers); a batch over the manifest's
``batchSize`` is 413. Bodies are read by pedkg's one rule (``body_text``, ``form_body``):
a form or JSON body labelled with a charset other than UTF-8 is 415, one whose bytes or
percent-escapes are not UTF-8 is 400, never text with U+FFFD in it. ``lang=en|ko`` chooses
the names' language; without it a name comes in the language the query matched, else by
``Accept-Language``. Data extension
(0.2: ``extend=<JSON>`` on the root, proposals at ``/properties``) fetches codes, names,
definitions and types of reconciled entities; the 1.0 draft's ``/extend`` is not offered.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from .. import body_text
from ..errors import NotFound, QueryError, QueryRefused, QueryTimeout
from ..labels import STANDARD_NAMES
from ..namespaces import STANDARD, VOCABULARY_NAMES
from ..views.reconcile import documents, manifest
from ..views.reconcile.queries import LANGUAGES, MAX_LIMIT, language
from ..views.reconcile.reconciler import Reconciler, local_name, reconciler_for
from . import chrome, form_body, responses, world
from .urls import link, url_template

blueprint = Blueprint("reconcile", __name__)

ROOT = "/reconcile"
V1 = ROOT + "/1.0-draft"
V1_VERSION = "1.0-draft"
#: a JSONP callback is a dotted JavaScript name and nothing else (no brackets, quotes, calls)
CALLBACK = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]{0,63}(?:\.[A-Za-z_$][A-Za-z0-9_$]{0,63}){0,3}")
#: what a preflight may ask for
METHODS = "GET, POST, OPTIONS"
REQUEST_HEADERS = "Content-Type, Accept, Accept-Language"
DEFAULT_SUGGESTIONS = 10
SKOS = STANDARD["skos"]


@blueprint.after_app_request
def _cors(response: Response) -> Response:
    """Cross-origin access on every /reconcile answer, uniformly (the spec requires it)."""
    if request.path == ROOT or request.path.startswith(ROOT + "/"):
        responses.cross_origin(response, METHODS, REQUEST_HEADERS)
        response.vary.add("Accept-Language")
    return response


def _reconciler() -> Reconciler:
    pedkg = world()
    try:
        return reconciler_for(pedkg.pool)
    except (QueryError, QueryTimeout) as exc:  # our own index query failed: not the client's fault
        raise QueryRefused(503, f"the reconciliation index could not be built: {exc}") from exc


def _values() -> MultiDict[str, str]:
    """What ``request.values`` holds (the URL's parameters, then but for GET a form body's fields),
    with the form read strictly (``form_body``) where werkzeug would turn bad bytes into U+FFFD."""
    values = MultiDict(request.args.items(multi=True))
    if request.method == "GET":
        return values
    _ = request.stream  # a body over MAX_CONTENT_LENGTH is a 413 whatever its type, as it was for .values
    content_type = request.content_type or ""
    if form_body.is_form(content_type):
        values.update(form_body.fields(request.get_data(), content_type, request.max_form_parts))
    return values


def _languages(values: MultiDict[str, str] | None = None) -> tuple[str | None, str]:
    """The language asked for explicitly (``lang=``), and the one ``Accept-Language`` prefers."""
    values = _values() if values is None else values
    explicit = language(values.get("lang"), "lang") if "lang" in values else None
    fallback = request.accept_languages.best_match(LANGUAGES, default="en") or "en"
    return explicit, fallback


def _json(body: Any, jsonp: bool = False) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    callback = request.args.get("callback") if jsonp else None
    if callback is None:
        return Response(text, content_type="application/json; charset=utf-8")
    if not CALLBACK.fullmatch(callback):
        raise QueryError("callback must be a JavaScript name such as jQuery123_456 or cb.results")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    # the comment keeps a callback from ever being read as the start of another file format
    return Response(f"/**/{callback}({text});", content_type="application/javascript; charset=utf-8")


def _urls(root: str = "reconcile.service") -> manifest.Urls:
    """The manifest's URLs: the service at ``root``, each entity's page, the documentation."""
    return manifest.Urls(
        root=link(root, _external=True, lang=None),
        view=url_template("entities.resource", "name", "{id}", _external=True, lang=None),
        preview=url_template("reconcile.preview", "id", "{{id}}", _external=True),
        documentation=link("ontology.index", _external=True, lang=None),
    )


@blueprint.route(ROOT, methods=["GET", "POST"])
def service() -> Response:
    """0.2: the manifest, or the answers to ``queries=``."""
    values = _values()
    explicit, fallback = _languages(values)
    raw = values.get("queries")
    recon = _reconciler()
    if "extend" in values:
        ids, properties = documents.parse_extend(values["extend"])
        return _json(documents.extend_response(recon, ids, properties, explicit or fallback), jsonp=True)
    if raw is None and request.method == "POST":
        raise QueryError(
            "send the batch as a form field queries=<JSON> (0.2), or POST JSON to /reconcile/1.0-draft/match"
        )
    if raw is None:
        lang = explicit or fallback
        response = _json(manifest.manifest(_urls(), recon, lang), jsonp=True)
        response.headers["Content-Language"] = lang
        return response
    parsed = documents.parse_batch(raw)
    answers = recon.answer_all(((f"queries[{k[:40]!r}]", q) for k, q in parsed), explicit, fallback)
    return _json(
        {
            key: {"result": [documents.candidate_v02(c) for c in found]}
            for (key, _), (_, found) in zip(parsed, answers, strict=True)
        },
        jsonp=True,
    )


@blueprint.get(ROOT + "/properties")
def properties() -> Response:
    """Data extension's property proposals for a type (``type=``, optional ``limit=``)."""
    explicit, fallback = _languages()
    limit = _count("limit", 0, 1) or None
    found = documents.proposals(_reconciler(), request.args.get("type") or None, limit, explicit or fallback)
    return _json(found, jsonp=True)


@blueprint.get(V1)
def manifest_v1() -> Response:
    explicit, fallback = _languages()
    lang = explicit or fallback
    response = _json(manifest.manifest(_urls("reconcile.manifest_v1"), _reconciler(), lang, V1_VERSION))
    response.headers["Content-Language"] = lang
    return response


@blueprint.post(V1 + "/match")
def match_v1() -> Response:
    """1.0 draft: a JSON body ``{"queries": [...]}``, answered in order."""
    if request.mimetype != "application/json":
        raise QueryRefused(415, "send the query batch as application/json")
    explicit, fallback = _languages()
    recon = _reconciler()
    queries = documents.parse_batch_v1(body_text.decode(request.get_data(), request.content_type or ""))
    answers = recon.answer_all(((f"queries[{n}]", q) for n, q in enumerate(queries)), explicit, fallback)
    results = [{"candidates": [documents.candidate_v1(c) for c in found]} for _, found in answers]
    return _json({"results": results})


def _count(name: str, default: int, least: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < least:
        raise QueryError(f"{name} must be a whole number of at least {least}, not {raw[:40]!r}")
    return int(raw)


@blueprint.get(ROOT + "/suggest/<kind>", defaults={"jsonp": True})
@blueprint.get(V1 + "/suggest/<kind>", defaults={"jsonp": False})
def suggest(kind: str, jsonp: bool) -> Response:
    """Autocomplete for entities, types and properties: ``prefix``, ``cursor``/``offset``, ``limit``."""
    if kind not in ("entity", "type", "property"):
        raise NotFound(f"no suggest service for {kind[:40]!r}: entity, type or property")
    prefix = request.args.get("prefix", "").strip()
    if len(prefix) > documents.MAX_TEXT:
        raise QueryError(f"prefix is longer than {documents.MAX_TEXT} characters")
    skip = _count("offset", _count("cursor", 0, 0), 0)
    limit = min(_count("limit", DEFAULT_SUGGESTIONS, 1), MAX_LIMIT)
    explicit, fallback = _languages()
    recon = _reconciler()
    if kind == "entity":
        wanted = request.args.get("type") or None
        found = recon.suggest_entities(prefix, explicit, fallback, wanted)
    elif kind == "type":
        found = recon.suggest_types(prefix, explicit or fallback)
    else:
        found = recon.suggest_properties(prefix, explicit or fallback)
    return _json({"result": found[skip : skip + limit]}, jsonp=jsonp)


@blueprint.get(V1 + "/preview")
@blueprint.get(ROOT + "/preview")  # registered first, so the preview's URL (``_urls``) is this one
def preview() -> Response:
    """A small HTML summary of one entity for the client's iframe, in the reader's language."""
    wanted = request.args.get("id", "").strip()
    if not wanted:
        raise QueryError("id is required: the identifier of an entity, such as neuroblastoma")
    explicit, fallback = _languages()
    lang = explicit or fallback
    recon = _reconciler()
    entity = recon.entity_by_id(wanted)
    if entity is None:
        raise NotFound(f"no entity with the id {wanted[:80]!r}")
    name = recon.name(entity.iri, lang)
    types = [name for _, name in recon.entity_types(entity, lang)]
    html = render_template(
        "reconcile_preview.html",
        lang=lang,
        t=lambda key, **values: chrome.translate(lang, key, **values),
        name=name.value,
        name_lang=name.language or "zxx",
        types=types,
        definition=recon.definition(entity.iri, lang),
        codes=recon.codes(entity.iri),
        vocabulary=VOCABULARY_NAMES,
        relation=lambda code: STANDARD_NAMES[SKOS + code.relation][lang == "ko"],
        href=link("entities.resource", name=local_name(entity.iri), lang=explicit),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Content-Language"] = lang
    return response
