"""One rule for request bodies on every route that reads one (issue 16, rule 3).

``/sparql``, ``/update``, ``/store`` and ``/reconcile`` (0.2 and the 1.0 draft's ``/match``)
read request bodies. On each, a body labelled with a charset that is not UTF-8 is a 415
that names the charset, a body whose bytes (or a form's percent-escapes) are not UTF-8 is
a 400 that says so, nothing is ever a 500, and a refusal leaves the store as it was.

Hypothesis draws bodies over a real ``pedkg serve`` (with an admin token, so the write
routes exist): a content type (each route's own and every other route's, unknown ones,
none), a charset label (UTF-8 spelled three ways, Latin-1, UTF-16, EUC-KR, an unknown
name, none) and bytes (a body the route would take, or free text, encoded as UTF-8,
UTF-16, Latin-1 or EUC-KR, cut in the middle of a character, with a 0xFF or a lone
surrogate in it, or arbitrary bytes; forms with their values percent-escaped in another
charset; multipart fields with their own labels). After each refusal the store on disk
(its quad count and a hash of its sorted N-Quads, read again whenever a write has moved
the store link to a new version) must be the store before it. The named cases pin the
inputs the issue names, route by route; and a UTF-8 body of every kind each route reads
(labelled or not) must still be taken, with what it wrote holding the text as sent.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pedkg.config import Settings
from pedkg.ingest.build import build
from pedkg.store.embedded import GraphStore

from conftest import Server
from raw_http import Reply, send

TOKEN = "bodies-token-for-tests"
GRAPH = "https://example.org/request-bodies"
SUBJECT = "https://example.org/request-bodies/s"
PREDICATE = "https://example.org/request-bodies/p"
BOUNDARY = "pedkgBodyBoundary7MA4YWxk"

QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data"
JSON = "application/json"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"
#: every content type drawn, for every route: the ones some route reads, others, and none
MEDIA_TYPES = (
    QUERY_BODY,
    UPDATE_BODY,
    FORM,
    MULTIPART,
    JSON,
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    "text/plain",
    "application/octet-stream",
    "nonsense",
    None,
)
#: charset labels and whether each names UTF-8 (None: no label)
LABELS = {
    None: True,
    "utf-8": True,
    "UTF-8": True,
    '"utf-8"': True,  # a quoted parameter value is the same value (RFC 9110 §5.6.6)
    "latin-1": False,
    "ISO-8859-1": False,
    "utf-16": False,
    "euc-kr": False,
    "bogus": False,
}
UTF8_LABELS = st.sampled_from([label for label, utf8 in LABELS.items() if utf8])
OTHER_LABELS = st.sampled_from([label for label, utf8 in LABELS.items() if not utf8])
#: how text becomes bytes: (name, encode)
ENCODINGS: dict[str, Callable[[str], bytes]] = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-16": lambda text: text.encode("utf-16"),  # with its byte-order mark
    "utf-16-le": lambda text: text.encode("utf-16-le"),  # ASCII becomes ASCII and NUL: valid UTF-8
    "latin-1": lambda text: text.encode("latin-1", errors="replace"),
    "euc-kr": lambda text: text.encode("euc-kr", errors="replace"),
    "utf-8 cut mid-character": lambda text: (text + "한").encode("utf-8")[:-1],
    "utf-8 with 0xFF": lambda text: text.encode("utf-8") + b"\xff" + text.encode("utf-8"),
    "utf-8 with a lone surrogate": lambda text: (text + "\ud800").encode("utf-8", "surrogatepass"),
}
#: what a form value's percent-escapes are made of
ESCAPES: dict[str, Callable[[str], str]] = {
    "utf-8": lambda text: quote(text, safe="", encoding="utf-8"),
    "latin-1": lambda text: quote(text, safe="", encoding="latin-1", errors="replace"),
    "euc-kr": lambda text: quote(text, safe="", encoding="euc-kr", errors="replace"),
    "utf-8 with %FF": lambda text: quote(text, safe="") + "%FF",
    "utf-8 cut mid-character": lambda text: quote(text, safe="") + "%C3",
    "utf-8 with %E9 (latin-1 é)": lambda text: "caf%E9" + quote(text, safe=""),
}

# --- the routes ---------------------------------------------------------------------------

#: text that fits inside a SPARQL or Turtle string, JSON and a form value
FIT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters='"\\<>{}&%'),
    max_size=16,
)
TEXT = st.builds(
    lambda text, tail: text + tail, FIT, st.sampled_from(["", "é", "ß", "신경모세포종", "😀", "ア"])
)


def _quads(text: str) -> str:
    return f'<{SUBJECT}> <{PREDICATE}> "{text}" .'


@dataclass(frozen=True)
class Route:
    """A body-reading route: how to send to it, what it reads, and a body of each it would take."""

    name: str
    method: str
    path: str
    reads: frozenset[str]  # the media types whose body the route decodes
    texts: dict[str, Callable[[str], str]] = field(default_factory=dict)  # media type -> body text
    forms: dict[str, Callable[[str], list[tuple[str, str]]]] = field(default_factory=dict)
    token: bool = False
    #: types the route may also take, beside ``reads`` (the graph store reads JSON as JSON-LD and
    #: text/plain as N-Triples today); the drawn test asks only that a body the rule refuses is not taken
    also: frozenset[str] = frozenset()


def _ask(text: str) -> str:
    return f'ASK {{ ?s ?p "{text}" }}'


def _insert(text: str) -> str:
    return f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {_quads(text)} }} }}"


def _json_ld(text: str) -> str:
    return json.dumps({"@id": SUBJECT, PREDICATE: text}, ensure_ascii=False)


def _rdf_xml(text: str) -> str:
    return (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:x="https://example.org/request-bodies/">'
        f'<rdf:Description rdf:about="{SUBJECT}"><x:p>{text}</x:p></rdf:Description></rdf:RDF>'
    )


def _batch(text: str) -> list[tuple[str, str]]:
    return [("queries", json.dumps({"q0": {"query": text or "x"}}, ensure_ascii=False))]


def _batch_v1(text: str) -> str:
    condition = {"matchType": "name", "propertyValue": text or "x"}
    return json.dumps({"queries": [{"conditions": [condition]}]}, ensure_ascii=False)


GRAPH_TEXTS = {TURTLE: _quads, N_TRIPLES: _quads, JSON_LD: _json_ld, RDF_XML: _rdf_xml}
MORE_GRAPHS = frozenset({JSON, "text/plain"})
ROUTES = {
    route.name: route
    for route in (
        Route(
            "POST /sparql",
            "POST",
            "/sparql",
            frozenset({QUERY_BODY, FORM}),
            {QUERY_BODY: _ask},
            {FORM: lambda text: [("query", _ask(text))]},
        ),
        Route(
            "POST /update",
            "POST",
            "/update",
            frozenset({UPDATE_BODY, FORM}),
            {UPDATE_BODY: _insert},
            {FORM: lambda text: [("update", _insert(text))]},
            token=True,
        ),
        *(
            Route(
                f"{method} /store",
                method,
                f"/store?graph={GRAPH}",
                frozenset(GRAPH_TEXTS),
                GRAPH_TEXTS,
                token=True,
                also=MORE_GRAPHS,
            )
            for method in ("PUT", "POST")
        ),
        Route(
            "POST /reconcile",
            "POST",
            "/reconcile",
            frozenset({FORM, MULTIPART}),
            forms={FORM: _batch, MULTIPART: _batch},
        ),
        Route(
            "POST /reconcile/1.0-draft/match",
            "POST",
            "/reconcile/1.0-draft/match",
            frozenset({JSON}),
            {JSON: _batch_v1},
        ),
    )
}

# --- a request and what the rule says of it ------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One field of a multipart body, with the label of its own ``Content-Type``."""

    name: str
    value: bytes
    label: str | None = None


