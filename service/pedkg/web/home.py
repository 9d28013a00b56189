"""``/``: what the division is, what the graph holds, and a picture of how it connects.

The definition comes from the graph (``skos:definition`` in the reader's language, else
English with a mark that says so); the counts from ``statistics`` (the same numbers
``/void`` publishes), each linking to the page that lists what it counts; the picture
from ``pedkg.diagram``, drawn here in two layouts (wide and phone) and served alone as
``/diagram.svg`` too.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, render_template, request

from ..namespaces import ONTOLOGY
from ..sparql.pool import QueryJob
from ..views import diagram
from . import chrome, statistics, world
from .urls import iri_href, link

blueprint = Blueprint("home", __name__)

DIVISION = """
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?division ?label ?definition WHERE {
  ?division a pko:Division .
  { ?division rdfs:label ?label } UNION { ?division skos:definition ?definition }
}
"""

#: the counted classes, in the order the page shows them: (class local name, message key)
COUNTED = (
    ("Disease", "home_diseases"),
    ("DiseaseGroup", "home_groups"),
    ("SurgicalDepartment", "home_surgical"),
    ("DiagnosticSupportTeam", "home_diagnostic"),
    ("CareTeam", "home_care"),
    ("SupportProgram", "home_programs"),
)

chrome.add_messages(
    {
        "en": {
            "home_title": "The division and its knowledge graph",
            "home_lede": "pedkg describes one pediatric hematology-oncology division as linked data: "
            "the diseases it treats, the departments and teams it works with and the programs it runs, "
            "each with its codes in the standard vocabularies, in English and Korean.",
            "home_in_english": "(in English: no Korean definition yet)",
            "home_entity_page": "All facts about the division",
            "home_counts": "What the graph holds",
            "home_diseases": "diseases",
            "home_groups": "disease groups",
            "home_surgical": "surgical departments",
            "home_diagnostic": "diagnostic support teams",
            "home_care": "care teams",
            "home_programs": "support programs",
            "home_mappings": "mappings to standard codes",
            "home_triples": "triples",
            "home_by_vocabulary": "Mappings per vocabulary",
            "home_picture": "How the division connects",
            "home_picture_help": "Every box and name is a link to its page.",
            "home_as_list": "The picture as a list",
            "home_explore": "Explore",
            "home_search": "Search labels, synonyms and codes",
            "home_search_help": "in English or Korean, e.g. neuroblastoma, 신경모, C64",
            "home_search_button": "Search",
            "home_editor": "Ask with SPARQL",
            "home_catalogue": "Ready-made questions",
            "home_ontology": "The ontology: classes and properties",
            "home_void": "The dataset: statistics, links and dumps",
            "diagram_title": "How the {division} connects",
            "diagram_desc": "The division in the middle; around it the disease groups with their diseases, "
            "the procedure it performs, the surgical departments and diagnostic support teams it works with, "
            "its palliative care team and its support programs. Every name links to its page.",
            "diagram_division": "division",
            "diagram_treats": "treats",
            "diagram_performs": "performs",
            "diagram_works_with": "works with",
            "diagram_runs": "runs",
            "diagram_procedure": "Procedure",
            "diagram_surgical": "Surgical departments",
            "diagram_diagnostic": "Diagnostic support teams",
            "diagram_care": "Palliative care",
            "diagram_program": "Support programs",
        },
        "ko": {
            "home_title": "분과와 지식 그래프",
            "home_lede": "pedkg는 한 소아혈액종양 분과를 링크드 데이터로 기술합니다. "
            "분과가 치료하는 질환, 함께 일하는 진료과와 팀, 운영하는 프로그램을 "
            "표준 용어 체계의 코드와 함께 영어와 한국어로 담았습니다.",
            "home_in_english": "(영어: 아직 한국어 정의가 없습니다)",
            "home_entity_page": "분과에 대한 모든 사실",
            "home_counts": "그래프에 담긴 것",
            "home_diseases": "질환",
            "home_groups": "질환군",
            "home_surgical": "외과계 진료과",
            "home_diagnostic": "진단 지원팀",
            "home_care": "진료팀",
            "home_programs": "지원 프로그램",
            "home_mappings": "표준 코드 매핑",
            "home_triples": "트리플",
            "home_by_vocabulary": "용어 체계별 매핑",
            "home_picture": "분과의 연결 관계",
            "home_picture_help": "상자와 이름을 누르면 해당 페이지로 갑니다.",
            "home_as_list": "그림을 목록으로 보기",
            "home_explore": "둘러보기",
            "home_search": "레이블·동의어·코드 검색",
            "home_search_help": "영어나 한국어로, 예: neuroblastoma, 신경모, C64",
            "home_search_button": "검색",
            "home_editor": "SPARQL로 질의하기",
            "home_catalogue": "저장된 질의",
            "home_ontology": "온톨로지: 클래스와 속성",
            "home_void": "데이터셋: 통계, 링크, 덤프",
            "diagram_title": "{division}의 연결 관계",
            "diagram_desc": "가운데에 분과가 있고, 둘레에 질환군과 그 질환, 분과가 시행하는 시술, "
            "함께 일하는 외과계 진료과와 진단 지원팀, 완화의료팀과 지원 프로그램이 있습니다. "
            "모든 이름은 해당 페이지로 연결됩니다.",
            "diagram_division": "분과",
            "diagram_treats": "치료",
            "diagram_performs": "시행",
            "diagram_works_with": "협력",
            "diagram_runs": "운영",
            "diagram_procedure": "시술",
            "diagram_surgical": "외과계 진료과",
            "diagram_diagnostic": "진단 지원팀",
            "diagram_care": "완화의료",
            "diagram_program": "지원 프로그램",
        },
    }
)


def picture(lang: str) -> diagram.Model | None:
    return diagram.from_rows(statistics.select(diagram.QUERY), lang)


def _division(lang: str) -> dict[str, Any]:
    """The division's IRI, label and definition in ``lang`` (else English), with their languages."""
    found: dict[str, Any] = {}
    labels: dict[str, str] = {}
    definitions: dict[str, str] = {}
    answer = world().pool.run(QueryJob(DIVISION, "json", False, 100))
    for row in json.loads(answer.body)["results"]["bindings"]:
        found["iri"] = row["division"]["value"]
        for name, bucket in (("label", labels), ("definition", definitions)):
            if name in row:
                bucket[row[name].get("xml:lang", "en")] = row[name]["value"]
    for name, bucket in (("label", labels), ("definition", definitions)):
        chosen = lang if lang in bucket else "en" if "en" in bucket else next(iter(bucket), None)
        found[name] = (bucket[chosen], chosen) if chosen else None
    return found


