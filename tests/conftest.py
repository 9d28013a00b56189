"""Shared fixtures: a store built from the repository once, and copies of the project to break."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pedkg.config import PROJECT_ROOT, Settings
from pedkg.ingest.build import BuildReport, build
from pedkg.store.embedded import GraphStore
from pedkg.web import create_app
from virtuoso import virtuoso_serve

SOURCE_FOLDERS = ("ontology", "data", "queries")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildReport]:
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("built") / "store")
    return settings, build(settings)


@pytest.fixture(scope="session")
def store(built: tuple[Settings, BuildReport]) -> GraphStore:
    return GraphStore.open_read_only(built[0].store)


#: The stores the web contract is tested on: a module that sets ``BACKENDS = ALL_BACKENDS`` runs
#: its tests that use ``app``, ``client`` or ``server`` once per store.
ALL_BACKENDS = ("embedded", "oxigraph-server", "virtuoso")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    kinds = getattr(metafunc.module, "BACKENDS", None)
    if kinds and "backend" in metafunc.fixturenames:
        metafunc.parametrize("backend", kinds, indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """Which store the app and server use: the embedded one unless the module asks for more."""
    return getattr(request, "param", "embedded")


@contextlib.contextmanager
def oxigraph_serve(location: Path, settings: Settings, *options: str) -> Iterator[Settings]:
    """A real ``oxigraph serve`` (PyPI ``oxigraph``) on 127.0.0.1, and ``settings`` pointing at it.

    Plain ``oxigraph serve``: its default graph is its own, and pedkg asks for the union of
    the named graphs in each request, as it does of any server.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("oxigraph")), "serve", "--location", str(location)]
    process = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(url + "/query?query=ASK%7B%7D")
        yield replace(
            settings,
            remote_query=url + "/query",
            remote_update=url + "/update",
            remote_graph_store=url + "/store",
        )
    finally:
        process.terminate()
        process.wait(timeout=15)


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(scope="session")
def oxigraph_server(
    built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The session's ``oxigraph serve``, loaded by ``pedkg build`` through the protocols."""
    with oxigraph_serve(tmp_path_factory.mktemp("oxigraph"), built[0]) as settings:
        build(settings)
        yield settings


@pytest.fixture(scope="session")
def virtuoso(
    built: tuple[Settings, BuildReport], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """The session's Virtuoso, loaded by ``pedkg build`` through the protocols (Digest for writes)."""
    folder = tmp_path_factory.mktemp("virtuoso")
    with virtuoso_serve(folder, built[0]) as settings:
        build(settings)
        yield settings


@pytest.fixture
def own_server(tmp_path: Path, built: tuple[Settings, BuildReport]) -> Iterator[Settings]:
    """An empty ``oxigraph serve`` of this test's own (its queries stop after 10 s there)."""
    with oxigraph_serve(tmp_path / "oxigraph", built[0], "--timeout-s", "10") as settings:
        yield settings


@pytest.fixture(scope="session")
def backend_settings(
    backend: str, built: tuple[Settings, BuildReport], request: pytest.FixtureRequest
) -> Settings:
    """The session's settings on the chosen store (the oxigraph server is started on first use)."""
    if backend == "embedded":
        return built[0]
    settings: Settings = request.getfixturevalue(
        "oxigraph_server" if backend == "oxigraph-server" else backend
    )
    return settings


@pytest.fixture(scope="module")
def app(backend_settings: Settings) -> Iterator[Flask]:
    """The application over the session's store, one per test module (its query processes too)."""
    application = create_app(backend_settings)
    yield application
    application.extensions["pedkg"].pool.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A private copy of the project's sources, safe to break."""
    for folder in SOURCE_FOLDERS:
        shutil.copytree(PROJECT_ROOT / folder, tmp_path / folder)
    return tmp_path


def pedkg(project: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command line against a project folder and its own store."""
    env = {
        **os.environ,
        "PEDKG_PROJECT": str(project),
        "PEDKG_STORE": str(project / "var" / "store"),
    }
    return subprocess.run(
        [sys.executable, "-m", "pedkg", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def rows(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    """SELECT results as dicts of plain strings (IRIs and literal values)."""
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: s[n].value for n in names if s[n] is not None} for s in result]


class Server:
    """A real ``pedkg serve`` on 127.0.0.1, on a store built for the test session."""

    def __init__(self, store: Path, remote: Settings | None = None, **settings: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PEDKG_STORE": str(store), "PEDKG_PORT": str(self.port)}
        if remote is not None:
            settings = {
                "remote_query": remote.remote_query,
                "remote_update": remote.remote_update,
                "remote_graph_store": remote.remote_graph_store,
                "remote_digest": remote.remote_digest,
                **settings,
            }
        env.update({f"PEDKG_{k.upper()}": v for k, v in settings.items()})
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pedkg", "serve"],
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        output = self.output()
        self.stop()
        raise RuntimeError(f"pedkg serve did not become healthy:\n{output}")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def server(backend_settings: Settings) -> Iterator[Server]:
    """The session's real server: query time limit 5 s, row limit 1000."""
    remote = backend_settings if backend_settings.remote else None
    running = Server(
        backend_settings.store, remote, query_timeout="5", row_limit="1000", workers="1", threads="8"
    )
    yield running
    running.stop()
