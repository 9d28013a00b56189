"""The search index file: made with every store version, shared by the workers, never rebuilt
on a request; typos, the graph filter, imported graphs after pedkg's own, vocabularies.

The session's store (in-process clients) for what it holds; for the rest a private project
built and imported into by the real command line, and served by a real ``pedkg serve`` with
two workers.
"""

from __future__ import annotations

import json
import os
import urllib.parse
import urllib.request
from dataclasses import replace
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from pedkg.config import Settings
from pedkg.ingest.build import build
from pedkg.store.backend import remote_store
from pedkg.store.search_index import INDEX_NAME
from pedkg.store.search_versions import remote_file, remote_folder
from pedkg.web import create_app

from conftest import PROJECT_ROOT, Server, pedkg

PEDKG = "https://w3id.org/pedkg/"
HOSPITAL = "https://example.org/other-hospital/"
HPO = "http://purl.obolibrary.org/obo/HP_"


def hits(client: FlaskClient, q: str, lang: str = "en", **params: str) -> list[dict[str, object]]:
    response = client.get("/api/search", query_string={"q": q, "lang": lang, **params})
    assert response.status_code == 200, response.get_data(as_text=True)
    found: list[dict[str, object]] = response.get_json()["hits"]
    return found


def index_file(store_link: Path) -> Path:
    return Path(os.path.realpath(store_link)) / INDEX_NAME


