"""Shared fixtures: a store built from the repository once, and copies of the project to break."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from pedkg.build import BuildReport, build
from pedkg.config import PROJECT_ROOT, Settings
from pedkg.store import GraphStore

SOURCE_FOLDERS = ("ontology", "data", "queries")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, BuildReport]:
    settings = Settings.from_env({}, store=tmp_path_factory.mktemp("built") / "store")
    return settings, build(settings)


@pytest.fixture(scope="session")
def store(built: tuple[Settings, BuildReport]) -> GraphStore:
    return GraphStore.open_read_only(built[0].store)


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