@dataclass(frozen=True)
class Case:
    route: str
    media: str | None
    label: str | None
    body: bytes
    how: str  # how the body was made, for the failure message
    parts: tuple[Part, ...] | None = None  # a multipart body made of these fields

    @property
    def content_type(self) -> str | None:
        if self.media is None:
            return None
        media = f"{self.media}; boundary={BOUNDARY}" if self.media == MULTIPART else self.media
        return media if self.label is None else f"{media}; charset={self.label}"

    def expected(self) -> str:
        """``charset`` (415), ``bytes`` (400), ``refused`` (some 4xx) or ``free`` (anything below 500)."""
        route = ROUTES[self.route]
        if self.media in route.reads:
            return self._by_the_rule()
        if self.media in route.also:  # taken or not, but never when the rule refuses it
            return "free" if self._by_the_rule() == "free" else "refused"
        return "refused"  # a type the route does not take is refused, whatever its body

    def _by_the_rule(self) -> str:
        if not LABELS[self.label]:
            return "charset"
        if self.media == MULTIPART:
            return _multipart_expected(self.parts)
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            return "bytes"
        if self.media == FORM:
            try:
                parse_qs(text, keep_blank_values=True, errors="strict")
            except UnicodeDecodeError:
                return "bytes"
        return "free"


