"""The catalogue (/queries), the editor's pages without JavaScript, and their chrome in two languages.

Most cases use an in-process Flask client over the session's built store (real query
processes, real templates); the catalogue it reads is the project's plus one query whose
title, text and parameter carry markup, to show that everything is escaped. The last
cases go to the real server: the row cap's banner and the editor links' parity with the
catalogue's own runs.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape

from pedkg.config import PROJECT_ROOT, Settings
from pedkg.sparql import catalogue as queries
from pedkg.web import create_app
from pedkg.web.catalogue import editor_text

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
CATALOGUE = queries.catalogue(PROJECT_ROOT / "queries")
MARKUP_QUERY = """\
#+ title: <script>alert("title")</script> & co
#+ description: A <b>description</b> with markup
#+ param: n | integer | 3 | how many <i>things</i>
SELECT ?x ?n WHERE { VALUES ?x { "<script>alert('cell')</script>" } }
"""


@pytest.fixture(scope="module")
def app(built, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    project = tmp_path_factory.mktemp("project")
    shutil.copytree(PROJECT_ROOT / "queries", project / "queries")
    (project / "queries" / "markup.rq").write_text(MARKUP_QUERY, encoding="utf-8")
    application = create_app(Settings.from_env({}, store=built[0].store, project=project))
    yield application
    application.extensions["pedkg"].pool.close()


def page(client: FlaskClient, url: str, status: int = 200, **headers: str) -> str:
    response = client.get(url, headers={**BROWSER, **headers})
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert response.mimetype == "text/html", body
    return body


def editor_query(body: str, css_class: str = "open-editor") -> str:
    """The query an 'open in the editor' link (or a permalink) carries."""
    hrefs = re.findall(rf'class="{css_class}" href="([^"]+)"', body)
    assert hrefs, body
    return urllib.parse.parse_qs(urllib.parse.urlsplit(html.unescape(hrefs[-1])).query)["query"][0]


# ------------------------------------------------------------------------------------------
# /queries


def test_the_list_names_every_query_with_title_and_description(client):
    body = page(client, "/queries?lang=en")
    assert '<html lang="en">' in body
    for name, named in CATALOGUE.items():
        assert f'href="/queries/{name}?lang=en"' in body
        assert str(escape(named.title)) in body
        assert str(escape(named.description)) in body


def test_the_list_in_korean_has_korean_titles_and_chrome(client):
    body = page(client, "/queries?lang=ko")
    assert '<html lang="ko">' in body
    assert "<h1>저장된 질의</h1>" in body
    for named in CATALOGUE.values():
        assert named.title_ko and named.description_ko, f"{named.name} has no Korean title or description"
        assert f'lang="ko">{escape(named.title_ko)}</a>' in body
        assert str(escape(named.description_ko)) in body


@pytest.mark.parametrize(
    ("accept_language", "query", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", "", "ko"),
        ("en-US,en;q=0.9", "", "en"),
        ("fr", "", "en"),
        ("ko", "?lang=en", "en"),
        ("en", "?lang=ko", "ko"),
    ],
)
def test_the_language_follows_lang_then_accept_language(client, accept_language, query, expected):
    response = client.get("/queries" + query, headers={**BROWSER, "Accept-Language": accept_language})
    assert f'<html lang="{expected}">' in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == expected
    assert "Accept-Language" in response.headers["Vary"]


def test_the_list_has_a_json_twin(client):
    response = client.get("/queries")
    assert '</queries.json>; rel="alternate"' in response.headers["Link"]
    twin = client.get("/queries.json").get_json()
    by_name = {entry["name"]: entry for entry in twin["queries"]}
    assert set(CATALOGUE) <= set(by_name)
    assert by_name["code-lookup"]["title"] == {"en": "Code lookup", "ko": "코드 조회"}
    assert by_name["code-lookup"]["parameters"][0]["default"] == "C64"


# ------------------------------------------------------------------------------------------
# /queries/<name>


def test_a_query_page_runs_with_the_values_typed_in_the_form(client):
    body = page(client, "/queries/code-lookup?code=9500/3")
    assert 'name="code" value="9500/3"' in body
    assert 'title="https://w3id.org/pedkg/neuroblastoma">pedkg:neuroblastoma</a>' in body
    assert '<span lang="ko">신경모세포종</span>' in body
    assert '<span lang="en">neuroblastoma</span>' in body
    assert "1 row" in body
    assert "Wilms" not in body


def test_a_query_page_without_values_runs_with_the_defaults(client):
    body = page(client, "/queries/code-lookup")
    assert 'name="code" value="C64"' in body
    assert "pedkg:wilms-tumor" in body


def test_a_query_page_shows_its_text_and_downloads_in_every_format(client):
    body = page(client, "/queries/code-lookup?code=9500/3")
    assert '<span class="sq-var">?code</span>' in body  # the text, highlighted
    for name in ("json", "xml", "csv", "tsv"):
        assert f'href="/queries/code-lookup?format={name}&amp;download=1&amp;code=9500/3"' in body


def test_open_in_the_editor_binds_the_values_in_a_values_clause(client):
    query = editor_query(page(client, "/queries/code-lookup?code=9500/3"))
    assert 'WHERE {\n  VALUES ?code { "9500/3" }\n  ?target skos:notation ?code .' in query
    assert query.replace('\n  VALUES ?code { "9500/3" }', "") == CATALOGUE["code-lookup"].text


@pytest.mark.parametrize(
    ("url", "headers", "media_type", "disposition"),
    [
        ("/queries/code-lookup.csv?code=9500/3", {}, "text/csv", None),
        ("/queries/code-lookup?code=9500/3&format=csv&download=1", {}, "text/csv", "code-lookup.csv"),
        ("/queries/code-lookup?code=9500/3", {"Accept": "text/csv"}, "text/csv", None),
        ("/queries/code-lookup.tsv?code=9500/3", {}, "text/tab-separated-values", None),
        ("/queries/code-lookup.json?code=9500/3", {}, "application/sparql-results+json", None),
        (
            "/queries/code-lookup?code=9500/3&format=json&download=1",
            {},
            "application/sparql-results+json",
            "code-lookup.srj",
        ),
        ("/queries/code-lookup.xml?code=9500/3", {}, "application/sparql-results+xml", None),
    ],
)
def test_the_same_url_gives_the_bound_result_as_data(client, url, headers, media_type, disposition):
    response = client.get(url, headers=headers)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, body
    assert response.mimetype == media_type
    assert "neuroblastoma" in body and "wilms" not in body
    if disposition:
        assert response.headers["Content-Disposition"] == f'attachment; filename="{disposition}"'
    else:
        assert "Content-Disposition" not in response.headers


def test_csv_of_a_query_is_its_table(client):
    response = client.get("/queries/tumours-by-icdo.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 11
    assert {"disease": "https://w3id.org/pedkg/neuroblastoma", "morphology": "9500/3"}.items() <= next(
        r for r in rows if r["morphology"] == "9500/3"
    ).items()


@pytest.mark.parametrize(
    "url", ["/queries/no-such-query", "/queries/no-such-query.csv", "/queries/code-lookup.bogus"]
)
def test_an_unknown_query_is_404_for_browsers_and_clients(client, url):
    body = page(client, url, status=404)
    assert "no-such-query" in body or "code-lookup.bogus" in body
    response = client.get(url, headers={"Accept": "text/csv"})
    assert response.status_code == 404
    assert response.mimetype == "text/plain"


def test_a_bad_parameter_value_is_a_400_with_its_message(client):
    body = page(client, "/queries/markup?n=many", status=400)
    assert 'role="alert"' in body
    assert "parameter n: &#39;many&#39; is not an integer" in body
    response = client.get("/queries/markup.csv?n=many")
    assert response.status_code == 400
    assert "is not an integer" in response.get_data(as_text=True)


def test_unknown_parameters_are_ignored(client):
    body = page(client, "/queries/code-lookup?code=9500/3&utm_source=mail")
    assert "pedkg:neuroblastoma" in body


def test_markup_in_a_query_title_text_and_result_is_escaped(client):
    for body in (page(client, "/queries"), page(client, "/queries/markup"), page(client, "/sparql")):
        assert "<script>alert" not in body
        assert "<b>description" not in body
    body = page(client, "/queries/markup")
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; &amp; co" in body
    assert "&lt;script&gt;alert(&#39;cell&#39;)&lt;/script&gt;" in body  # the result cell
    assert "how many &lt;i&gt;things&lt;/i&gt;" in body


def test_catalogue_pages_load_nothing_from_elsewhere(client):
    response = client.get("/queries/code-lookup", headers=BROWSER)
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


# ------------------------------------------------------------------------------------------
# /sparql for a browser without JavaScript


def test_the_editor_page_predeclares_prefixes_and_offers_the_examples(client):
    body = page(client, "/sparql")
    assert '<form class="query-form" method="get" action="/sparql">' in body
    assert "<dt>pko:</dt><dd><code>https://w3id.org/pedkg/ontology/</code></dd>" in body
    config = json.loads(re.search(r'id="editor-config">(.*?)</script>', body, re.S).group(1))
    assert config["prefixes"]["MONDO"] == "http://purl.obolibrary.org/obo/MONDO_"
    assert config["run"] is False
    for name in CATALOGUE:
        assert f'data-name="{name}"' in body
    assert '/static/vendor/yasgui/yasgui.min.js"' in body
    assert "default-src 'self'" in client.get("/sparql", headers=BROWSER).headers["Content-Security-Policy"]


def test_the_fallback_runs_a_query_and_shows_the_table(client):
    query = "PREFIX pko: <https://w3id.org/pedkg/ontology/>\nSELECT ?d ?l WHERE { ?d a pko:Disease ; <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?d"
    body = page(client, "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert '<table class="results">' in body
    assert '<span lang="ko">신경모세포종</span>' in body
    assert f">{escape(query)}</textarea>" in body
    assert editor_query(body, "permalink") == query
    for name in ("json", "xml", "csv", "tsv"):
        assert f"format={name}&amp;download=1" in body
    config = json.loads(re.search(r'id="editor-config">(.*?)</script>', body, re.S).group(1))
    assert config["run"] is True and config["query"] == query


def test_the_fallback_shows_graphs_and_their_formats(client):
    query = "CONSTRUCT { <https://w3id.org/pedkg/neuroblastoma> ?p ?o } WHERE { <https://w3id.org/pedkg/neuroblastoma> ?p ?o }"
    body = page(client, "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert '<pre class="turtle" tabindex="0">' in body
    for name in ("turtle", "ntriples", "jsonld", "rdfxml", "nquads", "trig"):
        assert f"format={name}&amp;download=1" in body


def test_the_fallback_shows_a_syntax_error_with_its_position(client):
    body = page(client, "/sparql?query=SELECT%20*%20WHERE%20%7B%20%3Fs%20", status=400)
    assert 'class="banner error" role="alert"' in body


def test_a_query_with_markup_is_escaped_in_the_editor_page(client):
    query = 'SELECT ("</textarea><script>alert(1)</script>" AS ?x) WHERE {}'
    body = page(client, "/sparql?" + urllib.parse.urlencode({"query": query}))
    assert "<script>alert(1)" not in body
    assert "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in body  # textarea and cell
    assert "\\u003c/textarea\\u003e\\u003cscript\\u003e" in body  # the editor's JSON config


def test_the_editor_page_in_korean(client):
    body = page(client, "/sparql", **{"Accept-Language": "ko"})
    assert '<html lang="ko">' in body
    assert "<h1>SPARQL 질의 편집기</h1>" in body
    assert '<button type="submit">실행</button>' in body
    assert 'lang="ko">코드 조회</a>' in body
    assert 'href="/sparql?lang=en" hreflang="en" lang="en">English</a>' in body


def test_the_editor_assets_are_served_from_this_server(client):
    for path, media_type in [
        ("/static/vendor/yasgui/yasgui.min.js", "text/javascript"),
        ("/static/vendor/yasgui/yasgui.min.css", "text/css"),
        ("/static/editor.js", "text/javascript"),
        ("/static/pedkg.css", "text/css"),
    ]:
        response = client.get(path)
        assert response.status_code == 200, f"{path}: run `make` to install the editor's assets"
        assert response.mimetype == media_type
        response.close()


# ------------------------------------------------------------------------------------------
# the real server (row limit 1000)


def get(url: str, accept: str) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=20) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_the_fallback_says_when_the_row_cap_cut_the_result(server):
    url = server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    status, _, body = get(url, BROWSER["Accept"])
    assert status == 200
    assert "only the first 1000 rows are shown" in body
    assert body.count("<tr>") == 1001  # the header and 1000 rows


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("code-lookup", {"code": "9500/3"}),
        ("code-lookup", {}),
        ("entities-missing-mapping", {"vocabulary": "DOID"}),
    ],
)
def test_the_editors_query_answers_as_the_catalogue_does(server, name, values):
    text = editor_text(CATALOGUE[name], values)
    _, _, through_editor = get(
        server.url + "/sparql?" + urllib.parse.urlencode({"query": text}), "application/json"
    )
    _, _, catalogue = get(
        server.url + f"/queries/{name}?" + urllib.parse.urlencode({**values, "format": "json"}), "*/*"
    )
    assert json.loads(through_editor) == json.loads(catalogue)
    assert json.loads(catalogue)["results"]["bindings"], catalogue


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT ?x WHERE { ?x ?p ?code }", 'SELECT ?x WHERE {\n  VALUES ?code { "a\\"b" } ?x ?p ?code }'),
        (
            "CONSTRUCT { ?x ?p ?code } WHERE { ?x ?p ?code }",
            'CONSTRUCT { ?x ?p ?code } WHERE {\n  VALUES ?code { "a\\"b" } ?x ?p ?code }',
        ),
        ("ASK { ?x ?p ?code }", 'ASK {\n  VALUES ?code { "a\\"b" } ?x ?p ?code }'),
        (
            '# WHERE { in a comment\nSELECT ("{" AS ?s) { ?x ?p ?code }',
            '# WHERE { in a comment\nSELECT ("{" AS ?s) {\n  VALUES ?code { "a\\"b" } ?x ?p ?code }',
        ),
    ],
)
def test_editor_text_opens_the_where_group_with_the_values(text, expected):
    named = queries.NamedQuery(
        "q", PROJECT_ROOT, "q", "", text, [queries.Param("code", "literal", "", "a code")]
    )
    assert editor_text(named, {"code": 'a"b'}) == expected
    assert editor_text(named, {}) == text  # an empty value stays unbound
