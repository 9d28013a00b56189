"""A real Virtuoso (Debian's ``virtuoso-opensource``) on 127.0.0.1, for the tests that run on each store.

Its own database and ini in a test folder: SPARQL queries at ``/sparql`` (anonymous), updates
at ``/sparql-auth`` and the Graph Store Protocol at ``/sparql-graph-crud-auth``, both behind
HTTP Digest as user ``dba`` (a fresh database's administrator). ``.ci/run`` installs the
package where it is missing; a machine without it fails these tests with the reason.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from pedkg.config import Settings

USER, PASSWORD = "dba", "dba"  # a fresh database's administrator
INSTALL = "Virtuoso is not installed: apt-get install virtuoso-opensource (.ci/run does)"


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ini(folder: Path, sql_port: int, http_port: int) -> str:
    db = folder / "db"
    files = {"DatabaseFile": "db", "ErrorLogFile": "log", "LockFile": "lck", "TransactionFile": "trx"}
    main = "\n".join(f"{key} = {db}/virtuoso.{ext}" for key, ext in files.items())
    return f"""[Database]
{main}
xa_persistent_file = {db}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
DirsAllowed = .
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
ServerThreads = 16
MaxClientConnections = 16
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextlib.contextmanager
def virtuoso_serve(folder: Path, settings: Settings, password: str = PASSWORD) -> Iterator[Settings]:
    """A running Virtuoso on a new database in ``folder``, and ``settings`` pointing pedkg at it
    (its search index folder in ``folder`` too; ``password`` for Digest, so a test can give a wrong one)."""
    if shutil.which("virtuoso-t") is None:
        raise RuntimeError(INSTALL)
    (folder / "db").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = _port(), _port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_ini(folder, sql_port, http_port))
    log = (folder / "virtuoso.out").open("wb")
    process = subprocess.Popen(
        ["virtuoso-t", "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/sparql?query=ASK%7B%7D", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Virtuoso did not start: {(folder / 'virtuoso.out').read_text()[-2000:]}"
                    ) from None
                time.sleep(0.2)
        yield replace(
            settings,
            store=folder / "store",
            remote_query=url + "/sparql",
            remote_update=url + "/sparql-auth",
            remote_graph_store=url + "/sparql-graph-crud-auth",
            remote_digest=f"{USER}:{password}",
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