def _multipart_expected(parts: tuple[Part, ...] | None) -> str:
    if parts is None:
        return "refused"  # bytes that are not a multipart body: malformed, some 400
    for part in parts:
        if not LABELS[part.label]:
            return "charset"
        try:
            part.value.decode("utf-8")
        except UnicodeDecodeError:
            return "bytes"
    return "free"


def multipart(parts: tuple[Part, ...]) -> bytes:
    out = b""
    for part in parts:
        out += f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{part.name}"\r\n'.encode()
        if part.label is not None:
            out += f"Content-Type: text/plain; charset={part.label}\r\n".encode()
        out += b"\r\n" + part.value + b"\r\n"
    return out + f"--{BOUNDARY}--\r\n".encode()


@st.composite
def cases(draw: st.DrawFn, route: Route) -> Case:
    own = sorted(route.reads) * (2 * len(MEDIA_TYPES) // len(route.reads))
    media = draw(st.sampled_from([*own, *MEDIA_TYPES]))  # two times in three, a type the route reads
    label = None if media is None else draw(st.one_of(UTF8_LABELS, OTHER_LABELS))
    text = draw(TEXT)
    kind = draw(st.sampled_from(["made", "free text", "any bytes"]))
    if kind == "any bytes":
        body = draw(st.binary(max_size=64))
        return Case(route.name, media, label, body, f"bytes {body!r}")
    if media in route.forms and kind == "made":
        fields = route.forms[media](text)
        escape = draw(st.sampled_from(list(ESCAPES)))
        if media == MULTIPART:
            encoding = draw(st.sampled_from(list(ENCODINGS)))
            part_label = draw(st.one_of(UTF8_LABELS, OTHER_LABELS))
            parts = tuple(Part(name, ENCODINGS[encoding](value), part_label) for name, value in fields)
            how = f"multipart fields {fields!r} as {encoding}, labelled {part_label}"
            return Case(route.name, media, label, multipart(parts), how, parts)
        form = "&".join(f"{name}={ESCAPES[escape](value)}" for name, value in fields)
        encoding = draw(st.sampled_from(list(ENCODINGS)))
        return Case(route.name, media, label, ENCODINGS[encoding](form), f"form {form!r} as {encoding}")
    source = route.texts[media](text) if media in route.texts and kind == "made" else text
    encoding = draw(st.sampled_from(list(ENCODINGS)))
    return Case(route.name, media, label, ENCODINGS[encoding](source), f"{source!r} as {encoding}")


# --- the server and its store ------------------------------------------------------------------


@dataclass
class Site:
    server: Server
    store: Path  # the store link
    version: Path  # the version it points to
    state: tuple[int, str]  # that version's quad count and content hash

    def observe(self) -> tuple[int, str]:
        """The store as it is now. Every write makes a new version and moves the store link to it
        (``store.versions``), so the contents are read again whenever the link has moved."""
        version = self.store.resolve()
        if version != self.version:
            self.version, self.state = version, store_state(self.store)
        return self.state


def store_state(path: Path) -> tuple[int, str]:
    """The store on disk: its quad count and a hash of its N-Quads, sorted."""
    store = GraphStore.open_read_only(path)
    try:
        lines = sorted(store.dump().splitlines())
        return len(store), hashlib.sha256(b"\n".join(lines)).hexdigest()
    finally:
        store.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("bodies") / "store", admin_token=TOKEN)
    build(settings)
    server = Server(settings.store, admin_token=TOKEN, query_timeout="10", workers="1", threads="4")
    try:
        yield Site(server, settings.store, settings.store.resolve(), store_state(settings.store))
    finally:
        server.stop()


