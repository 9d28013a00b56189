"""Hostile input never gets a 500 or a crash (issue 7 §1).

Two layers. In process, hypothesis draws requests for every route of the application's URL
map (each method it takes, plus one it does not) with hostile path segments, parameters,
headers and bodies: random text with lone surrogates and NUL, invalid UTF-8 as %FF%FE,
SPARQL fragments, deep nesting, repeated parameters. Every answer must be below 500, and a
4xx must say in words what was wrong. A route added later is drawn too, and the test fails
until ``PARAMETERS`` (and ``PATH_VALUES`` for a new path argument) say what it reads.
Huge values (several MB in the query string, a header, a body) are sent once per route.

On the real server (``pedkg serve`` under gunicorn), raw sockets send what the Flask test
client cannot: raw bytes and NUL in the request line and headers, a several-MB request line
and header, CR/LF tricks, bodies past ``PEDKG_MAX_REQUEST_BYTES`` with and without
Content-Length, chunked and truncated bodies. gunicorn's own 400/413/414/431 count as clear
refusals. After each layer the server still answers ``/healthz`` and a query.

CI runs hypothesis derandomized (``CI`` set), so a failure there is the same failure here.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from conftest import Server

MB = 1 << 20
FORM_TYPE = "application/x-www-form-urlencoded"
#: the methods every route is also tried with; any it does not take must be a 405
OTHER_METHODS = ("PUT", "DELETE", "PATCH")

HYPOTHESIS = settings(
    max_examples=int(os.environ.get("PEDKG_HOSTILE_EXAMPLES", "40")),
    deadline=None,
    database=None,  # a failure prints its example; nothing is kept between runs
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- values -----------------------------------------------------------------------------

#: any code point, lone surrogates included (sent as their UTF-8-like bytes: invalid UTF-8)
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
SPECIAL = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\ud800",
        "\udfff",
        "\ufffd",
        "\u2028",
        "\u202e",
        "%",
        "%zz",
        "%00",
        "%FF%FE",
        "&",
        "=",
        ";",
        "\\",
        "'",
        '"',
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "../../../../etc/passwd",
        "..%2f..%2fpyproject.toml",
        "//evil.example/",
        "http://127.0.0.1:9/",
        "file:///etc/passwd",
        "\r\nSet-Cookie: pwned=1",
        "{" * 10_000,
        "(" * 10_000,
        "[" * 10_000,
        "9" * 400,
        "-1",
        "0",
        "1e999",
        "NaN",
        "null",
        "[]",
        "{}",
        "신경모세포종",
        "ㅅ",
        "C64",
        "9500/3",
    ]
)
HOSTILE = st.one_of(ANY_TEXT, SPECIAL)

SPARQL_WORDS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o",
    "*", ".", ";", ",", "a", "<http://x/p>", "<", ">", "<>", '"', "'", "'''", '"a"@ko', '"1"^^<http://x/t>',
    "#", "\n", "FILTER", "BIND", "AS", "VALUES", "UNION", "OPTIONAL", "MINUS", "GRAPH", "FROM",
    "FROM NAMED <http://x/g>", "LIMIT 3", "OFFSET 2", "ORDER BY ?s", "DISTINCT", "COUNT(*)",
    "PREFIX x: <http://x/>", "x:y", "BASE <http://x/>", "SERVICE", "SERVICE <http://127.0.0.1:9/sparql>",
    "SILENT", "INSERT DATA", "DELETE WHERE", "LOAD <http://127.0.0.1:9/>", "DROP ALL", "!", "^", "|",
    "/", "+", "-", "1", "&&", "||", "REGEX(?o, '(a*)*b')", "STRLEN", "\\u0000", "\\", "\x00", "\ud800",
    "\ufeff", "%",
]  # fmt: skip
SPARQL = st.one_of(
    st.lists(st.sampled_from(SPARQL_WORDS), max_size=40).map(" ".join),
    st.sampled_from(
        [
            "SELECT * WHERE { ?s ?p ?o } LIMIT 5",
            "ASK { ?s ?p ?o }",
            "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5",
            "DESCRIBE <https://w3id.org/pedkg/neuroblastoma>",
            "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
            "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
            "SELECT * WHERE { ?s ?p " + "[ <http://x/p> " * 5_000 + "1" + " ]" * 5_000 + " }",
            "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
            "SELECT * WHERE { BIND('\\u0000' AS ?x) }",
        ]
    ),
    HOSTILE,
)
JSON_TEXT = st.one_of(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | ANY_TEXT,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
        max_leaves=12,
    ).map(lambda v: json.dumps(v, allow_nan=True)),
    st.sampled_from(
        [
            '{"q0": {"query": "neuroblastoma"}}',
            '{"q0": {"query": "leukemia", "type": "Disease", "limit": 3, "properties": [{"pid": "x", "v": 1}]}}',
            '{"queries": [{"query": "leukemia"}]}',
            '{"ids": ["neuroblastoma"], "properties": [{"id": "code"}]}',
            "[" * 100_000,
            '{"a":' * 50_000,
            '{"q0": {"query": "' + "x" * 10_000 + '"}}',
            json.dumps({f"q{n}": {"query": "a"} for n in range(500)}),
        ]
    ),
    HOSTILE,
)
NUMBER = st.one_of(st.integers(-(10**30), 10**30).map(str), st.sampled_from(["", "1.5", "0x10", " 3", "١٢"]))
NAMES = st.sampled_from(
    [
        "neuroblastoma", "leukemia", "ontology/Disease", "neuroblastoma.ttl", "neuroblastoma.jsonld",
        "leukemia.rdf", "x.nt", "code-lookup", "code-lookup.csv", "code-lookup.ttl", "pedkg.nq", "pedkg.ttl",
        "pedkg.css", "editor.js", "vendor/yasgui/yasgui.min.css", "entity", "type", "property",
    ]
)  # fmt: skip

#: what each parameter name is worth trying besides HOSTILE
VALUES = {
    "query": SPARQL,
    "update": SPARQL,
    "q": st.one_of(ANY_TEXT, NAMES, st.just("a" * 201)),
    "prefix": st.one_of(ANY_TEXT, NAMES, st.just("a" * 501)),
    "queries": JSON_TEXT,
    "extend": JSON_TEXT,
    "format": st.sampled_from(
        ["json", "xml", "csv", "tsv", "turtle", "ttl", "jsonld", "rdfxml", "html", "nq"]
    ),
    "lang": st.sampled_from(["en", "ko", "ko-KR", "EN", "x" * 36, "*"]),
    "limit": NUMBER,
    "page": NUMBER,
    "offset": NUMBER,
    "cursor": NUMBER,
    "callback": st.sampled_from(["cb", "jQuery1_2", "a.b.c", "alert(1)", "a" * 100, "</script>"]),
    "id": NAMES,
    "type": st.sampled_from(["Disease", "pko:Disease", "https://w3id.org/pedkg/ontology/Disease", "nope"]),
    "group": st.sampled_from(["outgoing", "incoming", "instances", "x"]),
    "default-graph-uri": st.sampled_from(["https://w3id.org/pedkg/graph/division", "not an iri", "<>"]),
    "named-graph-uri": st.sampled_from(["https://w3id.org/pedkg/graph/division", "not an iri", "<>"]),
    "layout": st.sampled_from(["narrow", "wide"]),
    "download": st.sampled_from(["1", "true"]),
    "code": st.sampled_from(["C64", "9500/3", "C40.1"]),
    "vocabulary": st.sampled_from(["MONDO", "ICD-10", "mondo"]),
    "iri": st.sampled_from(
        [
            "http://purl.obolibrary.org/obo/MONDO_0005072",
            "https://icd.who.int/browse10/2019/en#/C64",
            "https://w3id.org/pedkg/neuroblastoma",
            "https://w3id.org/pedkg/",
            "https://w3id.org/pedkg/x.ttl",
            "javascript:alert(1)",
            "urn:x",
            "relative/path",
            "http://x/<script>",
            "",
            "http:",
            "a:b:c",
        ]
    ),
}

#: the parameters each route reads (its endpoint's name); a route missing here fails the test
PARAMETERS: dict[str, tuple[str, ...]] = {
    "static": (),
    "catalogue.index": ("lang",),
    "catalogue.index_json": (),
    "catalogue.query": ("format", "download", "lang", "code", "vocabulary"),  # + every named query's
    "entities.resource": ("format", "group", "page", "lang"),
    "resource.page": ("iri", "format", "group", "page", "lang"),
    "health.healthz": (),
    "health.readyz": (),
    "sparql.endpoint": (
        "query",
        "update",
        "default-graph-uri",
        "named-graph-uri",
        "format",
        "download",
        "lang",
    ),
    "search.api": ("q", "lang", "type", "limit"),
    "search.page": ("q", "lang", "type", "limit"),
    "home.index": ("lang",),
    "home.svg": ("lang", "layout"),
    "ontology.index": ("lang",),
    "dataset.void": ("format", "lang"),
    "dataset.dumps": (),
    "dataset.sitemap": (),
    "reconcile.service": ("queries", "extend", "callback", "lang"),
    "reconcile.properties": ("type", "limit", "callback", "lang"),
    "reconcile.manifest_v1": ("lang",),
    "reconcile.match_v1": ("lang",),
    "reconcile.suggest": ("prefix", "cursor", "offset", "limit", "type", "callback", "lang"),
    "reconcile.preview": ("id", "lang"),
    "mappings.page": ("vocabulary", "justification", "source", "lang"),
    "mappings.export": (),
}
#: values for the path arguments of the routes (``<path:name>`` and the like)
PATH_VALUES = {"name": NAMES, "filename": NAMES, "kind": NAMES}

MEDIA = [
    "text/html", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/ld+json", "application/n-triples",
    "application/rdf+xml", "application/json", "text/plain", "*/*", "text/*", "image/png", "",
]  # fmt: skip
LATIN1 = st.text(st.characters(max_codepoint=255, exclude_characters="\r\n"), max_size=80)
ACCEPT = st.one_of(
    st.lists(
        st.tuples(
            st.sampled_from(MEDIA),
            st.sampled_from(["", ";q=0", ";q=0.5", ";q=1", ";q=nan", ";q=-1", ";q=9e99"]),
        ),
        max_size=5,
    ).map(lambda parts: ", ".join(m + q for m, q in parts)),
    LATIN1,
)
ACCEPT_LANGUAGE = st.one_of(
    st.sampled_from(["ko", "ko-KR,ko;q=0.9,en;q=0.8", "en;q=0", "*", "x-klingon", ";q=1", ",,,", "ko;q=nan"]),
    LATIN1,
)
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin-1",
    "application/sparql-query", "application/sparql-update", "application/json",
    "multipart/form-data; boundary=x", "multipart/form-data", "text/plain", "text/turtle", "",
]  # fmt: skip
HEADERS = st.fixed_dictionaries(
    {},
    optional={
        "Accept": ACCEPT,
        "Accept-Language": ACCEPT_LANGUAGE,
        "Cache-Control": st.sampled_from(["no-cache", "no-store", "max-age=0", "max-age=-1", "private, ,,"]),
        "If-None-Match": st.one_of(st.sampled_from(['"x"', "*", 'W/"x"', '"']), LATIN1),
        "If-Modified-Since": st.one_of(st.sampled_from(["Thu, 01 Jan 2099 00:00:00 GMT", "0"]), LATIN1),
        "Origin": st.sampled_from(["https://evil.example", "null"]),
        "Authorization": st.sampled_from(["Bearer x", "Basic \x00", ""]),
        "Cookie": LATIN1,
        "Range": st.sampled_from(["bytes=0-10", "bytes=-1", "bytes=99999999999-"]),
        "X-Forwarded-For": LATIN1,
    },
)


def encoded(value: str | bytes, safe: str = "") -> str:
    """A value percent-encoded as its bytes; lone surrogates become invalid UTF-8 (%ED%A0%80)."""
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")
    return quote(raw, safe=safe)


@dataclass
class Attempt:
    method: str
    path: str
    query_string: str
    headers: dict[str, str]
    body: bytes | None = None
    content_type: str | None = None

    def __str__(self) -> str:
        body = "" if self.body is None else f" body[{self.content_type!r}]={self.body[:300]!r}"
        return f"{self.method} {self.path[:300]}?{self.query_string[:600]} {self.headers!r:.600}{body}"


# --- the application's routes ---------------------------------------------------------


def public_rules(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule)


def names_read(app: Flask, rule: Rule) -> tuple[str, ...]:
    names = PARAMETERS[rule.endpoint]
    if rule.endpoint == "catalogue.query":  # every named query's own parameters too
        catalogue = app.extensions["pedkg"].catalogue
        names += tuple(p.name for q in catalogue.values() for p in q.params)
    return names


def path_of(rule: Rule, draw: st.DrawFn) -> str:
    def value(match: re.Match[str]) -> str:
        raw = draw(st.one_of(PATH_VALUES[match.group(1)], HOSTILE, st.binary(max_size=12)))
        return encoded(raw, safe=draw(st.sampled_from(["", "/", "/%"])))

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", value, rule.rule)


@st.composite
def attempts(draw: st.DrawFn, app: Flask, rule: Rule) -> Attempt:
    names = names_read(app, rule)
    known = st.sampled_from(names) if names else HOSTILE
    # mostly the names the route reads (three in four), so most requests reach its code
    pairs = draw(st.lists(st.one_of(known, known, known, HOSTILE), max_size=6))
    query = []
    for name in pairs:  # the same name may come twice: repeated parameters
        fitting = VALUES.get(name, HOSTILE)
        value = draw(st.one_of(fitting, fitting, HOSTILE, st.binary(max_size=12)))
        query.append(f"{encoded(name)}={encoded(value)}")
    query.append(draw(st.sampled_from(["", "", "&", "%", "%zz", "&&=&", "=x", "a=%ED%A0%80", "q=%FF%FE"])))
    own = sorted(rule.methods or ())
    method = draw(st.sampled_from(own * 4 + list(OTHER_METHODS)))  # mostly a method the route takes
    attempt = Attempt(method, path_of(rule, draw), "&".join(query), draw(HEADERS))
    if attempt.method in ("POST", "PUT", "PATCH"):
        attempt.content_type = draw(st.one_of(st.sampled_from(CONTENT_TYPES), LATIN1))
        form = "&".join(f"{encoded(n)}={encoded(draw(VALUES.get(n, HOSTILE)))}" for n in names[:3])
        attempt.body = draw(
            st.one_of(
                st.just(form.encode()),
                SPARQL.map(lambda text: text.encode("utf-8", "surrogatepass")),
                JSON_TEXT.map(lambda text: text.encode("utf-8", "surrogatepass")),
                st.binary(max_size=200),
                st.just(b'--x\r\nContent-Disposition: form-data; name="queries"\r\n\r\n{\r\n--x--\r\n'),
            )
        )
    return attempt


def send(app: Flask, attempt: Attempt) -> tuple[int, str, bytes]:
    response = app.test_client().open(
        attempt.path,
        method=attempt.method,
        query_string=attempt.query_string,
        headers=attempt.headers,
        data=attempt.body,
        content_type=attempt.content_type,
    )
    try:
        return response.status_code, response.mimetype, response.get_data()
    finally:
        response.close()


def judge(attempt: Attempt, status: int, body: bytes) -> None:
    """Below 500 always; a 4xx says in words what was wrong (HEAD answers carry no body)."""
    text = body.decode("utf-8", "replace")
    assert status < 500, f"{attempt}\n-> {status}\n{text[:3000]}"
    if status >= 400 and attempt.method != "HEAD":
        words = re.sub(r"<[^>]*>", " ", text).split()  # an HTML error page: its words
        assert len(words) >= 3, f"{attempt}\n-> {status} without a message: {text[:1000]!r}"
        assert "Traceback" not in text, f"{attempt}\n-> {status} shows a traceback"


def assert_healthy(app: Flask) -> None:
    client = app.test_client()
    health = client.get("/healthz", headers={"Cache-Control": "no-cache"})
    assert health.status_code == 200, health.get_data(as_text=True)
    answer = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200 and answer.get_data(as_text=True).split() == ["true"]


# --- in process: every route, drawn by hypothesis -----------------------------------------


def test_every_route_has_a_strategy(app: Flask) -> None:
    """A route added later must say what it reads before the hostile tests can cover it."""
    missing = {rule.endpoint for rule in public_rules(app)} - set(PARAMETERS)
    assert not missing, f"add these endpoints to PARAMETERS in {__file__}: {sorted(missing)}"
    arguments = {
        arg for rule in public_rules(app) for arg in re.findall(r"<(?:[^:<>]+:)?([^<>]+)>", rule.rule)
    }
    assert arguments <= set(PATH_VALUES), f"add path arguments to PATH_VALUES: {arguments - set(PATH_VALUES)}"


@pytest.fixture(scope="module")
def rules(app: Flask) -> list[Rule]:
    return public_rules(app)


@pytest.mark.parametrize("endpoint", sorted(PARAMETERS))
def test_hostile_requests(endpoint: str, app: Flask, rules: list[Rule]) -> None:
    """Each route, several dozen hostile requests: never a 5xx, every 4xx explained."""
    for rule in [rule for rule in rules if rule.endpoint == endpoint]:

        @HYPOTHESIS
        @given(attempt=attempts(app, rule))
        def route_survives(attempt: Attempt) -> None:
            status, _, body = send(app, attempt)
            judge(attempt, status, body)

        route_survives()
    assert_healthy(app)


DEEP = [
    ("braces", "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000),
    ("parentheses", "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }"),
    ("brackets", "SELECT * WHERE { ?s ?p " + "[ <http://x/p> " * 10_000 + "1" + " ]" * 10_000 + " }"),
    ("negations", "SELECT * WHERE { FILTER(" + "!" * 10_000 + "true) }"),
    ("sums", "SELECT * WHERE { FILTER(1" + " + 1" * 50_000 + ") }"),
    ("disjunctions", "SELECT * WHERE { FILTER(true" + " || true" * 50_000 + ") }"),
    ("unions", "SELECT * WHERE { {}" + " UNION {}" * 50_000 + " }"),
    ("triple patterns", "SELECT * WHERE { ?s ?p ?o" + " . ?s ?p ?o" * 20_000 + " }"),
    ("property path", "SELECT * WHERE { ?s <http://x/p>" + "/<http://x/p>" * 20_000 + " ?o }"),
    ("hidden brackets", "SELECT * WHERE { FILTER('" + "{" * 300 + "' != '') " + "{}" * 30_000 + " }"),
    ("hidden service", "# service\nSELECT * WHERE { {}" + " UNION {}" * 30_000 + " }"),
]


@pytest.mark.parametrize("query", [q for _, q in DEEP], ids=[name for name, _ in DEEP])
def test_deep_and_long_queries_are_refused_or_answered(app: Flask, query: str) -> None:
    """Deep nesting and very long chains: refused with 400 or answered, quickly, and nothing breaks."""
    for method in ("GET", "POST"):
        attempt = Attempt(method, "/sparql", "", {"Accept": "text/csv"})
        if method == "GET":
            attempt.query_string = "query=" + encoded(query)
        else:
            attempt.body, attempt.content_type = query.encode(), "application/sparql-query"
        started = time.monotonic()
        status, _, body = send(app, attempt)
        judge(attempt, status, body)
        assert time.monotonic() - started < 20, f"{attempt}\n-> took {time.monotonic() - started:.0f} s"
        assert b"engine stopped" not in body, f"{attempt}\n-> the query process crashed: {body!r}"
    assert_healthy(app)


def test_long_legitimate_queries_are_still_answered(app: Flask) -> None:
    """The bounds above refuse chains, not size: a 5,000-row VALUES block (signed decimals, typed
    literals) and 500 FILTERs of a few operators each still run."""
    rows = " ".join(f'(-{n}.5 "{n}"^^<http://www.w3.org/2001/XMLSchema#string>)' for n in range(5000))
    filters = " ".join(f"FILTER(?n != -{n}.5 && ?n != {n} || !BOUND(?n))" for n in range(500))
    for query in (
        f"SELECT (COUNT(*) AS ?c) WHERE {{ VALUES (?n ?s) {{ {rows} }} }}",
        f"SELECT (COUNT(*) AS ?c) WHERE {{ VALUES ?n {{ 1.5 2.5 }} {filters} }}",
    ):
        attempt = Attempt(
            "POST", "/sparql", "", {"Accept": "text/csv"}, query.encode(), "application/sparql-query"
        )
        status, _, body = send(app, attempt)
        assert status == 200, f"{attempt}\n-> {status} {body[:500]!r}"


HUGE = 4 * MB
#: routes that also get a million-byte Accept, Accept-Language and run of repeated parameters
#: (werkzeug parses those in seconds; gunicorn stops them at 8 kB before the application)
HEAVY_ROUTES = ("/sparql", "/search", "/reconcile")


def test_huge_values_on_every_route(app: Flask, rules: list[Rule]) -> None:
    """Several MB in the query string, in a header and in the body, once on each route."""
    for rule in rules:
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", "neuroblastoma", rule.rule)
        names = names_read(app, rule) or ("x",)
        methods = [m for m in ("GET", "POST") if m in (rule.methods or ())]
        for method in methods:
            big = "x" * HUGE
            tries = [
                Attempt(method, path, f"{names[0]}={big}", {}),
                Attempt(method, path, "", {"X-Padding": big}),
            ]
            if rule.rule in HEAVY_ROUTES:
                tries += [
                    Attempt(method, path, "&".join(f"{names[0]}=a" for _ in range(MB // 8)), {}),
                    Attempt(method, path, "", {"Accept": "text/html," * (MB // 10)}),
                    Attempt(method, path, "", {"Accept-Language": "ko;q=0.5," * (MB // 10)}),
                ]
            if method == "POST":
                for content_type in (
                    "application/x-www-form-urlencoded",
                    "application/sparql-query",
                    "application/json",
                ):
                    tries.append(Attempt(method, path, "", {}, f"{names[0]}={big}".encode(), content_type))
                chunked = Attempt(method, path, "", {"Transfer-Encoding": "chunked"}, big.encode(), FORM_TYPE)
                tries.append(chunked)
            for attempt in tries:
                status, _, body = send(app, attempt)
                judge(attempt, status, body)
                if attempt.body is not None and len(attempt.body) > HUGE // 2:
                    assert status in (413, 415), f"{attempt}\n-> {status}, not refused: {body[:300]!r}"
    assert_healthy(app)


# --- the real server: bytes only a socket can send ----------------------------------------


@dataclass
class Answer:
    status: int  # 0: the server closed the connection without an answer
    head: str
    body: bytes

    def __str__(self) -> str:
        return f"{self.status} {self.head[:600]}\n{self.body[:600]!r}"


def exchange(port: int, *parts: bytes, pause: float = 0.0, timeout: float = 20) -> Answer:
    """Send ``parts`` (pausing between them), then read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as conn:
        try:
            for n, part in enumerate(parts):
                if n and pause:
                    time.sleep(pause)
                conn.sendall(part)
            conn.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed before reading it all: read what it said
        received = b""
        try:
            while chunk := conn.recv(65536):
                received += chunk
        except OSError:  # reset after the answer, or a timeout: what arrived is the answer
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    match = re.match(rb"HTTP/1\.[01] (\d{3})", head)
    return Answer(int(match.group(1)) if match else 0, head.decode("latin-1"), body)


