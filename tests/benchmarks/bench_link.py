"""How long ``pedkg link`` takes between two disease ontologies of realistic shape and size.

Usage: ``nice -n 10 .venv/bin/python tests/benchmarks/bench_link.py [--sizes 12000x7000,25000x25000]
[--runs 2] [--seed 1] [--workdir DIR]``. Writes tests/benchmarks/results/link.md (and .json).

For each size ``NxM`` it builds a fresh store (``pedkg build``), writes two ontologies and
imports them with ``pedkg import`` (timed), then times ``pedkg link --source a --target b -o
FILE`` end to end as a user runs it: a new process, the store reads, the Bioregistry load,
matching, refusals and writing the SSSOM file.

The data is synthetic and deterministic (seeded); no code in it is a real one:

- A universe of disease concepts with names made from words of the field (a qualifier, a
  site and a histology; "X of the Y"; an eponym's syndrome of a type number; a grade), each
  with synthetic codes in the shapes of NCIt (``C`` + 7 digits), UMLS (``C`` + 7 digits),
  MeSH (``D`` + 6 digits) and SNOMED CT (9 digits), far above the real ranges used.
- Graph ``a`` (N concepts) as the Disease Ontology's OWL writes them: ``rdfs:label``, 0-3
  ``oboInOwl:hasExactSynonym`` (reorderings, British spellings, abbreviations), sometimes a
  related or broad synonym, 1-5 ``oboInOwl:hasDbXref`` strings (``NCI:``, ``UMLS_CUI:``,
  ``MESH:``, ``SNOMEDCT_US_2025_09_01:``), ``rdfs:subClassOf`` one of N/100 groups.
- Graph ``b`` (M concepts) as a SKOS conversion of OncoTree writes them: ``skos:prefLabel``
  (the same name, or a variant: British spelling, a plural, other case), 0-2
  ``skos:altLabel``, ``skos:exactMatch`` to NCIt's Thesaurus.owl IRIs and UMLS's
  linkedlifedata IRIs (the other URI prefixes of the same codes), ``skos:broader`` a group.
  60% of b's concepts are concepts of a (so about that many pairs share a code or a name);
  names of both are drawn from one vocabulary, so near-miss names (grade 2 / grade 3, type
  1 / type 11) abound, as in real disease ontologies.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"

# fmt: off
QUALIFIERS = (
    "malignant", "benign", "primary", "secondary", "metastatic", "recurrent", "refractory", "childhood",
    "adult", "juvenile", "congenital", "familial", "hereditary", "sporadic", "atypical", "anaplastic",
    "papillary", "follicular", "medullary", "mixed", "cystic", "solid", "invasive", "undifferentiated",
    "clear cell", "small cell", "large cell", "spindle cell", "in situ", "low grade", "high grade",
)
SITES = (
    "brain", "kidney", "liver", "bone", "lung", "breast", "colon", "rectum", "stomach", "pancreas", "skin",
    "ovary", "testis", "thyroid", "adrenal", "retina", "bladder", "prostate", "uterus", "cervix",
    "esophagus", "spleen", "thymus", "muscle", "nerve", "eye", "ear", "nose", "larynx", "pharynx",
    "tongue", "lip", "heart", "marrow", "meninges", "pituitary", "pineal", "gallbladder", "appendix",
    "anus", "vulva", "vagina", "penis", "cartilage", "synovium", "pleura", "peritoneum", "mediastinum",
    "orbit", "sinus", "jaw", "trachea", "bronchus", "ureter", "urethra", "duodenum", "jejunum", "ileum",
    "cecum",
)
HISTOLOGIES = (
    "carcinoma", "adenocarcinoma", "sarcoma", "lymphoma", "leukemia", "blastoma", "neuroblastoma",
    "glioma", "astrocytoma", "ependymoma", "medulloblastoma", "teratoma", "germinoma", "seminoma",
    "melanoma", "mesothelioma", "myeloma", "osteosarcoma", "chondrosarcoma", "rhabdomyosarcoma",
    "leiomyosarcoma", "liposarcoma", "angiosarcoma", "fibrosarcoma", "hepatoblastoma", "nephroblastoma",
    "retinoblastoma", "craniopharyngioma", "meningioma", "schwannoma", "neurofibroma", "hemangioma",
    "lipoma", "adenoma", "papilloma", "cyst", "dysplasia", "hyperplasia", "neoplasm", "tumor", "cancer",
    "anemia",
)
SYNDROMES = (
    "syndrome", "disease", "disorder", "deficiency", "dystrophy", "atrophy", "myopathy", "neuropathy",
)
EPONYMS = (
    "Wilms", "Ewing", "Hodgkin", "Burkitt", "Kaposi", "Fanconi", "Diamond-Blackfan", "Gorlin", "Cowden",
    "Lynch", "Li-Fraumeni", "Turcot", "Bloom", "Werner", "Noonan", "Costello", "Sotos",
    "Beckwith-Wiedemann", "Alagille", "Kawasaki", "Gardner", "Peutz", "Carney", "Proteus",
    "Birt-Hogg-Dube",
)
# fmt: on
BRITISH = (("tumor", "tumour"), ("leukemia", "leukaemia"), ("anemia", "anaemia"), ("esophagus", "oesophagus"))


@dataclass
class Concept:
    name: str
    nci: str
    umls: str
    mesh: str
    snomed: str
    synonyms: list[str] = field(default_factory=list)


def universe(size: int, rnd: random.Random) -> list[Concept]:
    names: set[str] = set()
    while len(names) < size:
        roll = rnd.random()
        if roll < 0.45:
            name = f"{rnd.choice(QUALIFIERS)} {rnd.choice(SITES)} {rnd.choice(HISTOLOGIES)}"
        elif roll < 0.6:
            name = f"{rnd.choice(HISTOLOGIES)} of the {rnd.choice(SITES)}"
        elif roll < 0.75:
            name = f"{rnd.choice(EPONYMS)} {rnd.choice(SYNDROMES)} type {rnd.randint(1, 14)}"
        elif roll < 0.85:
            name = f"{rnd.choice(SITES)} {rnd.choice(HISTOLOGIES)}, grade {rnd.randint(1, 4)}"
        else:
            name = f"{rnd.choice(QUALIFIERS)} {rnd.choice(QUALIFIERS)} {rnd.choice(SITES)} {rnd.choice(HISTOLOGIES)}"
        names.add(name)
    concepts = []
    for i, name in enumerate(sorted(names)):
        concept = Concept(
            name, f"C{9_000_000 + i}", f"C{9_500_000 + i}", f"D{900_000 + i}", f"{990_000_000 + i}"
        )
        concept.synonyms = [
            s for s in (_reordered(name), _british(name), _abbreviated(name)) if s and s != name
        ]
        rnd.shuffle(concept.synonyms)
        concepts.append(concept)
    rnd.shuffle(concepts)
    return concepts


def _reordered(name: str) -> str | None:
    words = name.split(" of the ")
    return f"{words[1]} {words[0]}" if len(words) == 2 else None


def _british(name: str) -> str | None:
    for us, uk in BRITISH:
        if us in name:
            return name.replace(us, uk)
    return None


def _abbreviated(name: str) -> str | None:
    words = name.replace(",", "").split()
    return "".join(w[0] for w in words).upper() if len(words) >= 3 else None


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_a(concepts: list[Concept], path: Path, rnd: random.Random) -> None:
    """Graph a, Disease Ontology style."""
    obo = "http://purl.obolibrary.org/obo/SYNTH_"
    groups = max(1, len(concepts) // 100)
    with path.open("w", encoding="utf-8") as out:
        out.write("@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n")
        out.write("@prefix oboInOwl: <http://www.geneontology.org/formats/oboInOwl#> .\n")
        for g in range(groups):
            out.write(f'<{obo}G{g:05d}> rdfs:label "disease group {g}" .\n')
        for i, c in enumerate(concepts):
            lines = [f"<{obo}{i:07d}> rdfs:label {_literal(c.name)}"]
            lines += [f"oboInOwl:hasExactSynonym {_literal(s)}" for s in c.synonyms[: rnd.randint(0, 3)]]
            if rnd.random() < 0.15:
                lines.append(f"oboInOwl:hasRelatedSynonym {_literal(c.name + ' NOS')}")
            if rnd.random() < 0.05:
                lines.append(f"oboInOwl:hasBroadSynonym {_literal(c.name.split()[-1])}")
            xrefs = [
                f"NCI:{c.nci}",
                f"UMLS_CUI:{c.umls}",
                f"MESH:{c.mesh}",
                f"SNOMEDCT_US_2025_09_01:{c.snomed}",
            ]
            lines += [f"oboInOwl:hasDbXref {_literal(x)}" for x in xrefs if rnd.random() < 0.7]
            lines.append(f"rdfs:subClassOf <{obo}G{rnd.randrange(groups):05d}>")
            out.write(" ;\n    ".join(lines) + " .\n")


def write_b(concepts: list[Concept], path: Path, rnd: random.Random) -> None:
    """Graph b, a SKOS conversion of OncoTree style."""
    base = "https://example.org/bench-tumour-types/"
    groups = max(1, len(concepts) // 100)
    with path.open("w", encoding="utf-8") as out:
        out.write("@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n")
        for g in range(groups):
            out.write(f'<{base}G{g:05d}> skos:prefLabel "Tumour group {g}"@en .\n')
        for i, c in enumerate(concepts):
            roll = rnd.random()
            plural = c.name + "s" if c.name[-1].isalpha() else c.name
            name = c.name.title() if roll < 0.3 else (_british(c.name) or plural) if roll < 0.45 else c.name
            lines = [f"<{base}T{i:07d}> skos:prefLabel {_literal(name)}@en"]
            lines += [f"skos:altLabel {_literal(s)}@en" for s in c.synonyms[: rnd.randint(0, 2)]]
            if rnd.random() < 0.7:
                lines.append(f"skos:exactMatch <http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl#{c.nci}>")
            if rnd.random() < 0.5:
                lines.append(f"skos:exactMatch <http://linkedlifedata.com/resource/umls/id/{c.umls}>")
            lines.append(f"skos:broader <{base}G{rnd.randrange(groups):05d}>")
            out.write(" ;\n    ".join(lines) + " .\n")


def pedkg(store: Path, *args: str) -> tuple[float, subprocess.CompletedProcess[str]]:
    env = {**os.environ, "PEDKG_STORE": str(store), "PYTHONPATH": str(ROOT / "service")}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "pedkg", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"pedkg {' '.join(args)} failed:\n{done.stderr}")
    return seconds, done


def bench(n: int, m: int, runs: int, seed: int, workdir: Path) -> dict[str, object]:
    rnd = random.Random(seed)
    concepts = universe(int(max(n, m) * 1.6), rnd)
    a = concepts[:n]
    shared = int(m * 0.6)
    b = concepts[:shared] + concepts[n : n + m - shared]
    rnd.shuffle(b)
    folder = workdir / f"link-{n}x{m}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    store = folder / "store"
    pedkg(store, "build")
    write_a(a, folder / "a.ttl", rnd)
    write_b(b, folder / "b.ttl", rnd)
    imports = {}
    for name in ("a", "b"):
        seconds, _ = pedkg(store, "import", str(folder / f"{name}.ttl"), "--graph", name)
        imports[name] = round(seconds, 2)
    times, summary = [], ""
    for _ in range(runs):
        seconds, done = pedkg(
            store, "link", "--source", "a", "--target", "b", "-o", str(folder / "out.sssom.tsv")
        )
        times.append(round(seconds, 2))
        summary = done.stderr.strip().splitlines()[-1]
    print(f"{n} x {m}: link {times} s; {summary}", flush=True)
    return {"subjects": n, "objects": m, "import_seconds": imports, "link_seconds": times, "summary": summary}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="12000x7000,25000x25000")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--output", type=Path, default=RESULTS / "link.md")
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pedkg-bench-link-"))
    load_before = os.getloadavg()[0]  # the machine may be shared: say how busy it was
    results = []
    try:
        for size in args.sizes.split(","):
            n, m = (int(x) for x in size.split("x"))
            results.append(bench(n, m, args.runs, args.seed, workdir))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {load_before:.1f} before and {os.getloadavg()[0]:.1f} after"
    )
    lines = [
        "# `pedkg link` between two synthetic disease ontologies",
        "",
        f"`tests/benchmarks/bench_link.py --sizes {args.sizes} --runs {args.runs} --seed {args.seed}` "
        f"on {machine}, {time.strftime('%Y-%m-%d')}. Wall time of the whole command (a new process: "
        "store reads, Bioregistry load, matching, refusals, writing SSSOM).",
        "",
        "| subjects x objects | import a / b (s) | link (s), each run | what link reported |",
        "|---|---|---|---|",
    ]
    for r in results:
        imports = r["import_seconds"]
        assert isinstance(imports, dict)
        lines.append(
            f"| {r['subjects']:,} x {r['objects']:,} | {imports['a']} / {imports['b']} | "
            f"{', '.join(map(str, r['link_seconds']))} | {r['summary']} |"  # type: ignore[call-overload]
        )
    args.output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