def sent(site: Site, case: Case) -> Reply:
    route = ROUTES[case.route]
    headers = {} if case.content_type is None else {"Content-Type": case.content_type}
    if route.token:
        headers["Authorization"] = f"Bearer {TOKEN}"
    return send(site.server.url, route.method, body=case.body, headers=headers, path=route.path)


def check(site: Site, case: Case) -> None:
    """The rule, for one request: the status the case calls for, and a refusal changes nothing."""
    before = site.observe()
    reply = sent(site, case)
    after = site.observe()
    said = f"{case.route} {case.content_type!r} {case.how}\n-> {reply}"
    expected = case.expected()
    if reply.status >= 300:
        assert after == before, f"a refusal changed the store ({before} -> {after}): {said}"
    assert reply.status < 500, said
    if expected == "charset":
        assert reply.status == 415 and "charset" in reply.text.lower(), (
            f"wanted 415 naming the charset: {said}"
        )
    elif expected == "bytes":
        assert reply.status == 400 and "utf-8" in reply.text.lower(), f"wanted 400 saying not UTF-8: {said}"
    elif expected == "refused":
        assert 400 <= reply.status < 500, f"wanted a 4xx: {said}"


HYPOTHESIS = settings(
    max_examples=int(os.environ.get("PEDKG_BODY_EXAMPLES", "80")),
    deadline=None,
    database=None,  # a failure prints its example; nothing is kept between runs
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.too_slow],
)


@pytest.mark.parametrize("route", list(ROUTES))
@HYPOTHESIS
@given(data=st.data())
def test_drawn_bodies_follow_the_rule(site: Site, route: str, data: st.DataObject) -> None:
    check(site, data.draw(cases(ROUTES[route]), label="case"))


# --- the named cases ----------------------------------------------------------------------------

KOREAN = "신경모세포종"


def multipart_case(part: Part, how: str) -> Case:
    return Case("POST /reconcile", MULTIPART, None, multipart((part,)), how, (part,))


NAMED = [
    Case("POST /sparql", QUERY_BODY, "latin-1", _ask("é").encode("latin-1"), "latin-1 query, labelled"),
    Case("POST /sparql", QUERY_BODY, None, _ask("é").encode("latin-1"), "latin-1 query, unlabelled"),
    Case("POST /sparql", QUERY_BODY, None, _ask(KOREAN).encode("utf-16"), "UTF-16 query"),
    Case("POST /sparql", FORM, "latin-1", b"query=ASK%7B%7D", "form labelled latin-1"),
    Case("POST /sparql", FORM, None, f"query={quote(_ask('é'), encoding='latin-1')}".encode(), "%E9"),
    Case("POST /update", UPDATE_BODY, None, _insert(KOREAN).encode("utf-16"), "UTF-16 update"),
    Case("POST /update", UPDATE_BODY, "utf-16", _insert(KOREAN).encode("utf-16"), "UTF-16 update, labelled"),
    Case("POST /update", UPDATE_BODY, None, _insert(KOREAN).encode()[:-6], "update cut mid-character"),
    Case(
        "POST /update", FORM, None, f"update={quote(_insert(KOREAN), encoding='euc-kr')}".encode(), "euc-kr"
    ),
    Case("PUT /store", TURTLE, "latin-1", _quads("é").encode("latin-1"), "latin-1 Turtle, labelled"),
    Case("PUT /store", TURTLE, None, _quads(KOREAN).encode("euc-kr"), "EUC-KR Turtle"),
    Case("POST /store", N_TRIPLES, "utf-16", _quads(KOREAN).encode("utf-16"), "UTF-16 N-Triples"),
    Case("POST /store", JSON_LD, None, _json_ld("é").encode("latin-1"), "latin-1 JSON-LD"),
    Case("POST /reconcile", FORM, "latin-1", b"queries=%7B%7D", "form labelled latin-1"),
    Case(
        "POST /reconcile",
        FORM,
        None,
        f"queries={quote(_batch(KOREAN)[0][1], encoding='euc-kr')}".encode(),
        "euc-kr",
    ),
    Case("POST /reconcile", FORM, None, b"queries=\xff", "form with a raw 0xFF"),
    multipart_case(Part("queries", _batch(KOREAN)[0][1].encode("euc-kr")), "multipart field in EUC-KR"),
    multipart_case(
        Part("queries", _batch("é")[0][1].encode("latin-1"), "ISO-8859-1"),
        "multipart field labelled ISO-8859-1",
    ),
    Case("POST /reconcile/1.0-draft/match", JSON, None, _batch_v1(KOREAN).encode("utf-16"), "UTF-16 JSON"),
    Case("POST /reconcile/1.0-draft/match", JSON, "utf-16", _batch_v1(KOREAN).encode("utf-16"), "labelled"),
]


