"""Shared fixtures: a store built from the repository once, and copies of the project to break."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pedkg.build import BuildReport, build
from pedkg.config import PROJECT_ROOT, Settings
from pedkg.store import GraphStore
from pedkg.web import create_app

SOURCE_FOLDERS = ("ontology", "data", "queries")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildReport]:
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("built") / "store")
    return settings, build(settings)


@pytest.fixture(scope="session")
def store(built: tuple[Settings, BuildReport]) -> GraphStore:
    return GraphStore.open_read_only(built[0].store)


@pytest.fixture(scope="module")
def app(built: tuple[Settings, BuildReport]) -> Iterator[Flask]:
    """The application over the session's store, one per test module (its query processes too)."""
    application = create_app(built[0])
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

    def __init__(self, store: Path, **settings: str) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PEDKG_STORE": str(store), "PEDKG_PORT": str(self.port)}
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
def server(built: tuple[Settings, BuildReport]) -> Iterator[Server]:
    """The session's real server: query time limit 5 s, row limit 1000."""
    running = Server(built[0].store, query_timeout="5", row_limit="1000", workers="1", threads="8")
    yield running
    running.stop()
