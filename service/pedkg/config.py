"""Settings, declared once with their defaults and help, read from ``PEDKG_*`` variables.

Every knob of pedkg lives in ``Settings`` so the environment, the CLI and the docs
agree on one list (``pedkg settings`` prints it, with where each value came from:
``origins``). A setting declared secret is only ever shown as set or unset.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .namespaces import IriError, checked_iri

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _setting(default: Any, env: str, help: str, secret: bool = False) -> Any:
    return field(default=default, metadata={"env": env, "help": help, "secret": secret})


@dataclass(frozen=True)
class Settings:
    """Where pedkg reads its sources and keeps its store, and the limits of its server."""

    project: Path = _setting(PROJECT_ROOT, "PEDKG_PROJECT", "folder holding ontology/, data/, queries/")
    store: Path = _setting(
        PROJECT_ROOT / "var" / "store", "PEDKG_STORE", "the built store (a link that build swaps)"
    )
    query_timeout: float = _setting(
        30.0, "PEDKG_QUERY_TIMEOUT", "seconds a query may run before it is stopped"
    )
    row_limit: int = _setting(10_000, "PEDKG_ROW_LIMIT", "most rows (or triples) one response carries")
    max_request_bytes: int = _setting(1_000_000, "PEDKG_MAX_REQUEST_BYTES", "largest query or request body")
    max_nesting: int = _setting(200, "PEDKG_MAX_NESTING", "deepest nesting of { } a query may have")
    query_processes: int = _setting(1, "PEDKG_QUERY_PROCESSES", "query processes per server worker")
    store_in_memory: str = _setting(
        "auto",
        "PEDKG_STORE_IN_MEMORY",
        "query processes answer from an in-memory copy of the store: auto (when it fits the budget), on, off",
    )
    memory_budget: int = _setting(
        6144,
        "PEDKG_MEMORY_BUDGET",
        "megabytes the in-memory copies may take together (one per query process of every worker)",
    )
    service_allow: str = _setting(
        "",
        "PEDKG_SERVICE_ALLOW",
        "space-separated endpoint IRIs SERVICE may call (none by default)",
    )
    base_iri: str = _setting(
        "",
        "PEDKG_BASE_IRI",
        "absolute IRI relative IRIs in queries and updates resolve against (unset: the endpoint's URL)",
    )
    admin_token: str = _setting(
        "",
        "PEDKG_ADMIN_TOKEN",
        "bearer token for /update and /store; unset: those routes do not exist",
        secret=True,
    )
    remote_query: str = _setting(
        "",
        "PEDKG_REMOTE_QUERY",
        "query endpoint of an external SPARQL 1.1 server to keep the data on (unset: the embedded store)",
    )
    remote_update: str = _setting("", "PEDKG_REMOTE_UPDATE", "that server's SPARQL Update endpoint")
    remote_graph_store: str = _setting(
        "", "PEDKG_REMOTE_GRAPH_STORE", "that server's Graph Store Protocol endpoint"
    )
    remote_authorization: str = _setting(
        "",
        "PEDKG_REMOTE_AUTHORIZATION",
        "Authorization header sent to that server (never logged)",
        secret=True,
    )
    remote_digest: str = _setting(
        "",
        "PEDKG_REMOTE_DIGEST",
        "user:password for HTTP Digest to that server, as Virtuoso asks of writes (never logged)",
        secret=True,
    )
    link_author: str = _setting(
        "https://w3id.org/pedkg/agent/pedkg-link",
        "PEDKG_LINK_AUTHOR",
        "author_id of the mappings pedkg link proposes (an IRI, or a CURIE such as orcid:0000-...)",
    )
    cache_bytes: int = _setting(
        64 * 1024 * 1024,
        "PEDKG_CACHE_BYTES",
        "bytes of responses each server worker keeps for repeated requests (0: no response cache)",
    )
    max_queries: int = _setting(
        8,
        "PEDKG_MAX_QUERIES",
        "requests a server works on at once; more get 503 and Retry-After (0: no bound)",
    )
    max_queries_per_client: int = _setting(
        4,
        "PEDKG_MAX_QUERIES_PER_CLIENT",
        "requests one client address may have in progress; more get 429 and Retry-After (0: no bound)",
    )
    host: str = _setting("127.0.0.1", "PEDKG_HOST", "address pedkg serve listens on")
    port: int = _setting(8000, "PEDKG_PORT", "port pedkg serve listens on")
    workers: int = _setting(2, "PEDKG_WORKERS", "server worker processes")
    threads: int = _setting(8, "PEDKG_THREADS", "threads per server worker (at least PEDKG_MAX_QUERIES + 1)")

    def __post_init__(self) -> None:
        if self.base_iri:
            try:
                checked_iri(self.base_iri)
            except IriError as exc:
                raise ValueError(
                    f"PEDKG_BASE_IRI={self.base_iri!r}: expected an absolute IRI ({exc.reason})"
                ) from exc

    @property
    def ontology_dir(self) -> Path:
        return self.project / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.project / "data"

    @property
    def queries_dir(self) -> Path:
        return self.project / "queries"

    @property
    def remote(self) -> bool:
        """Whether the data lives on an external SPARQL server rather than the embedded store."""
        return bool(self.remote_query)

    @property
    def location(self) -> str:
        """Where the data lives, for messages: the store folder or the server's query endpoint."""
        return self.remote_query or str(self.store)

    @property
    def worker_threads(self) -> int:
        """Threads a server worker runs: ``threads``, raised to one more than ``max_queries``. A
        keep-alive connection stays with the worker that accepted it, so one worker may hold
        every client: it must carry all the requests the server admits and keep a thread to
        refuse the next at once (web/admission.py)."""
        return max(self.threads, self.max_queries + 1)

    @property
    def allowed_services(self) -> frozenset[str]:
        return frozenset(self.service_allow.split())

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, overridden by ``PEDKG_*`` variables, overridden by explicit arguments."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"])
            if raw:
                values[f.name] = _convert(f.type, raw, f.metadata["env"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _convert(kind: object, raw: str, name: str) -> object:
    converters: dict[str, Any] = {
        "Path": lambda v: Path(v).expanduser(),
        "int": int,
        "float": float,
    }
    try:
        return converters.get(str(kind), str)(raw)
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r}: expected {kind}") from exc


def describe() -> list[tuple[str, str, str]]:
    """(variable, default, help) for every setting, for docs and ``--help``."""
    return [(f.metadata["env"], str(f.default), f.metadata["help"]) for f in fields(Settings)]


@dataclass(frozen=True)
class Origin:
    """One setting as ``pedkg settings`` shows it: its value and where that value came from.

    ``source`` is ``environment`` (its ``PEDKG_*`` variable), ``option`` (a command-line
    option such as ``--store``) or ``default``; a secret's ``value`` is ``set`` or ``unset``.
    """

    name: str
    variable: str
    value: str | int | float
    source: str
    secret: bool
    help: str


def origins(settings: Settings, environ: Mapping[str, str] | None = None) -> list[Origin]:
    """Every setting of ``settings``, in declaration order, with where its value came from."""
    env = os.environ if environ is None else environ
    found: list[Origin] = []
    for f in fields(Settings):
        variable, value = f.metadata["env"], getattr(settings, f.name)
        raw = env.get(variable)
        if raw and _convert(f.type, raw, variable) == value:
            source = "environment"
        elif value == f.default and not raw:
            source = "default"
        else:
            source = "option"
        if f.metadata["secret"]:
            value = "set" if value else "unset"
        elif isinstance(value, Path):
            value = str(value)
        found.append(Origin(f.name, variable, value, source, f.metadata["secret"], f.metadata["help"]))
    return found
