"""The ``pedkg`` command: a thin shell over build, validate, import, export, dump and the query catalogue.

Each command parses its options, makes one library call and prints. Errors from
the library come back as ``file:line: reason`` lines on stderr and exit code 1.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import pyoxigraph as ox
from rich.console import Console
from rich.progress import DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from .config import Settings, describe, origins
from .errors import InputError, PedkgError, StoreError, ValidationFailed
from .ingest import build as build_mod
from .ingest import detect, vocabularies
from .ingest import importer as importer_mod
from .namespaces import compress
from .sparql import catalogue as queries
from .sparql import formats
from .store import dump as dump_mod
from .store.backend import open_reader
from .store.interface import QueryResult
from .views import fhir as fhir_view

F = TypeVar("F", bound=Callable[..., Any])


def reports_errors(command: F) -> F:
    """Turn pedkg's errors into messages on stderr and exit code 1."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ValidationFailed as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            click.echo(f"{len(exc.problems)} problem(s); nothing was changed", err=True)
        except InputError as exc:
            click.echo(f"{exc.problem}; nothing was changed", err=True)
        except PedkgError as exc:
            click.echo(f"error: {exc}", err=True)
        sys.exit(1)

    return wrapper  # type: ignore[return-value]


def settings_from(ctx: click.Context) -> Settings:
    return ctx.find_object(Settings) or Settings.from_env()


@click.group(
    epilog="Settings: " + "; ".join(f"{env} (default {default}): {text}" for env, default, text in describe())
)
@click.option("--store", type=click.Path(path_type=Path), help="Store location (else $PEDKG_STORE).")
@click.version_option(package_name="pedkg")
@click.pass_context
def main(ctx: click.Context, store: Path | None) -> None:
    """pedkg: the pediatric hematology-oncology knowledge graph."""
    ctx.obj = Settings.from_env(store=store)


@main.command()
@click.pass_context
@reports_errors
def validate(ctx: click.Context) -> None:
    """Check every source (syntax, SHACL, CURIEs, codes) without touching the store."""
    found = build_mod.load_sources(settings_from(ctx))
    click.echo(f"ok: {len(found)} sources valid")


@main.command()
@click.pass_context
@reports_errors
def build(ctx: click.Context) -> None:
    """Validate the sources and build a fresh store, swapped in only when complete."""
    report = build_mod.build(settings_from(ctx))
    for graph, count in report.triples_per_graph.items():
        click.echo(f"{graph:24} {count:6} triples")
    click.echo(f"built {report.total} triples into {report.store}")


