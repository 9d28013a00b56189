"""Precision and recall of ``pedkg link`` on real public ontologies, and how long it takes (issue 14).

    PYTHONPATH=service .venv/bin/python tests/benchmarks/link_quality.py
        [--pairs do-oncotree,doid-ncit] [--workdir var/link-quality]
        [--output tests/benchmarks/results/link-quality.md] [--timeout 3600] [--label TEXT]

Nothing is downloaded: the files ``tests/fixtures/linking/sources.py`` names are read from
``var/linking/`` (sha256 checked; README.md there says how to get each). Two pairs:

- ``do-oncotree``: the Disease Ontology cancer slim (RDF/XML release, 730 classes) against the
  whole OncoTree 2025_10_03 (898 types, as SKOS by ``oncotree_skos``, the fixtures' converter);
- ``doid-ncit``: the whole Disease Ontology of 2018-07-05 against the NCI Thesaurus disease
  branch of 2018-06-08 (OBO Graphs JSON, as OWL triples by ``pedkg.ingest.obo_graphs``, the reader `pedkg import` uses), the largest pair.

Gold standards, independent of names: a pair is right when both ends carry the same NCIt code
(DO's ``hasDbXref "NCI:C…"`` strings; OncoTree's NCI references; an NCIt class's own code),
and, for ``doid-ncit``, when MONDO maps one MONDO class exactly to both ends (MONDO's
``mondo_exactmatch_doid`` and ``mondo_exactmatch_ncit`` sets). Each pair is linked twice, each
time in a store of its own built by ``pedkg build`` with the two files imported:

- ``codes``: the files as published; code evidence and names together;
- ``names``: every cross-reference and ``skos:exactMatch`` stripped from both sides, so only
  names can propose and the gold stays independent of the evidence.

Precision counts the proposals whose two ends are both in the gold's domain (each end has a
code the gold can judge, neither deprecated); recall is the share of gold pairs proposed.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from pedkg.ingest import obo_graphs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures" / "linking"))

import oncotree_skos  # noqa: E402
import sources  # noqa: E402

ROOT = sources.ROOT
OIO = "http://www.geneontology.org/formats/oboInOwl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LABELS = {"http://www.w3.org/2000/01/rdf-schema#label", SKOS + "prefLabel"}
XREF = OIO + "hasDbXref"
MATCHES = {SKOS + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
DEPRECATED = "http://www.w3.org/2002/07/owl#deprecated"
NCIT = "http://purl.obolibrary.org/obo/NCIT_"
OBO = "http://purl.obolibrary.org/obo/"
PAIRS = ("do-oncotree", "doid-ncit")


# --- The ontologies, as files pedkg imports, and what they say -----------------------------------


@dataclass
class Facts:
    """What a prepared file says of each class: whether it is named, its NCIt codes, deprecation."""

    named: set[str] = field(default_factory=set)
    ncit: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    deprecated: set[str] = field(default_factory=set)


@cache
def ncit_prefix(prefix: str) -> bool:
    """Whether a cross-reference prefix is the NCI Thesaurus's (``NCI``, ``NCIT``, ``NCI2004_11_17``)."""
    import bioregistry

    return bioregistry.normalize_prefix(prefix) == "ncit"


def facts(path: Path) -> Facts:
    found = Facts()
    for triple in ox.parse(path=str(path), format=rdf_format(path)):
        subject, predicate, obj = triple.subject.value, triple.predicate.value, triple.object
        if predicate in LABELS:
            found.named.add(subject)
        elif predicate == XREF and isinstance(obj, ox.Literal):
            prefix, _, local = obj.value.partition(":")
            if ncit_prefix(prefix) and local:
                found.ncit[subject].add(local.strip())
        elif predicate in MATCHES and isinstance(obj, ox.NamedNode) and obj.value.startswith(NCIT):
            if predicate == SKOS + "exactMatch":
                found.ncit[subject].add(obj.value.removeprefix(NCIT))
        elif predicate == DEPRECATED and obj.value == "true":
            found.deprecated.add(subject)
    for subject in found.named:
        if subject.startswith(NCIT):  # an NCIt class is its own code
            found.ncit[subject].add(subject.removeprefix(NCIT))
    return found


def rdf_format(path: Path) -> ox.RdfFormat:
    return {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES}.get(path.suffix, ox.RdfFormat.RDF_XML)


def write_ntriples(path: Path, triples: Iterable[ox.Triple]) -> Path:
    ox.serialize(triples, output=str(path), format=ox.RdfFormat.N_TRIPLES)
    return path


