"""``/resource?iri=``: a page for every IRI in the store, not only pedkg's own.

An imported graph (another hospital's, HPO, ICD-10) names things with IRIs of its own; each
of them that is a subject or an object in the store has the same page as pedkg's entities
(web/entity_answers.py): its labels in the reader's language, its statements both ways with
the graph of each, its RDF in every format (``&format=turtle``, ``jsonld``, ``ntriples``,
``rdfxml``, or by ``Accept``; ``Vary: Accept``) named in ``Link`` headers, and "query this".
pedkg's own IRIs are answered at ``/id/`` (a 301 there). An absolute IRI the store does not
mention is a 404; a missing, relative or malformed ``iri`` is a 400 that says why. Both
are a page for browsers and ``text/plain`` for everyone else, and the value asked for only
ever comes back escaped (by the template, or as a JSON string in plain text).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, request

from ..errors import NotFound
from ..namespaces import BASE, IriError, checked_iri
from ..sparql import formats
from . import entity_answers
from .entity_answers import OFFERS, Address
from .urls import link

blueprint = Blueprint("resource", __name__)

#: how much of a refused value a 400 repeats
SHOWN_CHARACTERS = 200


@blueprint.get("/resource")
def page() -> Response:
    accept, format_param = request.headers.get("Accept"), request.args.get("format")
    raw = request.args.get("iri", "")
    try:
        iri = checked_iri(raw)
    except IriError as exc:
        return _refused(raw, exc.reason, formats.asks_for_page(accept, format_param, OFFERS))
    name = iri.removeprefix(BASE)
    if iri.startswith(BASE) and name and formats.split_suffix(name, OFFERS)[1] is None:
        return _to_own_page(name)
    fmt = formats.choose(accept, format_param, None, OFFERS, page="asked")
    address = Address(iri)
    try:
        if fmt is formats.PAGE:
            response = entity_answers.page(address)
        else:
            response = entity_answers.data(iri, fmt, vary=True)
    except NotFound as exc:
        response = entity_answers.not_found(iri, str(exc), fmt is formats.PAGE)
    response.vary.add("Accept")
    if response.status_code == 200:
        response.headers["Link"] = address.links()
    return response


def _to_own_page(name: str) -> Response:
    """pedkg's IRI: its page is at /id/, with the format, group and page asked for."""
    kept = {key: request.args.get(key) for key in ("format", "group", "page")}
    return Response(status=301, headers={"Location": link("entities.resource", name=name, **kept)})


def _refused(raw: str, reason: str, as_page: bool) -> Response:
    """400: no ``iri``, or one that is no absolute IRI; the value is repeated escaped, cut short."""
    shown = raw[:SHOWN_CHARACTERS] + ("…" if len(raw) > SHOWN_CHARACTERS else "")
    if as_page:
        html = render_template("resource_400.html", value=shown, reason=reason if raw else "")
        return Response(html, status=400, content_type="text/html; charset=utf-8")
    if not raw:
        message = "give the absolute IRI of a resource as ?iri=, such as ?iri=http://purl.obolibrary.org/obo/HP_0001903"
    else:
        quoted = json.dumps(shown).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        message = f"iri={quoted} {reason}"
    return Response(message + "\n", status=400, mimetype="text/plain")
