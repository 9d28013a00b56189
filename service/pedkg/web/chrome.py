"""The chrome of pedkg's HTML pages: the reader's language, its messages, links and cells.

Every template sees the same few helpers (registered by the catalogue blueprint as an
app-wide context processor):

- ``lang``: ``en`` or ``ko``, from ``?lang=`` if given, else ``Accept-Language``;
- ``t(key, **values)``: the page chrome's words in that language;
- ``curie(iri)``: how a result cell shows an IRI (its links, and every other URL: web/urls.py);
- ``highlight(sparql)``: a query's text marked up for colouring, every token escaped.
"""

from __future__ import annotations

from typing import Any

from flask import Response, request
from markupsafe import Markup, escape

from ..namespaces import compress
from ..sparql import text as sparql_text

LANGUAGES = ("en", "ko")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "site": "pedkg",
        "site_long": "Pediatric hematology-oncology knowledge graph",
        "nav_editor": "SPARQL editor",
        "nav_queries": "Named queries",
        "skip": "Skip to the content",
        "other_language": "한국어",
        "editor_title": "SPARQL query editor",
        "editor_intro": "Query the division's knowledge graph with SPARQL 1.1. "
        "The graph's prefixes are predeclared: type one (pko:, skos:, MONDO: ...) "
        "and its PREFIX line is added. Run with the button or Ctrl+Enter.",
        "query": "Query",
        "run": "Run",
        "results": "Results",
        "no_rows": "No rows.",
        "rows": "{n} rows",
        "one_row": "1 row",
        "answer_true": "Yes: the pattern matches (true).",
        "answer_false": "No: the pattern does not match (false).",
        "graph_result": "The resulting triples, as Turtle",
        "truncated": "The result was cut at the row limit: only the first {n} rows are shown. "
        "Add a LIMIT or narrow the query to see the rest.",
        "downloads": "Download",
        "permalink": "Permalink",
        "permalink_help": "a link to this query that runs it again",
        "examples": "Example queries",
        "examples_help": "Named queries from the catalogue; each opens in the editor and runs.",
        "about_query": "in the catalogue",
        "prefixes": "Predeclared prefixes",
        "error": "The query could not be answered",
        "no_script": "This page works without JavaScript: the query runs on the server "
        "and its result is shown as a table below.",
        "catalogue_title": "Named queries",
        "catalogue_intro": "Ready-made questions to the knowledge graph, each a SPARQL file in queries/. "
        "Open one to run it, change its parameters, download its result or open it in the editor.",
        "parameters": "Parameters",
        "no_parameters": "This query takes no parameters.",
        "takes": "Parameters",
        "open_in_editor": "Open in the editor",
        "editor_binding": "The editor receives the query with these values written in a VALUES clause.",
        "sparql_text": "The query",
        "not_found_title": "No such query",
        "not_found": "There is no named query {name}.",
        "back_to_catalogue": "All named queries",
        "default": "default",
        "machine_twin": "This list as JSON",
    },
    "ko": {
        "site": "pedkg",
        "site_long": "소아혈액종양 지식 그래프",
        "nav_editor": "SPARQL 편집기",
        "nav_queries": "저장된 질의",
        "skip": "본문으로 건너뛰기",
        "other_language": "English",
        "editor_title": "SPARQL 질의 편집기",
        "editor_intro": "SPARQL 1.1로 소아혈액종양과 지식 그래프를 질의합니다. "
        "그래프의 접두어는 미리 선언되어 있어, 접두어(pko:, skos:, MONDO: 등)를 입력하면 "
        "PREFIX 줄이 추가됩니다. 실행 버튼이나 Ctrl+Enter로 실행하세요.",
        "query": "질의",
        "run": "실행",
        "results": "결과",
        "no_rows": "결과 행이 없습니다.",
        "rows": "{n}개 행",
        "one_row": "1개 행",
        "answer_true": "예: 패턴이 일치합니다 (true).",
        "answer_false": "아니요: 패턴이 일치하지 않습니다 (false).",
        "graph_result": "결과 트리플 (Turtle)",
        "truncated": "결과가 행 제한에서 잘렸습니다: 처음 {n}개 행만 보입니다. "
        "나머지를 보려면 LIMIT을 넣거나 질의를 좁히세요.",
        "downloads": "내려받기",
        "permalink": "고유 링크",
        "permalink_help": "이 질의를 다시 실행하는 링크",
        "examples": "예제 질의",
        "examples_help": "질의 목록의 저장된 질의입니다. 누르면 편집기에 열리고 실행됩니다.",
        "about_query": "질의 목록에서 보기",
        "prefixes": "미리 선언된 접두어",
        "error": "질의에 답할 수 없습니다",
        "no_script": "이 페이지는 자바스크립트 없이도 작동합니다. 질의는 서버에서 실행되고 "
        "결과는 아래 표로 보입니다.",
        "catalogue_title": "저장된 질의",
        "catalogue_intro": "지식 그래프에 바로 물어볼 수 있는 질문들로, "
        "각각 queries/ 폴더의 SPARQL 파일입니다. "
        "질의를 열어 실행하고, 매개변수를 바꾸고, 결과를 내려받거나 편집기에서 열 수 있습니다.",
        "parameters": "매개변수",
        "no_parameters": "이 질의에는 매개변수가 없습니다.",
        "takes": "매개변수",
        "open_in_editor": "편집기에서 열기",
        "editor_binding": "편집기에는 이 값들을 VALUES 절로 적은 질의가 열립니다.",
        "sparql_text": "질의문",
        "not_found_title": "질의를 찾을 수 없습니다",
        "not_found": "{name}(이)라는 저장된 질의는 없습니다.",
        "back_to_catalogue": "모든 저장된 질의",
        "default": "기본값",
        "machine_twin": "이 목록의 JSON",
    },
}


