"""``/search`` (HTML) and ``/api/search`` (JSON): label, synonym and code search.

Both read the worker's in-memory index (``pedkg.search``), built once per store version.
The page works without JavaScript (a GET form); ``static/search.js`` turns the header's
search box into an autocomplete over ``/api/search``. The API answers any origin (CORS)
and reports bad parameters as ``{"error": {"status", "message"}}`` with 400.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, render_template, request

from ..errors import QueryError, QueryRefused, QueryTimeout, StoreError
from ..views import search
from . import chrome, responses, world
from .urls import link

blueprint = Blueprint("search", __name__)

MAX_QUERY = 200  # characters: longer is not a label anyone types
DEFAULT_LIMIT = 10
MAX_LIMIT = 50  # the API caps ``limit`` here; the page shows this many

chrome.add_messages(
    {
        "en": {
            "search_nav": "Search",
            "search_nav_home": "Home",
            "search_nav_ontology": "Ontology",
            "search_label": "Search the knowledge graph",
            "search_button": "Search",
            "search_title": "Search",
            "search_results_for": "Results for “{q}”",
            "search_intro": "Find diseases, departments, teams and programs by their English or Korean "
            "names, synonyms, or standard codes (ICD-10 C64, ICD-O-3 9500/3, MONDO:0005072). "
            "Partial words and partial Korean syllables are enough.",
            "search_type": "Type",
            "search_any_type": "any type",
            "search_none": "Nothing matches “{q}”.",
            "search_count": "{n} matches",
            "search_one": "1 match",
            "search_matched": "matched",
            "search_fallback": "label only in {language}",
            "search_exact": "exact",
            "search_prefix": "starts with",
            "search_substring": "contains",
            "search_field_label": "label",
            "search_field_synonym": "synonym",
            "search_field_code": "code",
            "search_bad": "The search could not be run",
            "search_suggestions": "Suggestions",
            "search_api": "These results as JSON",
            "search_unavailable": "Search is not available right now",
            "search_lang_en": "English",
            "search_lang_ko": "Korean",
        },
        "ko": {
            "search_nav": "검색",
            "search_nav_home": "홈",
            "search_nav_ontology": "온톨로지",
            "search_label": "지식 그래프 검색",
            "search_button": "검색",
            "search_title": "검색",
            "search_results_for": "“{q}” 검색 결과",
            "search_intro": "질환, 진료과, 지원팀, 프로그램을 한국어나 영어 이름, 동의어, 표준 코드"
            "(ICD-10 C64, ICD-O-3 9500/3, MONDO:0005072)로 찾습니다. "
            "단어의 앞부분이나 덜 입력된 글자(예: 신경ㅁ)만으로도 찾을 수 있습니다.",
            "search_type": "유형",
            "search_any_type": "모든 유형",
            "search_none": "“{q}”와(과) 일치하는 항목이 없습니다.",
            "search_count": "{n}개 항목",
            "search_one": "1개 항목",
            "search_matched": "일치",
            "search_fallback": "{language} 이름만 있음",
            "search_exact": "정확히 일치",
            "search_prefix": "앞부분 일치",
            "search_substring": "부분 일치",
            "search_field_label": "이름",
            "search_field_synonym": "동의어",
            "search_field_code": "코드",
            "search_bad": "검색할 수 없습니다",
            "search_suggestions": "추천 검색어",
            "search_api": "이 결과의 JSON",
            "search_unavailable": "지금은 검색할 수 없습니다",
            "search_lang_en": "영어",
            "search_lang_ko": "한국어",
        },
    }
)


class BadParameter(ValueError):
    """A search parameter out of range; the message names it."""


def _parameters(lang: str | None = None) -> tuple[str, str, str | None, int]:
    """``q``, ``lang``, ``type`` and ``limit`` from the query string, checked.

    The API checks ``lang`` (default English); the page passes the reader's language.
    """
    q = request.args.get("q", "").strip()
    if len(q) > MAX_QUERY:
        raise BadParameter(f"q is longer than {MAX_QUERY} characters")
    if lang is None:
        lang = request.args.get("lang") or "en"
        if lang not in chrome.LANGUAGES:
            raise BadParameter(f"lang must be one of {', '.join(chrome.LANGUAGES)}, not {lang!r}")
    raw_limit = request.args.get("limit", str(DEFAULT_LIMIT))
    try:
        limit = int(raw_limit)
    except ValueError:
        raise BadParameter(f"limit must be a whole number, not {raw_limit!r}") from None
    if limit < 1:
        raise BadParameter("limit must be at least 1")
    return q, lang, request.args.get("type") or None, min(limit, MAX_LIMIT)


def _index() -> search.SearchIndex:
    return search.index_for(world().pool)


def _type(index: search.SearchIndex, wanted: str | None) -> str | None:
    """The CURIE of the asked-for type (None: any type); an unknown type is a bad parameter."""
    if not wanted:
        return None
    curie = index.type_curie(wanted)
    if curie is None:
        raise BadParameter(f"unknown type {wanted!r}; one of: {', '.join(index.types())}")
    return curie


def _json(body: dict[str, Any], status: int = 200) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return responses.data_response(text, "application/json; charset=utf-8", status=status, vary=False)


def _error(status: int, message: str) -> Response:
    return _json({"error": {"status": status, "message": message}}, status)


@blueprint.get("/api/search")
def api() -> Response:
    """Hits as JSON, best first: the autocomplete's source and the page's machine twin."""
    try:
        q, lang, wanted, limit = _parameters()
        if not q:
            raise BadParameter("q is required: the text to search for")
        index = _index()
        wanted = _type(index, wanted)
    except BadParameter as exc:
        return _error(400, str(exc))
    except (QueryError, QueryTimeout, QueryRefused, StoreError) as exc:
        return _error(503, f"the search index could not be built: {exc}")
    hits = [asdict(hit) for hit in index.search(q, lang, wanted, limit)]
    return _json({"query": q, "lang": lang, "type": wanted, "limit": limit, "hits": hits})


@blueprint.get("/search")
def page() -> Response:
    """The results page: a GET form and a list of hits, no JavaScript needed."""
    lang = chrome.reader_language()
    context: dict[str, Any] = {"q": request.args.get("q", ""), "wanted": None, "hits": None, "types": []}
    status = 200
    try:
        q, _, wanted, _ = _parameters(lang)
        context["q"] = q
        index = _index()
        context["types"] = index.type_options(lang)
        context["wanted"] = wanted = _type(index, wanted)
        if q:
            context["hits"] = index.search(q, lang, wanted, MAX_LIMIT)
            context["api"] = link("search.api", q=q, lang=lang, type=wanted, limit=MAX_LIMIT)
    except BadParameter as exc:
        context["error"], status = str(exc), 400
    except (QueryError, QueryTimeout, QueryRefused, StoreError) as exc:
        context["error"], status = str(exc), 503
    html = render_template("search.html", **context)
    response = Response(html, status=status, content_type="text/html; charset=utf-8")
    if context.get("api"):
        response.headers["Link"] = f'<{context["api"]}>; rel="alternate"; type="application/json"'
    return response