def without_codes(path: Path, out: Path) -> Path:
    """The file with every cross-reference and SKOS mapping triple taken out: names only."""
    dropped = MATCHES | {XREF}
    kept = (t for t in ox.parse(path=str(path), format=rdf_format(path)) if t.predicate.value not in dropped)
    return write_ntriples(out, kept)


def prepare(workdir: Path, pair: str) -> dict[str, Path]:
    """The subject and object files of a pair, as published and with codes stripped."""
    folder = workdir / "files"
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    if pair == "do-oncotree":
        files["subjects"] = sources.path("DO_cancer_slim.owl")
        tree = json.loads(sources.path("oncotree_2025_10_03.json").read_text(encoding="utf-8"))
        types = oncotree_skos.tumour_types(tree)
        source = sources.SOURCES["oncotree_2025_10_03.json"]
        scheme = f"https://github.com/{source.repository}/blob/{source.commit}/{source.path}"
        files["objects"] = folder / "oncotree.ttl"
        licence = "https://creativecommons.org/licenses/by/4.0/"
        oncotree_skos.write(files["objects"], oncotree_skos.triples(types, scheme, licence))
    else:
        doid = obo_graphs.read(sources.path("doid-2018-07-05.json.gz")).triples
        ncit = obo_graphs.read(sources.path("ncit-disease-2018-06-08.json.gz")).triples
        files["subjects"] = write_ntriples(folder / "doid.nt", doid)
        files["objects"] = write_ntriples(folder / "ncit.nt", ncit)
    files["subjects-names"] = without_codes(files["subjects"], folder / f"{pair}-subjects-names.nt")
    files["objects-names"] = without_codes(files["objects"], folder / f"{pair}-objects-names.nt")
    return files


# --- Gold standards --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gold:
    name: str
    pairs: frozenset[tuple[str, str]]
    subjects: frozenset[str]  # the ends the gold can judge
    objects: frozenset[str]


def shared_ncit(subjects: Facts, objects: Facts) -> Gold:
    by_code: dict[str, set[str]] = defaultdict(set)
    for obj, codes in objects.ncit.items():
        if obj in objects.named and obj not in objects.deprecated:
            for code in codes:
                by_code[code].add(obj)
    judged_subjects = {
        s for s, c in subjects.ncit.items() if s in subjects.named and s not in subjects.deprecated
    }
    pairs = {(s, o) for s in judged_subjects for code in subjects.ncit[s] for o in by_code.get(code, ())}
    judged_objects = {o for os in by_code.values() for o in os}
    return Gold("shared NCIt code", frozenset(pairs), frozenset(judged_subjects), frozenset(judged_objects))


def mondo_chained(subjects: Facts, objects: Facts) -> Gold:
    """DOID ~ NCIt where one MONDO class is an exact match of both (MONDO's curated mapping sets)."""
    ends: dict[str, dict[str, set[str]]] = {"DOID": defaultdict(set), "NCIT": defaultdict(set)}
    for name in ("mondo/mondo_exactmatch_doid.sssom.tsv", "mondo/mondo_exactmatch_ncit.sssom.tsv"):
        with sources.path(name).open(encoding="utf-8") as handle:
            for row in csv.DictReader((ln for ln in handle if not ln.startswith("#")), delimiter="\t"):
                prefix, _, local = row["object_id"].partition(":")
                if row["predicate_id"] == "skos:exactMatch" and prefix in ends:
                    ends[prefix][row["subject_id"]].add(f"{OBO}{prefix}_{local}")

    def usable(facts_: Facts, iri: str) -> bool:
        return iri in facts_.named and iri not in facts_.deprecated

    pairs = {
        (d, n)
        for mondo, doids in ends["DOID"].items()
        for d in doids
        if usable(subjects, d)
        for n in ends["NCIT"].get(mondo, ())
        if usable(objects, n)
    }
    doid_ends = {d for ds in ends["DOID"].values() for d in ds if usable(subjects, d)}
    ncit_ends = {n for ns in ends["NCIT"].values() for n in ns if usable(objects, n)}
    return Gold("MONDO exact matches", frozenset(pairs), frozenset(doid_ends), frozenset(ncit_ends))


# --- Running pedkg ---------------------------------------------------------------------------------


