"""``/id/<name>``: every pedkg IRI resolves here, as a page for people and as RDF for machines.

Cool URIs, the direct way: ``https://w3id.org/pedkg/X`` is served at ``/id/X`` with a 200,
in the representation ``Accept`` asks for (``Vary: Accept``): HTML when a browser names
``text/html`` above every RDF type, else Turtle, JSON-LD, N-Triples or RDF/XML (Turtle
without ``Accept``), chosen by ``formats.choose``. The suffix URLs ``/id/X.ttl``,
``.jsonld``, ``.nt``, ``.rdf`` (or any other name ``format=`` takes, such as ``.json``) are
the format-specific documents: they never vary, and every response names them in ``Link:
rel="alternate"`` headers, with ``rel="canonical"`` to ``/id/X``. Local names never contain
dots (STYLE.md), so a suffix is never part of a name. The RDF is a data response
(web/responses.py: any origin may read it). An IRI the graph does not mention is a 404:
a page for browsers, ``text/plain`` for everyone else. What the answers are made of is
``entity_answers``'s, shared with ``/resource`` (web/resource.py), the page for every other IRI.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..errors import NotFound
from ..namespaces import BASE
from ..sparql import formats
from . import chrome, entity_answers, entity_html
from .entity_answers import OFFERS, Address

blueprint = Blueprint("entities", __name__)


def language_name(tag: str) -> str:
    """What the fallback mark calls a literal's language, in the reader's language."""
    return entity_html.language_name(chrome.reader_language(), tag)


@blueprint.get("/id/<path:name>")
def resource(name: str) -> Response:
    name, suffix = formats.split_suffix(name, OFFERS)
    iri = BASE + name
    fmt = formats.choose(
        request.headers.get("Accept"), request.args.get("format"), suffix, OFFERS, page="asked"
    )
    address = Address(iri, name)
    try:
        _check_iri(iri)
        if fmt is formats.PAGE:
            response = entity_answers.page(address)
        else:
            response = entity_answers.data(iri, fmt, vary=suffix is None)
    except NotFound as exc:
        response = entity_answers.not_found(iri, str(exc), fmt is formats.PAGE)
    if suffix is not None:
        response.headers["Content-Location"] = request.path
    else:
        response.vary.add("Accept")
    if response.status_code == 200:
        response.headers["Link"] = address.links()
    return response


def _check_iri(iri: str) -> None:
    """A path that makes no valid IRI (a space, ``<``, ``"`` ...) names nothing in the graph."""
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise NotFound(f"{iri} is not a valid IRI, so not in the graph") from exc
