"""The pedkg command line, run as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from pedkg import cli
from pedkg.web import server

from conftest import PROJECT_ROOT, SOURCE_FOLDERS, pedkg


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The repository's sources with a store built by the CLI."""
    root = tmp_path_factory.mktemp("cli")
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, root / folder)
    result = pedkg(root, "build")
    assert result.returncode == 0, result.stderr
    assert "built " in result.stdout and "mappings-diseases" in result.stdout
    return root


def test_query_list_shows_every_named_query_with_its_parameters(project):
    result = pedkg(project, "query", "--list")
    assert result.returncode == 0, result.stderr
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert len(names) == len(list((project / "queries").glob("*.rq")))
    assert "--param code=C64" in result.stdout


def test_csv_and_tsv_have_a_header_and_rows(project):
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        result = pedkg(project, "query", "code-lookup", "--param", "code=C22.2", "--format", fmt)
        assert result.returncode == 0, result.stderr
        table = list(csv.reader(io.StringIO(result.stdout), delimiter=delimiter))
        assert table[0][:2] == (["code", "entity"] if fmt == "csv" else ["?code", "?entity"])
        # C22.2 is hepatoblastoma in WHO ICD-10 and in ICD-10-CM: one row for each
        assert len(table) == 3 and all("hepatoblastoma" in row[1] for row in table[1:])
        assert {row[4].lstrip("<").split("C22.2")[0] for row in table[1:]} == {
            "https://icd.who.int/browse10/2019/en#/",
            "https://www.icd10data.com/search?s=",
        }


def test_json_is_sparql_results_json(project):
    result = pedkg(project, "query", "blood-diseases-hpo", "-f", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"][:2] == ["disease", "label"]
    assert len(data["results"]["bindings"]) == 3


def test_xml_is_sparql_results_xml(project):
    result = pedkg(project, "query", "support-programs", "-f", "xml")
    root = ET.fromstring(result.stdout)
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"


def test_table_is_readable(project):
    result = pedkg(project, "query", "tumours-by-icdo")
    assert result.returncode == 0, result.stderr
    assert "pedkg:neuroblastoma" in result.stdout and "9500/3" in result.stdout
    assert "11 row(s)" in result.stdout


def test_query_from_standard_input_and_construct_as_turtle(project):
    sparql = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/pedkg/graph/division> { ?s ?p ?o } } LIMIT 5"
    )
    result = pedkg(project, "query", "-", "--format", "turtle", stdin=sparql)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(" .") >= 1


def test_a_query_file_by_path(project):
    path = project / "queries" / "support-programs.rq"
    result = pedkg(project, "query", str(path), "-f", "csv")
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 6


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["query", "no-such-query"], None, "no named query 'no-such-query'"),
        (
            ["query", "code-lookup", "--param", "colour=red"],
            None,
            "code-lookup takes no parameter colour",
        ),
        (["query", "-"], "SELECT * WHERE { ?s ?p }", "malformed query: error at 1:25"),
        (
            ["query", "support-programs", "-f", "turtle"],
            None,
            "a SELECT or ASK result is written as",
        ),
    ],
)
def test_errors_are_one_clear_line_and_exit_1(project, args, stdin, message):
    result = pedkg(project, *args, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_query_without_a_store_says_to_build_first(project_copy):
    result = pedkg(project_copy, "query", "code-lookup")
    assert result.returncode == 1
    assert "run `pedkg build` first" in result.stderr


def test_serve_port_0_reaches_the_settings(tmp_path, monkeypatch):
    """`pedkg serve --port 0` asks gunicorn for a free port: 0 is a port given, not one left out."""
    monkeypatch.delenv("PEDKG_REMOTE_QUERY", raising=False)
    served = []
    monkeypatch.setattr(server, "serve", served.append)
    result = CliRunner().invoke(cli.main, ["--store", str(tmp_path), "serve", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert [settings.port for settings in served] == [0]


def test_settings_say_which_value_came_from_the_environment_and_which_is_a_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PEDKG_ROW_LIMIT", "500")
    monkeypatch.delenv("PEDKG_PORT", raising=False)
    result = pedkg(tmp_path, "--store", str(tmp_path / "elsewhere"), "settings", "--format", "json")
    assert result.returncode == 0, result.stderr
    shown = {s["variable"]: s for s in json.loads(result.stdout)}
    assert (shown["PEDKG_ROW_LIMIT"]["value"], shown["PEDKG_ROW_LIMIT"]["source"]) == (500, "environment")
    assert (shown["PEDKG_PORT"]["value"], shown["PEDKG_PORT"]["source"]) == (8000, "default")
    assert (shown["PEDKG_STORE"]["value"], shown["PEDKG_STORE"]["source"]) == (
        str(tmp_path / "elsewhere"),
        "option",
    )
    assert shown["PEDKG_PROJECT"]["source"] == "environment"
    table = pedkg(tmp_path, "settings").stdout
    assert any(
        "PEDKG_ROW_LIMIT" in line and "500" in line and "environment" in line for line in table.splitlines()
    )
    assert any("PEDKG_PORT" in line and "8000" in line and "default" in line for line in table.splitlines())


def test_settings_never_print_a_secret(tmp_path, monkeypatch):
    monkeypatch.setenv("PEDKG_ADMIN_TOKEN", "token-nobody-may-read")
    monkeypatch.delenv("PEDKG_REMOTE_AUTHORIZATION", raising=False)
    for fmt in ("json", "table"):
        result = pedkg(tmp_path, "settings", "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert "token-nobody-may-read" not in result.stdout + result.stderr
    shown = {s["variable"]: s for s in json.loads(pedkg(tmp_path, "settings", "-f", "json").stdout)}
    assert (shown["PEDKG_ADMIN_TOKEN"]["value"], shown["PEDKG_ADMIN_TOKEN"]["source"]) == (
        "set",
        "environment",
    )
    assert shown["PEDKG_REMOTE_AUTHORIZATION"]["value"] == "unset"
    secrets = {"PEDKG_ADMIN_TOKEN", "PEDKG_REMOTE_AUTHORIZATION", "PEDKG_REMOTE_DIGEST"}
    assert {v for v, s in shown.items() if s["secret"]} == secrets