def pedkg(store: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PEDKG_STORE": str(store), "PYTHONPATH": str(ROOT / "service")}
    done = subprocess.run(
        [sys.executable, "-m", "pedkg", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"pedkg {' '.join(args)}: {done.stderr}")
    return done


@dataclass
class Linked:
    rows: list[dict[str, str]]
    seconds: float
    message: str


def link(workdir: Path, name: str, subjects: Path, objects: Path, timeout: float) -> Linked:
    """A fresh store (``pedkg build``), the two files imported, and ``pedkg link`` timed."""
    folder = workdir / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = folder / "store"
    pedkg(store, "build", timeout=timeout)
    pedkg(store, "import", str(subjects), "--graph", "subjects", timeout=timeout)
    pedkg(store, "import", str(objects), "--graph", "objects", timeout=timeout)
    out = folder / "proposals.sssom.tsv"
    started = time.perf_counter()
    done = pedkg(
        store, "link", "--source", "subjects", "--target", "objects", "-o", str(out), timeout=timeout
    )
    seconds = time.perf_counter() - started
    lines = out.read_text(encoding="utf-8").splitlines()
    header = "\n".join(ln for ln in lines if ln.startswith("#"))
    curie_map = dict(re.findall(r"^#\s+(\S+): '?([^'\s]+)'?$", header, re.M))
    rows = list(csv.DictReader((ln for ln in lines if not ln.startswith("#")), delimiter="\t"))
    for row in rows:
        for end in ("subject", "object"):
            prefix, _, local = row[f"{end}_id"].partition(":")
            row[end] = curie_map[prefix] + local if prefix in curie_map else row[f"{end}_id"]
    for child in folder.iterdir():  # the stores go, the proposals stay for reading
        if child == out:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    return Linked(rows, seconds, done.stderr.strip())


# --- Measuring -------------------------------------------------------------------------------------


@dataclass
class Score:
    gold: Gold
    proposals: int
    judged: int
    correct: int

    @property
    def precision(self) -> float | None:
        return self.correct / self.judged if self.judged else None

    @property
    def recall(self) -> float | None:
        return self.correct / len(self.gold.pairs) if self.gold.pairs else None


def score(rows: list[dict[str, str]], gold: Gold) -> Score:
    pairs = {(r["subject"], r["object"]) for r in rows}
    judged = {(s, o) for s, o in pairs if s in gold.subjects and o in gold.objects}
    return Score(gold, len(pairs), len(judged), len(judged & gold.pairs))


@dataclass
class Result:
    pair: str
    run: str
    subjects: int
    objects: int
    linked: Linked
    scores: list[Score]
    by_justification: dict[str, list[Score]]


def measure(pair: str, workdir: Path, timeout: float) -> list[Result]:
    files = prepare(workdir, pair)
    published_subjects, published_objects = facts(files["subjects"]), facts(files["objects"])
    golds = [shared_ncit(published_subjects, published_objects)]
    if pair == "doid-ncit":
        golds.append(mondo_chained(published_subjects, published_objects))
    results = []
    for run in ("codes", "names"):
        subject_file = files["subjects"] if run == "codes" else files["subjects-names"]
        object_file = files["objects"] if run == "codes" else files["objects-names"]
        print(f"{pair} {run}: linking ...", file=sys.stderr, flush=True)
        linked = link(workdir, f"{pair}-{run}", subject_file, object_file, timeout)
        by_kind: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in linked.rows:
            by_kind[row["mapping_justification"].removeprefix("semapv:")].append(row)
        result = Result(
            pair,
            run,
            len(published_subjects.named),
            len(published_objects.named),
            linked,
            [score(linked.rows, g) for g in golds],
            {kind: [score(rows, g) for g in golds] for kind, rows in sorted(by_kind.items())},
        )
        print(summary(result), file=sys.stderr, flush=True)
        results.append(result)
    return results


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f} %"


def summary(result: Result) -> str:
    parts = [
        f"{result.pair} {result.run}: {len(result.linked.rows)} proposals in {result.linked.seconds:.1f} s"
    ]
    for s in result.scores:
        parts.append(
            f"  vs {s.gold.name} ({len(s.gold.pairs)} pairs): precision {percent(s.precision)} "
            f"({s.correct}/{s.judged} judged), recall {percent(s.recall)}"
        )
    return "\n".join(parts)


# --- The report ------------------------------------------------------------------------------------


def report(results: list[Result], command: str, label: str) -> str:
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%h (%cs)", "--", "service"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "service"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    lines = [
        "# Link quality: `pedkg link` on real public ontologies" + (f" ({label})" if label else ""),
        "",
        f"Run {datetime.date.today().isoformat()} on pedkg's `service/` as of commit `{commit}`"
        f"{' with uncommitted changes' if dirty else ''}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores (shared with other jobs). "
        "Made by `tests/benchmarks/link_quality.py`; its docstring says what is measured and how.",
        "",
        "Subjects are the Disease Ontology's classes, objects OncoTree's types or NCIt's classes. "
        "*codes*: the files as published; *names*: every cross-reference and SKOS mapping stripped from "
        "both, so only names can propose. Precision is over the proposals whose two ends the gold can "
        "judge (both carry a code the gold uses, neither deprecated); recall is over the gold's pairs. "
        "Link time is the wall time of the `pedkg link` command (Python start-up included).",
        "",
        "| pair | run | subjects × objects | proposals | gold | gold pairs | judged | correct | precision | recall | link time |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for i, s in enumerate(r.scores):
            first = i == 0
            lines.append(
                f"| {r.pair if first else ''} | {r.run if first else ''} | "
                f"{f'{r.subjects:,} × {r.objects:,}' if first else ''} | {f'{len(r.linked.rows):,}' if first else ''} | "
                f"{s.gold.name} | {len(s.gold.pairs):,} | {s.judged:,} | {s.correct:,} | {percent(s.precision)} | "
                f"{percent(s.recall)} | {f'{r.linked.seconds:.1f} s' if first else ''} |"
            )
    lines += [
        "",
        "## By justification",
        "",
        "| pair | run | justification | gold | proposals | judged | correct | precision | recall |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for kind, scores in r.by_justification.items():
            for s in scores:
                lines.append(
                    f"| {r.pair} | {r.run} | {kind} | {s.gold.name} | {s.proposals:,} | {s.judged:,} | {s.correct:,} | "
                    f"{percent(s.precision)} | {percent(s.recall)} |"
                )
    lines += ["", "## What `pedkg link` said", ""]
    lines += [f"- {r.pair} {r.run}: `{r.linked.message.replace(str(ROOT) + '/', '')}`" for r in results]
    lines += [
        "",
        "## Repeat",
        "",
        "```sh",
        "# the real files, from clones of their repositories (checked by sha256):",
        "mkdir -p var/linking/mondo",
    ]
    wanted = sorted({n for r in results for n in needed(r.pair)})
    lines += [sources.SOURCES[n].command(n) for n in wanted]
    lines += [
        command,
        "```",
        "",
        "## Sources",
        "",
        "| file | repository | path | commit | licence | what |",
        "|---|---|---|---|---|---|",
    ]
    for name in wanted:
        s = sources.SOURCES[name]
        lines.append(f"| `{name}` | `{s.repository}` | `{s.path}` | `{s.commit}` | {s.licence} | {s.what} |")
    return "\n".join(lines) + "\n"


def needed(pair: str) -> tuple[str, ...]:
    if pair == "do-oncotree":
        return ("DO_cancer_slim.owl", "oncotree_2025_10_03.json")
    return (
        "doid-2018-07-05.json.gz",
        "ncit-disease-2018-06-08.json.gz",
        "mondo/mondo_exactmatch_doid.sssom.tsv",
        "mondo/mondo_exactmatch_ncit.sssom.tsv",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", default=",".join(PAIRS), help="comma-separated: " + ", ".join(PAIRS))
    parser.add_argument("--workdir", type=Path, default=ROOT / "var" / "link-quality")
    parser.add_argument(
        "--output", type=Path, default=ROOT / "tests" / "benchmarks" / "results" / "link-quality.md"
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds any one pedkg command may take")
    parser.add_argument("--label", default="", help='what the run measures, for the title ("after issue 14")')
    options = parser.parse_args()
    pairs = [p for p in options.pairs.split(",") if p]
    unknown = set(pairs) - set(PAIRS)
    if unknown:
        parser.error(f"unknown pair(s) {sorted(unknown)}; known: {', '.join(PAIRS)}")
    try:
        for pair in pairs:
            for name in needed(pair):
                sources.path(name)
    except sources.MissingSource as missing:
        sys.exit(str(missing))
    results = [r for pair in pairs for r in measure(pair, options.workdir, options.timeout)]
    command = "PYTHONPATH=service .venv/bin/python tests/benchmarks/link_quality.py"
    command += f" --pairs {','.join(pairs)}" if pairs != list(PAIRS) else ""
    command += f' --label "{options.label}"' if options.label else ""
    options.output.write_text(report(results, command, options.label), encoding="utf-8")
    print(f"wrote {options.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
