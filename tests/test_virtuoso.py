"""Virtuoso as pedkg's store: every write through HTTP Digest, and two pedkg servers sharing one store.

Virtuoso (Debian's ``virtuoso-opensource``) takes SPARQL queries anonymously and writes
(SPARQL Update, the Graph Store Protocol) only with Digest; pedkg sends it through
``requests``' Digest support (``PEDKG_REMOTE_DIGEST``). Build, import and ``link --accept``
run as a user runs them, through the real command line.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest

from other_hospital import EXAMPLE, OH
from pedkg.config import Settings
from pedkg.ingest.build import BuildReport
from pedkg.namespaces import graph_iri
from pedkg.store import server_quirks
from pedkg.store.backend import remote_store
from pedkg.store.sparql_lexer import without_from
from virtuoso import virtuoso_serve

from conftest import Server
from raw_http import send

SETTINGS = ("remote_query", "remote_update", "remote_graph_store", "remote_digest")


@pytest.fixture(scope="module")
def empty_virtuoso(
    built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """A Virtuoso of this module's own, with nothing in it yet."""
    folder = tmp_path_factory.mktemp("own-virtuoso")
    with virtuoso_serve(folder, built[0]) as settings:
        yield settings


def pedkg(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line, pointed at the server by its ``PEDKG_REMOTE_*`` variables."""
    env = {**os.environ, "PEDKG_STORE": str(settings.store)}
    env.update({f"PEDKG_{name.upper()}": getattr(settings, name) for name in SETTINGS})
    return subprocess.run(
        [sys.executable, "-m", "pedkg", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def snapshot(settings: Settings) -> tuple[list[str], int]:
    """The server's named graphs and quads, read anonymously (what a refused write must not change)."""
    store = remote_store(replace(settings, remote_digest=""))
    try:
        return store.named_graphs(), len(store)
    finally:
        store.close()


def test_build_import_and_link_accept_write_through_digest(empty_virtuoso: Settings, tmp_path: Path) -> None:
    built = pedkg(empty_virtuoso, "build")
    assert built.returncode == 0, built.stderr
    total = int(built.stdout.split("built ")[1].split(" triples")[0])
    graphs, quads = snapshot(empty_virtuoso)
    assert quads == total, "every built triple, in its named graph"
    assert graph_iri("division") in graphs

    imported = pedkg(empty_virtuoso, "import", str(EXAMPLE), "--graph", "other-hospital")
    assert imported.returncode == 0, imported.stderr
    assert graph_iri("other-hospital") in snapshot(empty_virtuoso)[0]

    proposals = tmp_path / "proposals.sssom.tsv"
    linked = pedkg(
        empty_virtuoso, "link", "--source", "division", "--target", "other-hospital", "-o", str(proposals)
    )
    assert linked.returncode == 0, linked.stderr
    lines = proposals.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    assert len(lines) > header + 1, "the example hospital has diseases to link"
    lines[header] += "\treviewer_label"
    lines[header + 1 :] = [line + "\tA. Reviewer" for line in lines[header + 1 :]]
    reviewed = tmp_path / "other-hospital.sssom.tsv"
    reviewed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    accepted = pedkg(empty_virtuoso, "link", "--accept", str(reviewed))
    assert accepted.returncode == 0, accepted.stderr
    store = remote_store(empty_virtuoso)
    try:
        asked = f"""ASK {{ GRAPH <{graph_iri("links-other-hospital")}> {{
            <https://w3id.org/pedkg/neuroblastoma> ?match <{OH}neuroblastoma> }} }}"""
        assert bool(store.query(asked, union_default=False))
    finally:
        store.close()


def test_a_build_keeps_virtuosos_own_graphs_and_others_data_and_drops_its_own_stale_graph(
    empty_virtuoso: Settings,
) -> None:
    own = ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#")
    others, stale = "http://example.org/another-team", graph_iri("removed-source")
    marker = ox.Triple(
        ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"), ox.Literal("x")
    )
    store = remote_store(empty_virtuoso)
    try:
        store.replace_graph(others, [marker])
        store.replace_graph(stale, [marker])
        assert pedkg(empty_virtuoso, "build").returncode == 0
        server_graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", union_default=False)
        assert isinstance(server_graphs, ox.QuerySolutions)
        on_server = {row["g"].value for row in server_graphs}
        assert set(own) <= on_server, "Virtuoso's own graphs are not pedkg's to drop"
        assert others in on_server and stale not in on_server
        listed = store.named_graphs()
        assert not set(own) & set(listed), "nor are they data: not listed, not in the union default graph"
        assert not [g for g in listed if g.endswith(("/DAV/", "/sparql"))], listed
    finally:
        store.replace_graph(others, [])
        store.close()


def test_a_wrong_password_is_a_clear_error_and_changes_nothing(empty_virtuoso: Settings) -> None:
    assert pedkg(empty_virtuoso, "build").returncode == 0
    before = snapshot(empty_virtuoso)
    wrong = replace(empty_virtuoso, remote_digest="dba:not-the-password")
    for args in (
        ("build",),
        ("import", str(EXAMPLE), "--graph", "refused-hospital"),
    ):
        refused = pedkg(wrong, *args)
        assert refused.returncode == 1, (args, refused.stdout, refused.stderr)
        assert "refused pedkg's credentials (401)" in refused.stderr, refused.stderr
        assert "not-the-password" not in refused.stderr + refused.stdout
        assert snapshot(empty_virtuoso) == before, args


def test_the_password_is_never_shown_by_pedkg_settings(empty_virtuoso: Settings) -> None:
    shown = pedkg(empty_virtuoso, "settings", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    assert "dba:dba" not in shown.stdout
    digest = next(row for row in json.loads(shown.stdout) if row["variable"] == "PEDKG_REMOTE_DIGEST")
    assert digest["value"] == "set"


WITH_LABEL = b"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
INSERT DATA { GRAPH <https://w3id.org/pedkg/graph/division> {
  <https://w3id.org/pedkg/anemia> skos:altLabel "zzqx two servers"@en } }"""
LABELLED = 'ASK { ?e <http://www.w3.org/2004/02/skos/core#altLabel> "zzqx two servers"@en }'


@pytest.mark.parametrize("kind", ["virtuoso", "oxigraph"])
def test_a_write_through_one_pedkg_server_is_seen_by_another_on_the_same_store(
    kind: str, empty_virtuoso: Settings, own_server: Settings, tmp_path: Path
) -> None:
    """Two servers with their own folders (as on two machines): the second sees the first's write
    in its answers, its cache and its search index (the README says within a second: the stamp's
    trust; this waits longer only so that a busy machine does not fail it)."""
    remote = empty_virtuoso if kind == "virtuoso" else own_server
    assert pedkg(remote, "build").returncode == 0
    token = "two-servers-token"
    first = Server(tmp_path / "first" / "store", remote, admin_token=token, workers="1")
    second = Server(tmp_path / "second" / "store", remote, workers="1")
    json_accept = {"Accept": "application/sparql-results+json"}
    try:
        asked = send(second.url, "GET", [("query", LABELLED)], headers=json_accept)
        assert json.loads(asked.body)["boolean"] is False  # now in the second server's cache too
        assert json.loads(send(second.url, "GET", [("q", "zzqx")], path="/api/search").body)["hits"] == []
        written = send(
            first.url,
            "POST",
            [],
            WITH_LABEL,
            {"Content-Type": "application/sparql-update", "Authorization": f"Bearer {token}"},
            path="/update",
        )
        assert written.status == 204, written
        written_at = time.monotonic()
        while True:
            asked = send(second.url, "GET", [("query", LABELLED)], headers=json_accept)
            found = json.loads(send(second.url, "GET", [("q", "zzqx")], path="/api/search").body)["hits"]
            if json.loads(asked.body)["boolean"] is True and found:
                break
            assert time.monotonic() - written_at < 15, "the second server never saw the write"
            time.sleep(0.1)
        assert [hit["iri"] for hit in found] == ["https://w3id.org/pedkg/anemia"]
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize("chunk", [1, 3, 9, 10, 11, 65536])
def test_virtuoso_blank_node_values_are_read_as_labels_wherever_a_read_ends(chunk: int) -> None:
    one = b'{"x": {"type": "bnode", "value": "nodeID://b1"}, "y": {"type": "literal", "value": "nodeID://"}}'
    source = io.BytesIO(one * 50)

    class Trickle(io.RawIOBase):
        def readable(self) -> bool:
            return True

        def read(self, size: int = -1) -> bytes:
            return source.read(chunk)

    read = server_quirks.json_results(
        Trickle(), server_quirks.of_server("Virtuoso/07.20.3229 (Linux)")
    ).read()
    assert read == one.replace(b'"nodeID://', b'"') * 50
    assert server_quirks.json_results(source, server_quirks.of_server("oxigraph/0.5")) is source


def test_from_clauses_are_left_out_only_outside_the_pattern() -> None:
    query = "PREFIX p: <x:> SELECT ?from FROM <https://a> FROM NAMED p:b # c\nWHERE { ?s <from> ?from }"
    assert without_from(query) == "PREFIX p: <x:> SELECT ?from   # c\nWHERE { ?s <from> ?from }"
    assert without_from("ASK { GRAPH ?g { ?s ?p ?o } }") == "ASK { GRAPH ?g { ?s ?p ?o } }"
