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
a page for browsers, ``text/plain`` for everyone else.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request

from ..errors import NotFound
from ..namespaces import BASE
from ..sparql import formats
from ..views import entity as entities
from . import chrome, responses, world
from .urls import link

blueprint = Blueprint("entities", __name__)

#: the entity's formats, in the order offered (the first is the default)
OFFERS = [formats.GRAPH_FORMATS[name][0] for name in ("turtle", "jsonld", "ntriples", "rdfxml")]

chrome.add_messages(
    {
        "en": {
            "entity_types": "Type",
            "entity_outgoing": "Statements about it",
            "entity_incoming": "Referred to by",
            "entity_instances": "Instances",
            "entity_instances_help": "Everything of this class or of one of its subclasses.",
            "entity_crosswalk": "Standard codes",
            "entity_crosswalk_help": "The codes of standard vocabularies this entity is mapped to, "
            "with the SKOS relation, how each mapping was made and where the code was checked.",
            "entity_vocabulary": "Vocabulary",
            "entity_code": "Code",
            "entity_code_label": "Name in the vocabulary",
            "entity_predicate": "Relation",
            "entity_justification": "Justification",
            "entity_checked_in": "Checked in",
            "entity_provenance": "Where the facts come from",
            "entity_graph": "Named graph",
            "entity_file": "Source file",
            "entity_document": "Source document",
            "entity_download": "Download as",
            "entity_query": "Query this entity",
            "entity_fallback": "English",
            "entity_fallback_ko": "Korean",
            "entity_fallback_none": "no language",
            "entity_fallback_title": "Not available in your language; shown in {language}.",
            "entity_no_definition": "No definition is given.",
            "entity_count": "{n} values",
            "entity_page": "page {page} of {pages}",
            "entity_previous": "Previous",
            "entity_next": "Next",
            "entity_names": "Labels",
            "entity_not_found_title": "Not in the graph",
            "entity_not_found": "The knowledge graph says nothing about {iri}.",
            "entity_not_found_help": "Check the address, or start from the query editor.",
            "entity_iri": "IRI",
            "entity_axiom": "mapping record",
        },
        "ko": {
            "entity_types": "유형",
            "entity_outgoing": "이 항목에 대한 진술",
            "entity_incoming": "이 항목을 가리키는 진술",
            "entity_instances": "인스턴스",
            "entity_instances_help": "이 클래스나 그 하위 클래스에 속하는 모든 항목입니다.",
            "entity_crosswalk": "표준 코드",
            "entity_crosswalk_help": "이 항목이 연결된 표준 용어 체계의 코드입니다. "
            "SKOS 관계, 연결 근거, 코드를 확인한 출처를 함께 보여 줍니다.",
            "entity_vocabulary": "용어 체계",
            "entity_code": "코드",
            "entity_code_label": "용어 체계의 이름",
            "entity_predicate": "관계",
            "entity_justification": "근거",
            "entity_checked_in": "확인한 출처",
            "entity_provenance": "사실의 출처",
            "entity_graph": "이름 있는 그래프",
            "entity_file": "원본 파일",
            "entity_document": "출처 문서",
            "entity_download": "내려받기 형식",
            "entity_query": "이 항목 질의하기",
            "entity_fallback": "영어",
            "entity_fallback_ko": "한국어",
            "entity_fallback_none": "언어 정보 없음",
            "entity_fallback_title": "선택한 언어로 된 값이 없어 {language}로 보여 줍니다.",
            "entity_no_definition": "정의가 없습니다.",
            "entity_count": "값 {n}개",
            "entity_page": "{pages}쪽 중 {page}쪽",
            "entity_previous": "이전",
            "entity_next": "다음",
            "entity_names": "이름",
            "entity_not_found_title": "그래프에 없는 항목",
            "entity_not_found": "지식 그래프에는 {iri}에 대한 내용이 없습니다.",
            "entity_not_found_help": "주소를 확인하거나 질의 편집기에서 시작하세요.",
            "entity_iri": "IRI",
            "entity_axiom": "연결 기록",
        },
    }
)


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {"language_name": language_name}


def language_name(tag: str) -> str:
    """What the fallback mark calls a literal's language, in the reader's language."""
    key = {"en": "entity_fallback", "ko": "entity_fallback_ko"}.get(tag, "entity_fallback_none")
    return chrome.translate(chrome.reader_language(), key)


@blueprint.get("/id/<path:name>")
def resource(name: str) -> Response:
    name, suffix = formats.split_suffix(name, OFFERS)
    iri = BASE + name
    fmt = formats.choose(
        request.headers.get("Accept"), request.args.get("format"), suffix, OFFERS, page="asked"
    )
    try:
        _check_iri(iri)
        response = _page(iri, name) if fmt is formats.PAGE else _data(iri, fmt, vary=suffix is None)
    except NotFound as exc:
        response = _not_found(iri, str(exc), fmt is formats.PAGE)
    if suffix is not None:
        response.headers["Content-Location"] = request.path
    else:
        response.vary.add("Accept")
    if response.status_code == 200:
        response.headers["Link"] = _links(name)
    return response


def _check_iri(iri: str) -> None:
    """A path that makes no valid IRI (a space, ``<``, ``"`` ...) names nothing in the graph."""
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        raise NotFound(f"{iri} is not a valid IRI, so not in the graph") from exc


def _page(iri: str, name: str) -> Response:
    lang = chrome.reader_language()
    paging: dict[str, int] = {}
    group = request.args.get("group")
    if group:
        paging[group] = request.args.get("page", 1, type=int) or 1
    size = current_app.config.get("PEDKG_ENTITY_PAGE_SIZE", entities.PAGE_SIZE)  # tests page small groups
    entity = entities.describe(world().pool, iri, lang, paging, size)
    html = render_template(
        "entity.html",
        entity=entity,
        name=name,
        downloads=[
            (fmt, link("entities.resource", name=f"{name}.{fmt.suffix}", lang=None)) for fmt in OFFERS
        ],
        canonical=link("entities.resource", name=name, _external=True, lang=None),
        query_link=link("sparql.endpoint", query=entities.sparql_about(iri)),
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    return response


def _data(iri: str, fmt: formats.Format, vary: bool) -> Response:
    row_limit = world().settings.row_limit
    answer = entities.graph_of(world().pool, iri, fmt.name, row_limit)
    return responses.data_response(
        answer.body, fmt, vary=vary, truncated_at=row_limit if answer.truncated else None
    )


def _not_found(iri: str, message: str, page: bool) -> Response:
    if page:
        html = render_template("entity_404.html", iri=iri)
        response = Response(html, status=404, content_type="text/html; charset=utf-8")
        return response
    return Response(message + "\n", status=404, mimetype="text/plain")


def _links(name: str) -> str:
    """``Link`` header: the canonical page and one alternate document per format."""
    canonical = link("entities.resource", name=name, _external=True, lang=None)
    alternates = [
        f"<{link('entities.resource', name=f'{name}.{fmt.suffix}', _external=True, lang=None)}>; "
        f'rel="alternate"; type="{fmt.media_type}"'
        for fmt in OFFERS
    ]
    return ", ".join([f'<{canonical}>; rel="canonical"', *alternates])