@pytest.mark.parametrize("case", NAMED, ids=lambda case: f"{case.route} {case.how}")
def test_named_cases_follow_the_rule(site: Site, case: Case) -> None:
    check(site, case)


def _form(fields: list[tuple[str, str]]) -> bytes:
    return "&".join(f"{name}={quote(value, safe='')}" for name, value in fields).encode()


#: a UTF-8 body of each kind every route reads: (route, media type, body with the text in it)
TAKEN: list[tuple[str, str, Callable[[str], bytes]]] = [
    ("POST /sparql", QUERY_BODY, lambda text: _ask(text).encode()),
    ("POST /sparql", FORM, lambda text: _form([("query", _ask(text))])),
    ("POST /update", UPDATE_BODY, lambda text: _insert(text).encode()),
    ("POST /update", FORM, lambda text: _form([("update", _insert(text))])),
    ("PUT /store", TURTLE, lambda text: _quads(text).encode()),
    ("POST /store", N_TRIPLES, lambda text: _quads(text).encode()),
    ("POST /store", JSON_LD, lambda text: _json_ld(text).encode()),
    ("POST /store", RDF_XML, lambda text: _rdf_xml(text).encode()),
    ("POST /reconcile", FORM, lambda text: _form(_batch(text))),
    ("POST /reconcile", MULTIPART, lambda text: multipart((Part("queries", _batch(text)[0][1].encode()),))),
    ("POST /reconcile/1.0-draft/match", JSON, lambda text: _batch_v1(text).encode()),
]


@pytest.mark.parametrize("label", [None, "UTF-8"])
@pytest.mark.parametrize(("route", "media", "make"), TAKEN, ids=[f"{r} {m}" for r, m, _ in TAKEN])
def test_utf_8_bodies_are_taken_and_read_as_sent(
    site: Site, route: str, media: str, make: Callable[[str], bytes], label: str | None
) -> None:
    """The rule refuses only what is not UTF-8: a Korean text in each body a route reads is taken,
    and what is written holds that text, not U+FFFD."""
    text = f"{KOREAN} {route} {media} {label}".replace("/", " ")
    case = Case(route, media, label, make(KOREAN if "reconcile" in route else text), "UTF-8")
    reply = sent(site, case)
    assert 200 <= reply.status < 300, reply
    if "reconcile" in route:
        assert '"id": "neuroblastoma"' in reply.text and KOREAN in reply.text, reply
    if ROUTES[route].token:
        store = GraphStore.open_read_only(site.store)
        try:
            assert store.query(f'ASK {{ GRAPH <{GRAPH}> {{ <{SUBJECT}> <{PREDICATE}> "{text}" }} }}')
        finally:
            store.close()
    site.observe()