@main.command("settings")
@click.option(
    "--format", "-f", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.pass_context
def show_settings(ctx: click.Context, fmt: str) -> None:
    """Every setting, its value and where it came from (environment, option, default); secrets: set/unset."""
    shown = origins(settings_from(ctx))
    if fmt == "json":
        click.echo(json.dumps([asdict(origin) for origin in shown], indent=2))
        return
    table = Table("variable", "value", "from", "what it sets")
    for origin in shown:
        table.add_row(origin.variable, str(origin.value), origin.source, origin.help)
    (Console() if Console().is_terminal else Console(width=1000)).print(table)


@main.command()
@click.option("--host", help="Address to listen on (else $PEDKG_HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (else $PEDKG_PORT, 8000).")
@click.option("--workers", type=int, help="Server worker processes (else $PEDKG_WORKERS, 2).")
@click.pass_context
@reports_errors
def serve(ctx: click.Context, host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the SPARQL endpoint and pages with gunicorn, on the built store (read-only)."""
    from dataclasses import replace

    from .web.server import serve as run_server

    settings = settings_from(ctx)
    if not settings.remote and not settings.store.exists():
        raise StoreError(f"{settings.store}: no store here; run `pedkg build` first")
    given = {"host": host, "port": port, "workers": workers}
    overrides = {k: v for k, v in given.items() if v is not None}  # --port 0: gunicorn picks a free port
    run_server(replace(settings, **overrides))  # type: ignore[arg-type]


@main.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="K=V", help="Bind a query parameter.")
@click.option(
    "--format",
    "-f",
    "fmt",
    default="table",
    type=click.Choice(["table", *formats.RESULT_FORMATS, *formats.GRAPH_FORMATS]),
    help="Output format.",
)
@click.option("--list", "list_", is_flag=True, help="List the named queries.")
@click.pass_context
@reports_errors
def query(ctx: click.Context, name: str | None, params: tuple[str, ...], fmt: str, list_: bool) -> None:
    """Run a named query, an .rq file, or '-' for a query on standard input."""
    settings = settings_from(ctx)
    if list_ or name is None:
        for q in queries.catalogue(settings.queries_dir).values():
            args = " ".join(f"--param {p.name}={p.default}" for p in q.params)
            click.echo(f"{q.name:28} {q.title}" + (f"  [{args}]" if args else ""))
        return
    named = (
        queries.from_text(sys.stdin.read()) if name == "-" else queries.resolve(name, settings.queries_dir)
    )
    values = dict(_split_param(p) for p in params)
    result = named.run(open_reader(settings), values)
    if fmt == "table":
        _print_table(result)
    else:
        click.echo(formats.serialize(result, fmt).decode(), nl=False)


@main.command()
@click.option("--source", metavar="GRAPH", help="Graph whose entities are the subjects (e.g. division).")
@click.option("--target", metavar="GRAPH", help="Graph whose entities are the objects (e.g. other-hospital).")
@click.option(
    "--output", "-o", type=click.Path(path_type=Path), help="Write the SSSOM TSV here (else stdout)."
)
@click.option(
    "--min-score", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Lowest confidence."
)
@click.option("--author", help="author_id: an IRI or CURIE (else $PEDKG_LINK_AUTHOR).")
@click.option("--accept", type=click.Path(path_type=Path), metavar="FILE", help="Load a reviewed SSSOM file.")
@click.option(
    "--graph", metavar="NAME", help="With --accept: load into pkg:links-NAME (else from the file name)."
)
@click.pass_context
@reports_errors
def link(
    ctx: click.Context,
    source: str | None,
    target: str | None,
    output: Path | None,
    min_score: float,
    author: str | None,
    accept: Path | None,
    graph: str | None,
) -> None:
    """Propose mappings between two graphs as SSSOM, or load a reviewed file with --accept."""
    from .mapping import proposals as linking
    from .mapping import reviewed

    settings = settings_from(ctx)
    if accept is not None:
        if source or target:
            raise click.UsageError("--accept loads a reviewed file; it takes no --source or --target")
        report = reviewed.accept(settings, accept, graph)
        click.echo(
            f"loaded {report.mappings} mapping(s) and {report.rejected} rejection(s), "
            f"{report.triples} triples, into pkg:{report.graph}"
        )
        return
    if not source or not target:
        raise click.UsageError("give --source GRAPH and --target GRAPH (or --accept FILE)")
    agent = linking.agent_iri(author or settings.link_author)
    if agent is None:
        raise click.BadParameter(
            f"{author or settings.link_author!r} is not an IRI or a known CURIE", param_hint="--author"
        )
    proposals = linking.propose(open_reader(settings), source, target, agent, min_score)
    text = proposals.to_tsv()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"{len(proposals.mappings)} proposal(s) written to {output}", err=True)
    click.echo(proposals.summary(), err=True)  # what was left out and refused, by rule


def _split_param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise click.BadParameter(f"{text!r} is not K=V", param_hint="--param")
    return key, value


def _cell(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return compress(term.value)
    if isinstance(term, ox.Literal):
        return term.value + (f"@{term.language}" if term.language else "")
    return "" if term is None else str(term)


def _print_table(result: QueryResult) -> None:
    console = Console()
    if not console.is_terminal:  # piped or captured: never cut cells to fit 80 columns
        console = Console(width=1000)
    if isinstance(result, ox.QueryBoolean):
        console.print("yes" if bool(result) else "no")
        return
    if not isinstance(result, ox.QuerySolutions):  # a graph
        click.echo(formats.serialize(result, "turtle").decode(), nl=False)
        return
    names = [v.value for v in result.variables]
    table = Table(*names)
    rows = 0
    for solution in result:
        table.add_row(*(_cell(solution[name]) for name in names))
        rows += 1
    console.print(table)
    console.print(f"{rows} row(s)")


@main.command("import", epilog=f"pedkg reads {detect.readable()}.")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False), required=False)
@click.option("--graph", "-g", "name", help="Graph name NAME: the triples go to pkg:NAME.")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(detect.OPTIONS),
    help="The file's format (else told by its name, and for .json and .tsv by its first bytes).",
)
@click.option("--replace", is_flag=True, help="Replace the graph if it exists.")
@click.option("--base", "base_iri", help="Base IRI for relative IRIs (else relative IRIs are errors).")
@click.option(
    "--vocabulary",
    type=click.Choice(sorted(vocabularies.VOCABULARIES)),
    help="Import a vocabulary pedkg makes from package data instead of a file (graph pkg:hpo, pkg:icd10).",
)
@click.pass_context
@reports_errors
def import_(
    ctx: click.Context,
    file: Path | None,
    name: str | None,
    fmt: str | None,
    replace: bool,
    base_iri: str | None,
    vocabulary: str | None,
) -> None:
    """Import a file into its own named graph, as a new store version: all or nothing.

    RDF goes in as it is; an SSSOM TSV mapping set becomes a mappings graph (a SKOS triple and
    an owl:Axiom per mapping, shown on /mappings), an OBO file or OBO Graphs JSON the OWL of
    OBO's own releases.
    """
    settings = settings_from(ctx)
    if vocabulary:
        if file is not None or fmt or base_iri:
            raise click.UsageError("--vocabulary takes no FILE, --format or --base")
        report = importer_mod.import_vocabulary(settings, vocabulary, name or vocabulary, replace)
    else:
        if file is None or name is None:
            raise click.UsageError("give FILE and --graph NAME (or --vocabulary)")
        with _byte_progress(file) as progress:
            report = importer_mod.import_file(settings, file, name, fmt, replace, base_iri, progress)
    rate = report.triples / report.seconds if report.seconds else 0.0
    for note in report.notes:
        click.echo(note)
    click.echo(
        f"imported {report.triples} triples into pkg:{report.graph} "
        f"in {report.seconds:.1f} s ({rate:,.0f} triples/s)"
    )


@contextmanager
def _byte_progress(file: Path) -> Iterator[Callable[[int], None] | None]:
    """A progress bar of bytes read on a terminal, nothing when output is piped."""
    console = Console(stderr=True)
    if not console.is_terminal or not file.is_file():
        yield None
        return
    columns = (*Progress.get_default_columns()[:3], DownloadColumn(), TransferSpeedColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(f"importing {file.name}", total=file.stat().st_size)
        yield lambda done: bar.update(task, completed=done)


@main.command()
@click.option("--drop", "drop", metavar="NAME", help="Remove the imported graph pkg:NAME.")
@click.pass_context
@reports_errors
def graphs(ctx: click.Context, drop: str | None) -> None:
    """List the named graphs with their triple counts and, for imported ones, where they came from."""
    settings = settings_from(ctx)
    if drop:
        importer_mod.drop(settings, drop)
        click.echo(f"dropped pkg:{drop}")
        return
    table = Table("graph", "triples", "imported from", "format", "sha256", "created")
    for info in importer_mod.graphs(open_reader(settings)):
        table.add_row(
            info.name, str(info.triples), info.source, info.media_type, info.sha256[:12], info.created
        )
    console = Console() if Console().is_terminal else Console(width=1000)
    console.print(table)


@main.command()
@click.argument("name", type=click.Choice(sorted(vocabularies.VOCABULARIES)))
@click.option("--output", "-o", type=click.Path(path_type=Path, dir_okay=False), help="File (else stdout).")
@reports_errors
def vocabulary(name: str, output: Path | None) -> None:
    """Write a standard vocabulary as N-Triples, made from data an installed package ships."""
    made = vocabularies.VOCABULARIES[name]
    if output is None:
        count = made.write(sys.stdout.buffer)
    else:
        with output.open("wb") as file:
            count = made.write(file)
    click.echo(f"{count} triples of {made.title} from {made.source_title()}", err=True)


@main.command("dump")
@click.option(
    "--output", "-o", default="-", metavar="FILE|-", help="Write here (else standard output); appears whole."
)
@click.option(
    "--format", "-f", "fmt", type=click.Choice(sorted(dump_mod.FORMATS)), default="nquads", show_default=True
)
@click.option(
    "--gzip", "compress", is_flag=True, help="Compress with gzip (implied by a name ending in .gz)."
)
@click.pass_context
@reports_errors
def dump(ctx: click.Context, output: str, fmt: str, compress: bool) -> None:
    """Write the whole dataset, every named graph and the default graph, in canonical form."""
    target = None if output == "-" else Path(output)
    report = dump_mod.dump(settings_from(ctx), target, fmt, compress or output.endswith(".gz"))
    click.echo(
        f"dumped {report.quads} quads in {report.graphs} named graphs ({report.size:,} bytes) to {output}",
        err=True,
    )


@main.command()
@click.option("--fhir", is_flag=True, required=True, help="As a FHIR R4 Bundle (JSON): the one format yet.")
@click.option("--output", "-o", default="-", metavar="DIR|FILE|-", help="File or folder (else stdout).")
@click.pass_context
@reports_errors
def export(ctx: click.Context, fhir: bool, output: str) -> None:
    """Write the division, its departments, teams and programs (a folder gets pedkg-division.fhir.json)."""
    click.echo(fhir_view.write(open_reader(settings_from(ctx)), None if output == "-" else output), err=True)


@main.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--format", "-f", "fmt", type=click.Choice(sorted(dump_mod.FORMATS)), help="Else from the suffix."
)
@click.pass_context
@reports_errors
def restore(ctx: click.Context, file: Path, fmt: str | None) -> None:
    """Replace the whole store with a dump (.nq or .trig, optionally .gz); a broken file changes nothing."""
    report = dump_mod.restore(settings_from(ctx), file, fmt)
    click.echo(f"restored {report.quads} quads in {report.graphs} named graphs from {file}")