def request(target: bytes, *headers: bytes, method: bytes = b"GET", body: bytes = b"") -> bytes:
    lines = [method + b" " + target + b" HTTP/1.1", b"Host: 127.0.0.1", b"Connection: close", *headers]
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


def post(target: bytes, *headers: bytes, body: bytes = b"") -> bytes:
    return request(target, *headers, method=b"POST", body=body)


ASK = b"/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
FORM = b"Content-Type: application/x-www-form-urlencoded"
DIRECT = b"Content-Type: application/sparql-query"
BIG_BODY = 3 * MB  # past PEDKG_MAX_REQUEST_BYTES (1 MB)
CHUNK = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"


@dataclass(frozen=True)
class Raw:
    name: str
    parts: tuple[bytes, ...]
    allowed: tuple[int, ...]  # 0: the connection closed without an answer


RAW_CASES = [
    Raw("invalid UTF-8 in the query (%FF%FE)", (request(b"/sparql?query=%FF%FE"),), (400,)),
    Raw("raw bytes FF FE in the request line", (request(b"/id/\xff\xfe"),), (400, 404)),
    Raw("NUL in the request line", (request(b"/id/a\x00b"),), (400,)),
    Raw("percent-encoded NUL in the path", (request(b"/id/a%00b"),), (404,)),
    Raw("percent-encoded NUL in the query", (request(b"/sparql?query=ASK%00%7B%7D"),), (400,)),
    Raw("NUL in a header value", (request(ASK, b"Accept: text/csv\x00x"),), (400,)),
    Raw("raw bytes FF FE in a header value", (request(ASK, b"Accept-Language: \xff\xfe"),), (200,)),
    Raw("lone surrogate in the query (%ED%A0%80)", (request(b"/search?q=%ED%A0%80"),), (200,)),
    Raw("CR alone inside a header", (request(ASK, b"Accept: text/csv\rX-Injected: 1"),), (400,)),
    Raw("bare LF between headers", (request(ASK, b"Accept: text/csv\nX-Injected: 1"),), (400,)),
    Raw("obsolete line folding", (request(ASK, b"Accept: text/csv", b" X-Folded: 1"),), (400,)),
    Raw("space before the colon", (request(ASK, b"Accept : text/csv"),), (400,)),
    Raw(
        "CR LF encoded in a path that is echoed in headers",
        (request(b"/id/x%0D%0ASet-Cookie:%20a=b"),),
        (404,),
    ),
    Raw("several-MB request line", (request(b"/sparql?query=" + b"x" * (4 * MB)),), (414, 400)),
    Raw("request line just past the bound", (request(b"/search?q=" + b"x" * 8200),), (414, 400)),
    Raw("several-MB header", (request(ASK, b"Accept: " + b"x" * (4 * MB)),), (431, 400)),
    Raw("a thousand headers", (request(ASK, *[b"X-%d: 1" % n for n in range(1000)]),), (431, 400)),
    Raw("no Host in HTTP/1.1", (b"GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n",), (200, 400)),
    Raw("unknown HTTP version", (b"GET /healthz HTTP/9.9\r\n\r\n",), (400, 505)),
    Raw("not HTTP at all", (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,), (400, 0)),
    Raw("method with a NUL", (request(ASK, method=b"G\x00ET"),), (400,)),
    Raw("unknown method", (request(ASK, method=b"BREW"),), (405,)),
    Raw(
        "body past the limit with Content-Length",
        (post(b"/sparql", DIRECT, b"Content-Length: %d" % BIG_BODY, body=b"x" * BIG_BODY),),
        (413,),
    ),
    Raw(
        "form body past the limit with Content-Length",
        (post(b"/reconcile", FORM, b"Content-Length: %d" % BIG_BODY, body=b"q=" + b"x" * BIG_BODY),),
        (413,),
    ),
    Raw(
        "Content-Length of 10 GB, little sent",
        (post(b"/sparql", DIRECT, b"Content-Length: 10000000000", body=b"ASK {}"),),
        (413,),
    ),
    Raw(
        "body past the limit, chunked (no Content-Length)",
        (
            post(
                b"/sparql",
                DIRECT,
                b"Transfer-Encoding: chunked",
                body=CHUNK * (BIG_BODY // 65536) + b"0\r\n\r\n",
            ),
        ),
        (413,),
    ),
    Raw(
        "a small chunked query",
        (
            post(
                b"/sparql",
                DIRECT,
                b"Accept: text/csv",
                b"Transfer-Encoding: chunked",
                body=b"6\r\nASK {}\r\n0\r\n\r\n",
            ),
        ),
        (200,),
    ),
    Raw(
        "chunk size that is not hex",
        (post(b"/sparql", DIRECT, b"Transfer-Encoding: chunked", body=b"zz\r\nASK {}\r\n0\r\n\r\n"),),
        (400,),
    ),
    Raw(
        "Content-Length and chunked together (smuggling)",
        (
            post(
                b"/sparql",
                DIRECT,
                b"Content-Length: 6",
                b"Transfer-Encoding: chunked",
                body=b"6\r\nASK {}\r\n0\r\n\r\n",
            ),
        ),
        (400,),
    ),
    Raw(
        "negative Content-Length", (post(b"/sparql", DIRECT, b"Content-Length: -5", body=b"ASK {}"),), (400,)
    ),
    Raw(
        "two different Content-Lengths",
        (post(b"/sparql", DIRECT, b"Content-Length: 6", b"Content-Length: 7", body=b"ASK {}"),),
        (400,),
    ),
    Raw(
        "unknown transfer coding",
        (post(b"/sparql", DIRECT, b"Transfer-Encoding: gzip", body=b"x"),),
        (400, 501),
    ),
    Raw(
        "truncated body (Content-Length 1000, 10 bytes, then EOF)",
        (post(b"/sparql", DIRECT, b"Content-Length: 1000", body=b"ASK { ?s ?p"),),
        (400,),
    ),
    Raw(
        "slow body (two pieces a second apart)",
        (post(b"/sparql", DIRECT, b"Accept: text/csv", b"Content-Length: 16") + b"ASK { ?s ?p ?o", b" }"),
        (200, 400),
    ),
    Raw(
        "truncated chunked body",
        (post(b"/sparql", DIRECT, b"Transfer-Encoding: chunked", body=b"100\r\nASK"),),
        (400, 0),
    ),
]


@pytest.mark.parametrize("case", RAW_CASES, ids=[case.name for case in RAW_CASES])
def test_raw_hostile_bytes_on_the_real_server(case: Raw, server: Server) -> None:
    answer = exchange(server.port, *case.parts, pause=1.0 if len(case.parts) > 1 else 0.0)
    assert answer.status in case.allowed, f"{case.name}: {answer}"
    if answer.status >= 400:
        assert re.sub(rb"\s", b"", answer.body), f"{case.name}: a {answer.status} without a message"
    assert "set-cookie" not in answer.head.lower(), f"{case.name}: a header was injected\n{answer}"
    assert_server_healthy(server)


def assert_server_healthy(server: Server) -> None:
    health = exchange(server.port, request(b"/healthz", b"Cache-Control: no-cache"))
    assert health.status == 200, f"/healthz after the hostile request: {health}\n{server.output()[-3000:]}"
    answer = exchange(server.port, request(ASK, b"Accept: text/csv", b"Cache-Control: no-cache"))
    assert answer.status == 200 and answer.body.split() == [b"true"], str(answer)