@blueprint.get("/")
def index() -> Response:
    lang = chrome.reader_language()
    stats = statistics.compute()
    model = picture(lang)
    t = lambda key, **values: chrome.translate(lang, key, **values)  # noqa: E731
    counts = [(stats.count(ONTOLOGY + name), key, iri_href(ONTOLOGY + name)) for name, key in COUNTED]
    svgs = {}
    if model is not None:
        svgs = {layout: diagram.render(model, lang, t, layout, iri_href) for layout in ("wide", "narrow")}
    html = render_template(
        "home.html",
        active="home",
        division=_division(lang),
        stats=stats,
        counts=counts,
        model=model,
        svgs=svgs,
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = f'<{link("dataset.void", lang=None)}>; rel="describedby"; type="text/turtle"'
    return response


@blueprint.get("/diagram.svg")
def svg() -> Response:
    """The picture alone, for embedding elsewhere (``?layout=narrow`` for the phone layout)."""
    lang = chrome.reader_language()
    model = picture(lang)
    if model is None:
        return Response("no division in the graph\n", status=404, mimetype="text/plain")
    layout = "narrow" if request.args.get("layout") == "narrow" else "wide"
    t = lambda key, **values: chrome.translate(lang, key, **values)  # noqa: E731
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + diagram.render(model, lang, t, layout, iri_href)
    response = Response(body, content_type="image/svg+xml; charset=utf-8")
    response.vary.add("Accept-Language")
    return response
