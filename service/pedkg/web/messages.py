"""Every word of pedkg's web pages, in English and Korean: one catalogue, key -> {"en", "ko"}.

Built once, as a plain literal: no page family registers words at import time, so what a
page says never depends on which modules were imported first. ``chrome.translate`` (the
templates' ``t()``) reads it, falling back to English for a missing Korean text.
Sections follow the page families; a key is unique across the site (ruff's F601 refuses a
repeated one) and tests/test_messages.py checks that every key has both languages and
that every key a template or view asks for is here.
"""

from __future__ import annotations

from typing import Final

WORDS: Final[dict[str, dict[str, str]]] = {
    # the frame of every page: the site's name, its navigation, the language switch
    "site": {"en": "pedkg", "ko": "pedkg"},
    "site_long": {"en": "Pediatric hematology-oncology knowledge graph", "ko": "소아혈액종양 지식 그래프"},
    "nav_editor": {"en": "SPARQL editor", "ko": "SPARQL 편집기"},
    "nav_queries": {"en": "Named queries", "ko": "저장된 질의"},
    "skip": {"en": "Skip to the content", "ko": "본문으로 건너뛰기"},
    "other_language": {"en": "한국어", "ko": "English"},
    # the SPARQL editor (/sparql) and the named queries (/queries)
    "editor_title": {"en": "SPARQL query editor", "ko": "SPARQL 질의 편집기"},
    "editor_intro": {
        "en": (
            "Query the division's knowledge graph with SPARQL 1.1. The graph's prefixes are predeclared: "
            "type one (pko:, skos:, MONDO: ...) and its PREFIX line is added. Run with the button or "
            "Ctrl+Enter."
        ),
        "ko": (
            "SPARQL 1.1로 소아혈액종양과 지식 그래프를 질의합니다. 그래프의 접두어는 미리 선언되어 있어, "
            "접두어(pko:, skos:, MONDO: 등)를 입력하면 PREFIX 줄이 추가됩니다. 실행 버튼이나 Ctrl+Enter로 "
            "실행하세요."
        ),
    },
    "query": {"en": "Query", "ko": "질의"},
    "run": {"en": "Run", "ko": "실행"},
    "results": {"en": "Results", "ko": "결과"},
    "no_rows": {"en": "No rows.", "ko": "결과 행이 없습니다."},
    "rows": {"en": "{n} rows", "ko": "{n}개 행"},
    "one_row": {"en": "1 row", "ko": "1개 행"},
    "answer_true": {"en": "Yes: the pattern matches (true).", "ko": "예: 패턴이 일치합니다 (true)."},
    "answer_false": {
        "en": "No: the pattern does not match (false).",
        "ko": "아니요: 패턴이 일치하지 않습니다 (false).",
    },
    "graph_result": {"en": "The resulting triples, as Turtle", "ko": "결과 트리플 (Turtle)"},
    "truncated": {
        "en": (
            "The result was cut at the row limit: only the first {n} rows are shown. Add a LIMIT or narrow "
            "the query to see the rest."
        ),
        "ko": (
            "결과가 행 제한에서 잘렸습니다: 처음 {n}개 행만 보입니다. 나머지를 보려면 LIMIT을 넣거나 "
            "질의를 좁히세요."
        ),
    },
    "downloads": {"en": "Download", "ko": "내려받기"},
    "permalink": {"en": "Permalink", "ko": "고유 링크"},
    "permalink_help": {"en": "a link to this query that runs it again", "ko": "이 질의를 다시 실행하는 링크"},
    "examples": {"en": "Example queries", "ko": "예제 질의"},
    "examples_help": {
        "en": "Named queries from the catalogue; each opens in the editor and runs.",
        "ko": "질의 목록의 저장된 질의입니다. 누르면 편집기에 열리고 실행됩니다.",
    },
    "about_query": {"en": "in the catalogue", "ko": "질의 목록에서 보기"},
    "prefixes": {"en": "Predeclared prefixes", "ko": "미리 선언된 접두어"},
    "error": {"en": "The query could not be answered", "ko": "질의에 답할 수 없습니다"},
    "no_script": {
        "en": (
            "This page works without JavaScript: the query runs on the server and its result is shown as a "
            "table below."
        ),
        "ko": (
            "이 페이지는 자바스크립트 없이도 작동합니다. 질의는 서버에서 실행되고 결과는 아래 표로 보입니다."
        ),
    },
    "catalogue_title": {"en": "Named queries", "ko": "저장된 질의"},
    "catalogue_intro": {
        "en": (
            "Ready-made questions to the knowledge graph, each a SPARQL file in queries/. Open one to run "
            "it, change its parameters, download its result or open it in the editor."
        ),
        "ko": (
            "지식 그래프에 바로 물어볼 수 있는 질문들로, 각각 queries/ 폴더의 SPARQL 파일입니다. 질의를 "
            "열어 실행하고, 매개변수를 바꾸고, 결과를 내려받거나 편집기에서 열 수 있습니다."
        ),
    },
    "parameters": {"en": "Parameters", "ko": "매개변수"},
    "no_parameters": {"en": "This query takes no parameters.", "ko": "이 질의에는 매개변수가 없습니다."},
    "takes": {"en": "Parameters", "ko": "매개변수"},
    "open_in_editor": {"en": "Open in the editor", "ko": "편집기에서 열기"},
    "editor_binding": {
        "en": "The editor receives the query with these values written in a VALUES clause.",
        "ko": "편집기에는 이 값들을 VALUES 절로 적은 질의가 열립니다.",
    },
    "sparql_text": {"en": "The query", "ko": "질의문"},
    "not_found_title": {"en": "No such query", "ko": "질의를 찾을 수 없습니다"},
    "not_found": {"en": "There is no named query {name}.", "ko": "{name}(이)라는 저장된 질의는 없습니다."},
    "back_to_catalogue": {"en": "All named queries", "ko": "모든 저장된 질의"},
    "default": {"en": "default", "ko": "기본값"},
    "machine_twin": {"en": "This list as JSON", "ko": "이 목록의 JSON"},
    # the home page (/) and its picture (/diagram.svg)
    "home_title": {"en": "The division and its knowledge graph", "ko": "분과와 지식 그래프"},
    "home_lede": {
        "en": (
            "pedkg describes one pediatric hematology-oncology division as linked data: the diseases it "
            "treats, the departments and teams it works with and the programs it runs, each with its codes "
            "in the standard vocabularies, in English and Korean."
        ),
        "ko": (
            "pedkg는 한 소아혈액종양 분과를 링크드 데이터로 기술합니다. 분과가 치료하는 질환, 함께 일하는 "
            "진료과와 팀, 운영하는 프로그램을 표준 용어 체계의 코드와 함께 영어와 한국어로 담았습니다."
        ),
    },
    "home_in_english": {
        "en": "(in English: no Korean definition yet)",
        "ko": "(영어: 아직 한국어 정의가 없습니다)",
    },
    "home_entity_page": {"en": "All facts about the division", "ko": "분과에 대한 모든 사실"},
    "home_counts": {"en": "What the graph holds", "ko": "그래프에 담긴 것"},
    "home_diseases": {"en": "diseases", "ko": "질환"},
    "home_groups": {"en": "disease groups", "ko": "질환군"},
    "home_surgical": {"en": "surgical departments", "ko": "외과계 진료과"},
    "home_diagnostic": {"en": "diagnostic support teams", "ko": "진단 지원팀"},
    "home_care": {"en": "care teams", "ko": "진료팀"},
    "home_programs": {"en": "support programs", "ko": "지원 프로그램"},
    "home_mappings": {"en": "mappings to standard codes", "ko": "표준 코드 매핑"},
    "home_triples": {"en": "triples", "ko": "트리플"},
    "home_by_vocabulary": {"en": "Mappings per vocabulary", "ko": "용어 체계별 매핑"},
    "home_picture": {"en": "How the division connects", "ko": "분과의 연결 관계"},
    "home_picture_help": {
        "en": "Every box and name is a link to its page.",
        "ko": "상자와 이름을 누르면 해당 페이지로 갑니다.",
    },
    "home_as_list": {"en": "The picture as a list", "ko": "그림을 목록으로 보기"},
    "home_explore": {"en": "Explore", "ko": "둘러보기"},
    "home_search": {"en": "Search labels, synonyms and codes", "ko": "레이블·동의어·코드 검색"},
    "home_search_help": {
        "en": "in English or Korean, e.g. neuroblastoma, 신경모, C64",
        "ko": "영어나 한국어로, 예: neuroblastoma, 신경모, C64",
    },
    "home_search_button": {"en": "Search", "ko": "검색"},
    "home_editor": {"en": "Ask with SPARQL", "ko": "SPARQL로 질의하기"},
    "home_catalogue": {"en": "Ready-made questions", "ko": "저장된 질의"},
    "home_ontology": {"en": "The ontology: classes and properties", "ko": "온톨로지: 클래스와 속성"},
    "home_void": {"en": "The dataset: statistics, links and dumps", "ko": "데이터셋: 통계, 링크, 덤프"},
    "diagram_title": {"en": "How the {division} connects", "ko": "{division}의 연결 관계"},
    "diagram_desc": {
        "en": (
            "The division in the middle; around it the disease groups with their diseases, the procedure "
            "it performs, the surgical departments and diagnostic support teams it works with, its "
            "palliative care team and its support programs. Every name links to its page."
        ),
        "ko": (
            "가운데에 분과가 있고, 둘레에 질환군과 그 질환, 분과가 시행하는 시술, 함께 일하는 외과계 "
            "진료과와 진단 지원팀, 완화의료팀과 지원 프로그램이 있습니다. 모든 이름은 해당 페이지로 "
            "연결됩니다."
        ),
    },
    "diagram_division": {"en": "division", "ko": "분과"},
    "diagram_treats": {"en": "treats", "ko": "치료"},
    "diagram_performs": {"en": "performs", "ko": "시행"},
    "diagram_works_with": {"en": "works with", "ko": "협력"},
    "diagram_runs": {"en": "runs", "ko": "운영"},
    "diagram_procedure": {"en": "Procedure", "ko": "시술"},
    "diagram_surgical": {"en": "Surgical departments", "ko": "외과계 진료과"},
    "diagram_diagnostic": {"en": "Diagnostic support teams", "ko": "진단 지원팀"},
    "diagram_care": {"en": "Palliative care", "ko": "완화의료"},
    "diagram_program": {"en": "Support programs", "ko": "지원 프로그램"},
    # the search page (/search) and the header's search box
    "search_nav": {"en": "Search", "ko": "검색"},
    "search_nav_home": {"en": "Home", "ko": "홈"},
    "search_nav_ontology": {"en": "Ontology", "ko": "온톨로지"},
    "search_label": {"en": "Search the knowledge graph", "ko": "지식 그래프 검색"},
    "search_button": {"en": "Search", "ko": "검색"},
    "search_title": {"en": "Search", "ko": "검색"},
    "search_results_for": {"en": "Results for “{q}”", "ko": "“{q}” 검색 결과"},
    "search_intro": {
        "en": (
            "Find diseases, departments, teams and programs by their English or Korean names, synonyms, or "
            "standard codes (ICD-10 C64, ICD-O-3 9500/3, MONDO:0005072). Partial words and partial Korean "
            "syllables are enough."
        ),
        "ko": (
            "질환, 진료과, 지원팀, 프로그램을 한국어나 영어 이름, 동의어, 표준 코드(ICD-10 C64, ICD-O-3 "
            "9500/3, MONDO:0005072)로 찾습니다. 단어의 앞부분이나 덜 입력된 글자(예: 신경ㅁ)만으로도 찾을 "
            "수 있습니다."
        ),
    },
    "search_type": {"en": "Type", "ko": "유형"},
    "search_any_type": {"en": "any type", "ko": "모든 유형"},
    "search_none": {"en": "Nothing matches “{q}”.", "ko": "“{q}”와(과) 일치하는 항목이 없습니다."},
    "search_count": {"en": "{n} matches", "ko": "{n}개 항목"},
    "search_one": {"en": "1 match", "ko": "1개 항목"},
    "search_matched": {"en": "matched", "ko": "일치"},
    "search_fallback": {"en": "label only in {language}", "ko": "{language} 이름만 있음"},
    "search_exact": {"en": "exact", "ko": "정확히 일치"},
    "search_prefix": {"en": "starts with", "ko": "앞부분 일치"},
    "search_substring": {"en": "contains", "ko": "부분 일치"},
    "search_typo": {"en": "spelled almost like", "ko": "철자가 비슷함"},
    "search_field_label": {"en": "label", "ko": "이름"},
    "search_field_synonym": {"en": "synonym", "ko": "동의어"},
    "search_field_related": {"en": "related synonym", "ko": "관련 동의어"},
    "search_field_code": {"en": "code", "ko": "코드"},
    "search_bad": {"en": "The search could not be run", "ko": "검색할 수 없습니다"},
    "search_suggestions": {"en": "Suggestions", "ko": "추천 검색어"},
    "search_api": {"en": "These results as JSON", "ko": "이 결과의 JSON"},
    "search_unavailable": {"en": "Search is not available right now", "ko": "지금은 검색할 수 없습니다"},
    "search_lang_en": {"en": "English", "ko": "영어"},
    "search_lang_ko": {"en": "Korean", "ko": "한국어"},
    # an entity's page (/id/..., /ontology/...) and its 404 page
    "entity_types": {"en": "Type", "ko": "유형"},
    "entity_outgoing": {"en": "Statements about it", "ko": "이 항목에 대한 진술"},
    "entity_incoming": {"en": "Referred to by", "ko": "이 항목을 가리키는 진술"},
    "entity_instances": {"en": "Instances", "ko": "인스턴스"},
    "entity_instances_help": {
        "en": "Everything of this class or of one of its subclasses.",
        "ko": "이 클래스나 그 하위 클래스에 속하는 모든 항목입니다.",
    },
    "entity_crosswalk": {"en": "Standard codes", "ko": "표준 코드"},
    "entity_crosswalk_help": {
        "en": (
            "The codes of standard vocabularies this entity is mapped to, with the SKOS relation, how each "
            "mapping was made and where the code was checked."
        ),
        "ko": (
            "이 항목이 연결된 표준 용어 체계의 코드입니다. SKOS 관계, 연결 근거, 코드를 확인한 출처를 함께 "
            "보여 줍니다."
        ),
    },
    "entity_vocabulary": {"en": "Vocabulary", "ko": "용어 체계"},
    "entity_code": {"en": "Code", "ko": "코드"},
    "entity_code_label": {"en": "Name in the vocabulary", "ko": "용어 체계의 이름"},
    "entity_predicate": {"en": "Relation", "ko": "관계"},
    "entity_justification": {"en": "Justification", "ko": "근거"},
    "entity_checked_in": {"en": "Checked in", "ko": "확인한 출처"},
    "entity_provenance": {"en": "Where the facts come from", "ko": "사실의 출처"},
    "entity_graph": {"en": "Named graph", "ko": "이름 있는 그래프"},
    "entity_file": {"en": "Source file", "ko": "원본 파일"},
    "entity_document": {"en": "Source document", "ko": "출처 문서"},
    "entity_download": {"en": "Download as", "ko": "내려받기 형식"},
    "entity_query": {"en": "Query this entity", "ko": "이 항목 질의하기"},
    "entity_fallback": {"en": "English", "ko": "영어"},
    "entity_fallback_ko": {"en": "Korean", "ko": "한국어"},
    "entity_fallback_none": {"en": "no language", "ko": "언어 정보 없음"},
    "entity_fallback_title": {
        "en": "Not available in your language; shown in {language}.",
        "ko": "선택한 언어로 된 값이 없어 {language}로 보여 줍니다.",
    },
    "entity_no_definition": {"en": "No definition is given.", "ko": "정의가 없습니다."},
    "entity_count": {"en": "{n} values", "ko": "값 {n}개"},
    "entity_page": {"en": "page {page} of {pages}", "ko": "{pages}쪽 중 {page}쪽"},
    "entity_previous": {"en": "Previous", "ko": "이전"},
    "entity_next": {"en": "Next", "ko": "다음"},
    "entity_names": {"en": "Labels", "ko": "이름"},
    "entity_not_found_title": {"en": "Not in the graph", "ko": "그래프에 없는 항목"},
    "entity_not_found": {
        "en": "The knowledge graph says nothing about {iri}.",
        "ko": "지식 그래프에는 {iri}에 대한 내용이 없습니다.",
    },
    "entity_not_found_help": {
        "en": "Check the address, or start from the query editor.",
        "ko": "주소를 확인하거나 질의 편집기에서 시작하세요.",
    },
    "entity_iri": {"en": "IRI", "ko": "IRI"},
    "entity_axiom": {"en": "mapping record", "ko": "연결 기록"},
    "entity_at_source": {"en": "at its source", "ko": "원래 주소에서 보기"},
    "entity_from_graph": {"en": "from graph", "ko": "출처 그래프"},
    "entity_truncated": {
        "en": "This entity has more statements than one page reads: the longest lists are cut short.",
        "ko": "이 항목의 진술이 한 페이지에서 읽는 양보다 많아 가장 긴 목록은 일부만 보여 줍니다.",
    },
    # the page of any IRI in the store (/resource?iri=), when the IRI is missing or malformed
    "resource_bad_title": {"en": "Not an IRI", "ko": "IRI가 아닙니다"},
    "resource_bad": {"en": "“{value}” is not an absolute IRI.", "ko": "“{value}”은(는) 절대 IRI가 아닙니다."},
    "resource_missing": {"en": "Give the full IRI of a resource.", "ko": "자원의 전체 IRI를 입력하세요."},
    "resource_open": {"en": "Open", "ko": "열기"},
    # the reconciliation service's preview card (/reconcile/preview)
    "reconcile_type": {"en": "Type", "ko": "유형"},
    "reconcile_codes": {"en": "Codes", "ko": "코드"},
    "reconcile_open": {"en": "Open the entity page", "ko": "항목 페이지 열기"},
    "reconcile_fallback": {"en": "(in English)", "ko": "(영어)"},
    # the ontology page (/ontology)
    "onto_title": {"en": "The pedkg ontology", "ko": "pedkg 온톨로지"},
    "onto_intro": {
        "en": (
            "The terms pedkg uses to describe the division, aligned to schema.org, SKOS and PROV. Each "
            "term has its own page, which lists the things of that kind."
        ),
        "ko": (
            "pedkg가 분과를 기술하는 데 쓰는 용어로, schema.org·SKOS·PROV에 맞춰 정렬되어 있습니다. 각 "
            "용어의 페이지에는 그 종류에 속하는 개체들이 나열됩니다."
        ),
    },
    "onto_version": {"en": "version", "ko": "버전"},
    "onto_license": {"en": "licence", "ko": "라이선스"},
    "onto_as_turtle": {"en": "The ontology as Turtle", "ko": "온톨로지 Turtle 파일"},
    "onto_hierarchy": {"en": "Class hierarchy", "ko": "클래스 계층"},
    "onto_hierarchy_help": {
        "en": (
            "Terms of other vocabularies (marked “aligned”) are the roots; pedkg's classes sit under the "
            "terms they specialise."
        ),
        "ko": (
            "다른 용어 체계의 용어(‘정렬’ 표시)가 뿌리이고, pedkg 클래스는 자신이 세분하는 용어 아래에 "
            "있습니다."
        ),
    },
    "onto_aligned": {"en": "aligned", "ko": "정렬"},
    "onto_classes": {"en": "Classes", "ko": "클래스"},
    "onto_properties": {"en": "Properties", "ko": "속성"},
    "onto_object": {"en": "object property", "ko": "객체 속성"},
    "onto_datatype": {"en": "datatype property", "ko": "데이터 속성"},
    "onto_class": {"en": "class", "ko": "클래스"},
    "onto_super": {"en": "subclass of", "ko": "상위 클래스"},
    "onto_subclasses": {"en": "subclasses", "ko": "하위 클래스"},
    "onto_subproperty": {"en": "subproperty of", "ko": "상위 속성"},
    "onto_domain": {"en": "domain", "ko": "정의역"},
    "onto_range": {"en": "range", "ko": "치역"},
    "onto_instances": {"en": "{n} in the graph", "ko": "그래프에 {n}개"},
    "onto_used_by": {"en": "properties about it", "ko": "이 클래스에 쓰이는 속성"},
    "onto_no_definition": {"en": "No definition.", "ko": "정의가 없습니다."},
    "onto_in_english": {"en": "(English)", "ko": "(영어)"},
    # the mappings page (/mappings)
    "mappings_nav": {"en": "Mappings", "ko": "매핑"},
    "mappings_title": {"en": "Mappings", "ko": "매핑"},
    "mappings_intro": {
        "en": (
            "Every mapping in the graph: curated ones to standard vocabularies, reviewed ones accepted with "
            "pedkg link, published sets imported with pedkg import; each with how it was found (its SEMAPV "
            "justification) and where it comes from."
        ),
        "ko": (
            "그래프의 모든 매핑입니다. 큐레이션 매핑, pedkg link로 검토 후 받아들인 매핑, pedkg import로 "
            "가져온 공개 매핑 집합을, 찾은 방법(SEMAPV 근거)과 출처와 함께 보여 줍니다."
        ),
    },
    "mappings_export": {"en": "All mappings as SSSOM TSV", "ko": "모든 매핑 (SSSOM TSV)"},
    "mappings_subject": {"en": "Subject", "ko": "주어"},
    "mappings_predicate": {"en": "Predicate", "ko": "관계"},
    "mappings_object": {"en": "Object", "ko": "대상"},
    "mappings_vocabulary": {"en": "Vocabulary", "ko": "어휘"},
    "mappings_justification": {"en": "Justification", "ko": "근거"},
    "mappings_confidence": {"en": "Confidence", "ko": "신뢰도"},
    "mappings_source": {"en": "Source", "ko": "출처"},
    "mappings_curated": {"en": "curated", "ko": "큐레이션"},
    "mappings_accepted": {"en": "accepted", "ko": "검토 후 채택"},
    "mappings_imported": {"en": "imported", "ko": "가져옴"},
    "mappings_not": {"en": "rejected (NOT)", "ko": "기각 (NOT)"},
    "mappings_any": {"en": "any", "ko": "전체"},
    "mappings_filter": {"en": "Filter", "ko": "거르기"},
    "mappings_count": {"en": "{shown} of {total} mappings", "ko": "매핑 {total}개 중 {shown}개"},
    "mappings_none": {"en": "No mapping matches these filters.", "ko": "이 조건에 맞는 매핑이 없습니다."},
    "mappings_window": {
        "en": "Showing {first}–{last}, {size} to a page; the SSSOM export holds them all.",
        "ko": "{first}–{last}번째를 보여 줍니다 (한 쪽에 {size}개). SSSOM 내보내기에 모두 있습니다.",
    },
    # the dataset description (/void), as HTML and as VoID
    "void_title": {"en": "The dataset", "ko": "데이터셋"},
    "void_intro": {
        "en": (
            "pedkg as a whole, described with VoID and DCAT: how big it is, what it is made of, how it "
            "links to the standard vocabularies, and where to get all of it."
        ),
        "ko": (
            "VoID와 DCAT으로 기술한 pedkg 전체입니다. 크기, 구성, 표준 용어 체계와의 연결, 전체 데이터를 "
            "받는 곳을 보여 줍니다."
        ),
    },
    "void_as_data": {"en": "This description as data", "ko": "이 기술의 데이터 형식"},
    "void_access": {"en": "Getting the data", "ko": "데이터 받기"},
    "void_endpoint": {"en": "SPARQL endpoint", "ko": "SPARQL 엔드포인트"},
    "void_dump_ttl": {
        "en": "Everything as Turtle (the union of all graphs)",
        "ko": "전체 Turtle (모든 그래프의 합집합)",
    },
    "void_dump_nq": {
        "en": "Everything as N-Quads (every named graph kept)",
        "ko": "전체 N-Quads (명명 그래프 유지)",
    },
    "void_size": {"en": "Size", "ko": "크기"},
    "void_triples": {"en": "triples", "ko": "트리플"},
    "void_subjects": {"en": "pedkg subjects", "ko": "pedkg 주어"},
    "void_graphs": {"en": "Named graphs", "ko": "명명 그래프"},
    "void_graph": {"en": "graph", "ko": "그래프"},
    "void_source": {"en": "source file", "ko": "원본 파일"},
    "void_classes": {"en": "Entities per class", "ko": "클래스별 개체 수"},
    "void_class": {"en": "class", "ko": "클래스"},
    "void_class_count": {"en": "classes", "ko": "클래스"},
    "void_entities": {"en": "entities", "ko": "개체"},
    "void_properties": {"en": "Triples per property", "ko": "속성별 트리플 수"},
    "void_property": {"en": "property", "ko": "속성"},
    "void_linksets": {"en": "Links to standard vocabularies", "ko": "표준 용어 체계로의 링크"},
    "void_vocabulary": {"en": "vocabulary", "ko": "용어 체계"},
    "void_predicates": {"en": "mapping predicates", "ko": "매핑 술어"},
    "void_links": {"en": "links", "ko": "링크"},
}