def api(server: Server, q: str, **params: str) -> dict[str, object]:
    query = urllib.parse.urlencode({"q": q, **params})
    request = urllib.request.Request(
        f"{server.url}/api/search?{query}", headers={"Cache-Control": "no-cache"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, object] = json.load(response)
    return answer


def holders(pid: int, path: Path) -> set[int]:
    """The processes under ``pid`` (itself included) that have ``path`` open."""
    found, todo = set(), [pid]
    while todo:
        process = todo.pop()
        for task in Path(f"/proc/{process}/task").glob("*/children"):
            todo.extend(int(child) for child in task.read_text().split())
        try:
            links = [os.readlink(fd) for fd in Path(f"/proc/{process}/fd").iterdir()]
        except OSError:
            continue
        if str(path) in links:
            found.add(process)
    return found


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private project: built, then the example hospital and HPO imported, by the command line."""
    project = tmp_path_factory.mktemp("imported")
    for folder in ("ontology", "data", "queries"):
        os.symlink(PROJECT_ROOT / folder, project / folder)
    done = pedkg(project, "build")
    assert done.returncode == 0, done.stderr
    built = index_file(project / "var" / "store")
    assert built.is_file(), "pedkg build writes the index into the new version"
    example = str(PROJECT_ROOT / "data" / "examples" / "other-hospital.ttl")
    done = pedkg(project, "import", example, "--graph", "other-hospital")
    assert done.returncode == 0, done.stderr
    assert index_file(project / "var" / "store").is_file(), "pedkg import writes the index of its version"
    assert index_file(project / "var" / "store") != built
    done = pedkg(project, "import", "--vocabulary", "hpo")
    assert done.returncode == 0, done.stderr
    return project


@pytest.fixture(scope="module")
def imported_client(imported: Path) -> FlaskClient:
    settings = Settings.from_env({}, project=imported, store=imported / "var" / "store")
    application = create_app(settings)
    yield application.test_client()
    application.extensions["pedkg"].pool.close()


@pytest.mark.parametrize(
    ("typo", "expected"),
    [
        ("neuroblastma", "neuroblastoma"),
        ("retinoblastom", "retinoblastoma"),
        ("leukaemia", "leukemia"),
        ("leukmia", "leukemia"),
        ("hepatoblastomma", "hepatoblastoma"),
    ],
)
def test_typos_find_the_division_s_entities(client, typo, expected):
    found = hits(client, typo)
    assert found and found[0]["iri"] == PEDKG + expected, found[:3]


def test_typo_matches_rank_below_every_other_match(client):
    assert [h["match"] for h in hits(client, "neuroblastma")][:1] == ["typo"]
    found = hits(client, "neuroblastoma", limit="50")  # nephroblastoma (Wilms tumour) is two edits away
    matches = [h["match"] for h in found]
    assert found[0]["iri"] == PEDKG + "neuroblastoma" and matches[0] == "exact"
    assert "typo" in matches and all(m == "typo" for m in matches[matches.index("typo") :])
    assert (PEDKG + "wilms-tumor", "typo") in [(h["iri"], h["match"]) for h in found]
    assert [h["match"] for h in hits(client, "leukmia")] == ["typo"]
    assert hits(client, "neurx") == []  # five letters: one edit away from nothing indexed
    assert all(h["match"] != "typo" for h in hits(client, "leuk", limit="50"))  # four letters: no typos


def test_the_graph_filter_keeps_one_graph(client):
    everywhere = hits(client, "a", limit="50")
    division = hits(client, "a", limit="50", graph="division")
    by_iri = hits(client, "a", limit="50", graph="https://w3id.org/pedkg/graph/division")
    ontology = hits(client, "a", limit="50", graph="ontology")
    assert division == by_iri and division and ontology
    assert {h["iri"] for h in division}.isdisjoint({h["iri"] for h in ontology})
    assert all(str(h["iri"]).startswith(PEDKG + "ontology/") for h in ontology)
    assert len(everywhere) >= len(division)
    response = client.get("/api/search", query_string={"q": "a", "graph": "nowhere"})
    assert response.status_code == 400 and "unknown graph" in response.get_json()["error"]["message"]
    assert response.get_json()["error"]["message"].count("division") == 1


def test_imported_graphs_come_after_pedkg_s_own(imported_client):
    found = hits(imported_client, "안과", "ko")  # pedkg's ophthalmology and the hospital's eye center
    iris = [h["iri"] for h in found]
    assert HOSPITAL + "eye-center" in iris, found
    own = [n for n, iri in enumerate(iris) if str(iri).startswith(PEDKG)]
    assert own and max(own) < iris.index(HOSPITAL + "eye-center"), iris
    (cardiology,) = [
        h for h in hits(imported_client, "소아심장과", "ko") if h["iri"] == HOSPITAL + "cardiology"
    ]
    assert (
        cardiology["label"] == "소아심장과" and cardiology["lang"] == "ko" and cardiology["match"] == "exact"
    )
    assert cardiology["href"] == "/resource?" + urllib.parse.urlencode(
        {"iri": HOSPITAL + "cardiology"}, safe=":/"
    )
    only = hits(imported_client, "안과", "ko", graph="other-hospital")
    assert [h["iri"] for h in only] == [HOSPITAL + "eye-center"]


def test_a_vocabulary_s_terms_are_found_by_label_code_and_typo(imported_client):
    found = hits(imported_client, "Hepatosplenomegaly")
    assert found[0]["iri"] == HPO + "0001433" and found[0]["match"] == "exact", found[:3]
    assert found[0]["type"] == "owl:Class" and found[0]["label"] == "Hepatosplenomegaly"
    assert hits(imported_client, "HP:0001433")[0]["iri"] == HPO + "0001433"
    assert hits(imported_client, "hepatosplenomegally")[0]["iri"] == HPO + "0001433"
    assert hits(imported_client, "thrombocytopenia")[0]["iri"] == PEDKG + "thrombocytopenia"  # own first
    assert HPO + "0001873" in [h["iri"] for h in hits(imported_client, "thrombocytopenia", limit="50")]


def test_the_page_links_other_graphs_to_their_resource_page(imported_client):
    body = imported_client.get("/search?q=%EC%86%8C%EC%95%84%EC%8B%AC%EC%9E%A5%EA%B3%BC&lang=ko").get_data(
        as_text=True
    )
    link = "/resource?" + urllib.parse.urlencode({"iri": HOSPITAL + "cardiology", "lang": "ko"}, safe=":/")
    assert f'href="{link.replace("&", "&amp;")}"' in body, body


def test_two_workers_share_the_file_and_a_restart_builds_nothing(imported: Path):
    store = imported / "var" / "store"
    path = index_file(store)
    before = path.stat()
    server = Server(store, workers="2", threads="4")
    try:
        for n in range(40):  # enough requests for both workers to answer some
            assert api(server, f"neuro{'x' * (n % 3)}", lang="en", limit=str(n % 10 + 1))["query"]
        open_in = holders(server.process.pid, path)
        assert len(open_in) == 2, f"the index is open in {len(open_in)} processes: {server.output()}"
    finally:
        server.stop()
    server = Server(store, workers="2", threads="4")
    try:
        found = api(server, "신경모세포종", lang="ko")["hits"]
        assert found and found[0]["iri"] == PEDKG + "neuroblastoma"  # type: ignore[index]
    finally:
        server.stop()
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_size) == (
        before.st_ino,
        before.st_mtime_ns,
        before.st_size,
    )
    assert sorted(p.name for p in path.parent.glob("*search*")) == [INDEX_NAME], "nothing else was written"


def test_a_server_s_index_is_kept_beside_the_store_link_by_its_stamp(own_server: Settings, tmp_path: Path):
    settings = replace(own_server, store=tmp_path / "var" / "store")
    build(settings)
    path = remote_file(remote_folder(settings.store), remote_store(settings).version())
    assert path.is_file() and path.parent == tmp_path / "var" / "store-search"
    build(settings)  # a new stamp, a new file; the one before stays for readers that have it open
    newer = remote_file(remote_folder(settings.store), remote_store(settings).version())
    assert newer != path and newer.is_file() and path.is_file()
    build(settings)
    assert not path.exists() and len(list(newer.parent.glob(f"*-{INDEX_NAME}"))) == 2