def add_messages(messages: dict[str, dict[str, str]]) -> None:
    """Let a page family bring its own words (both languages) into ``t()``."""
    for lang, words in messages.items():
        clashes = set(words) & set(MESSAGES[lang])
        if clashes:
            raise ValueError(f"message keys defined twice: {sorted(clashes)}")
        MESSAGES[lang].update(words)


#: what the download links call each format
FORMAT_LABELS = {
    "json": "JSON",
    "xml": "XML",
    "csv": "CSV",
    "tsv": "TSV",
    "turtle": "Turtle",
    "ntriples": "N-Triples",
    "jsonld": "JSON-LD",
    "rdfxml": "RDF/XML",
    "nquads": "N-Quads",
    "trig": "TriG",
}


_KEYWORDS = frozenset(
    {
        *("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "PREFIX", "BASE", "OPTIONAL", "FILTER"),
        *("UNION", "MINUS", "GRAPH", "SERVICE", "BIND", "VALUES", "GROUP", "BY", "ORDER", "HAVING"),
        *("LIMIT", "OFFSET", "DISTINCT", "REDUCED", "AS", "FROM", "NAMED", "NOT", "EXISTS", "IN"),
        *("ASC", "DESC", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT", "SEPARATOR"),
        *("STR", "LANG", "STRSTARTS", "REGEX"),
    }
)


def reader_language() -> str:
    """``?lang=en|ko`` if given, else the best of ``Accept-Language``, else English."""
    asked = request.args.get("lang", "")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES, default="en") or "en"


def translate(lang: str, key: str, **values: object) -> str:
    text = MESSAGES[lang].get(key) or MESSAGES["en"][key]
    return text.format(**values) if values else text


def highlight(text: str) -> Markup:
    """A SPARQL text as escaped HTML, its tokens in spans by kind (comment, string, IRI, ...)."""
    parts: list[str] = []
    for match in sparql_text.tokens(text):
        kind, value = match.lastgroup, match.group()
        if kind == "word" and (value.upper() in _KEYWORDS or value == "a"):
            kind = "keyword"
        if kind in ("comment", "string", "iri", "var", "pname", "keyword"):
            parts.append(f'<span class="sq-{kind}">{escape(value)}</span>')
        else:
            parts.append(str(escape(value)))
    return Markup("".join(parts))


def context() -> dict[str, Any]:
    """What every template of pedkg's pages sees."""
    lang = reader_language()
    return {
        "lang": lang,
        "languages": LANGUAGES,
        "t": lambda key, **values: translate(lang, key, **values),
        "curie": compress,
        "highlight": highlight,
        "format_labels": FORMAT_LABELS,
    }


def finish(response: Response) -> Response:
    """HTML pages vary by language and say which (their security headers: web/headers.py)."""
    if response.mimetype == "text/html":
        response.vary.add("Accept-Language")
        response.headers.setdefault("Content-Language", reader_language())
    return response
