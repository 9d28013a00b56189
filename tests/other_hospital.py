"""The example hospital's graph imported into a private copy of the built store, and SSSOM checks."""

from __future__ import annotations

import csv
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pedkg.config import PROJECT_ROOT
from pedkg.store.embedded import GraphStore

EXAMPLE = PROJECT_ROOT / "data" / "examples" / "other-hospital.ttl"
OH = "https://example.org/other-hospital/"
PEDKG = "https://w3id.org/pedkg/"


def copy_store(built: Path, folder: Path) -> Path:
    """A store link in ``folder`` to a copy of the built store."""
    folder.mkdir(parents=True, exist_ok=True)
    GraphStore.open_read_only(built).backup(folder / "store-copy")
    link = folder / "store"
    link.symlink_to("store-copy")
    return link


def load_graph(link: Path, name: str, path: Path) -> None:
    """Import a file into ``pkg:name`` with the real ``pedkg import`` (its prefixes go to pkg:imports)."""
    done = run(link, "import", str(path), "--graph", name)
    assert done.returncode == 0, done.stderr


def accept_proposals(link: Path, folder: Path, rejected: str | None = None) -> None:
    """Propose links from the division to the hospital with the real ``pedkg link``, sign every row
    as reviewed, and accept the file; rows naming the CURIE ``rejected`` are accepted as rejections
    (``predicate_modifier: Not``)."""
    proposals = folder / "proposals.sssom.tsv"
    done = run(link, "link", "--source", "division", "--target", "other-hospital", "-o", str(proposals))
    assert done.returncode == 0, done.stderr
    lines = proposals.read_text(encoding="utf-8").splitlines()
    header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines[header] += "\treviewer_label" + ("\tpredicate_modifier" if rejected else "")
    for i in range(header + 1, len(lines)):
        lines[i] += "\tA. Reviewer"
        if rejected:
            lines[i] += "\t" + ("Not" if f"\t{rejected}\t" in lines[i] else "")
    reviewed = folder / "other-hospital.sssom.tsv"
    reviewed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = run(link, "link", "--accept", str(reviewed))
    assert done.returncode == 0, done.stderr


def run(link: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line on the store at ``link``."""
    return subprocess.run(
        [sys.executable, "-m", "pedkg", "--store", str(link), *args],
        env={**os.environ, "PEDKG_STORE": str(link)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def table_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader((ln for ln in handle if not ln.startswith("#")), delimiter="\t"))


def sssom_py_problems(path: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Everything sssom-py's parser and validators report about a file (they log and never fail).

    Not ``strict=True``: sssom-py 0.4.21 inverts its metadata check there (see test_mappings).
    """
    from sssom.constants import SchemaValidationType
    from sssom.parsers import parse_sssom_table
    from sssom.validators import validate

    problems: list[str] = []
    with caplog.at_level(logging.WARNING):
        msdf = parse_sssom_table(path)
        if len(msdf.df) != len(table_rows(path)):
            problems.append(f"sssom-py parsed {len(msdf.df)} of {len(table_rows(path))} rows")
        reports = validate(
            msdf,
            validation_types=[
                SchemaValidationType.JsonSchema,
                SchemaValidationType.PrefixMapCompleteness,
                SchemaValidationType.StrictCurieFormat,
            ],
            fail_on_error=False,
        )
    problems += [f"{kind}: {result}" for kind, report in reports.items() for result in report.results]
    problems += [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return problems
