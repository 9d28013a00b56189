"""The picture of how the division connects, as a model: the division and its neighbours by kind.

The division sits in the middle; around it, one box per kind of neighbour (its disease
groups with their diseases, the procedure it performs, the surgical departments and
the diagnostic support teams it works with, its palliative care team and its support
programs), each box in its own colour and joined to the division by one labelled
curve. Clusters instead of one line per neighbour keep the picture readable: 36
nodes, 7 curves. Every node and every box title is a link to its ``/id/`` page.

This module reads the graph (one query) into ``Model``, naming every node by the one
label rule of ``pedkg.labels``; ``diagram_svg`` draws a model, so the drawing never
touches the graph and the model can be listed as text too (the home page's list twin).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..labels import Labels, Text
from ..namespaces import BASE, ONTOLOGY
from ..sparql.rows import Row

#: the division's neighbours by kind; the one query the picture needs
QUERY = """
PREFIX pko: <https://w3id.org/pedkg/ontology/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?kind ?node ?group ?name ?label WHERE {
  ?division a pko:Division .
  { ?node a pko:Division . BIND("division" AS ?kind) }
  UNION { ?division pko:targetDisease ?node . ?group a pko:DiseaseGroup ; skos:member ?node .
          BIND("disease" AS ?kind) }
  UNION { ?division pko:targetDisease ?d . ?node a pko:DiseaseGroup ; skos:member ?d .
          BIND("group" AS ?kind) }
  UNION { ?division pko:offersProcedure ?node . BIND("procedure" AS ?kind) }
  UNION { ?division pko:collaboratesWith ?node . ?node a pko:SurgicalDepartment . BIND("surgical" AS ?kind) }
  UNION { ?division pko:collaboratesWith ?node . ?node a pko:DiagnosticSupportTeam .
          BIND("diagnostic" AS ?kind) }
  UNION { ?division pko:operates ?node . ?node a pko:CareTeam . BIND("care" AS ?kind) }
  UNION { ?division pko:operates ?node . ?node a pko:SupportProgram . BIND("program" AS ?kind) }
  OPTIONAL { ?node ?name ?label VALUES ?name { rdfs:label skos:prefLabel } FILTER(isLiteral(?label)) }
}
"""

#: kind -> (the class whose page a box title links to, the relation's message key)
KINDS: dict[str, tuple[str, str]] = {
    "procedure": ("Procedure", "diagram_performs"),
    "surgical": ("SurgicalDepartment", "diagram_works_with"),
    "diagnostic": ("DiagnosticSupportTeam", "diagram_works_with"),
    "care": ("CareTeam", "diagram_runs"),
    "program": ("SupportProgram", "diagram_runs"),
}


@dataclass(frozen=True)
class Node:
    """One box or pill: an IRI, named from the labels read for the whole picture."""

    iri: str
    names: Labels = field(compare=False, repr=False)

    def label(self, lang: str) -> Text:
        """The node's label by the one rule (``Labels.label``), with its language."""
        return self.names.label(self.iri, lang)


@dataclass
class Cluster:
    key: str  # colour key
    title: Node  # the disease group, or the class of the kind
    relation: str  # message key of the curve's label
    nodes: list[Node] = field(default_factory=list)
    plural: str = ""  # message key naming the kind, for boxes titled by a class


@dataclass
class Model:
    division: Node
    clusters: list[Cluster]

    def nodes(self) -> list[Node]:
        """Every node of the picture, the division first."""
        found = [self.division]
        for cluster in self.clusters:
            found += [cluster.title, *cluster.nodes]
        return found


def from_rows(rows: list[Row], lang: str) -> Model | None:
    """The picture's model from the rows of ``QUERY`` (terms); None when the graph has no division."""
    names = Labels()
    nodes: dict[str, Node] = {}
    kinds: dict[str, dict[tuple[str, str], None]] = {}  # kind -> (node, its group), once each, in order
    for row in rows:
        node = row["node"].value
        nodes.setdefault(node, Node(node, names))
        if "label" in row:
            names.add(node, row["name"].value, row["label"])
        group = row["group"].value if "group" in row else ""
        kinds.setdefault(row["kind"].value, {})[(node, group)] = None
    if "division" not in kinds:
        return None

    def ordered(iris: set[str]) -> list[Node]:
        # "other ..." last, the rest alphabetical in the reader's language
        return sorted(
            (nodes[iri] for iri in iris),
            key=lambda n: (n.iri.removeprefix(BASE).startswith("other-"), n.label(lang).value.casefold()),
        )

    clusters: list[Cluster] = []
    groups = ordered({iri for iri, _ in kinds.get("group", {})})
    groups.sort(key=lambda g: -sum(1 for _, parent in kinds.get("disease", {}) if parent == g.iri))
    for index, group in enumerate(groups):
        members = {iri for iri, parent in kinds.get("disease", {}) if parent == group.iri}
        clusters.append(Cluster(f"group{min(index, 2)}", group, "diagram_treats", ordered(members)))
    for kind, (class_name, relation) in KINDS.items():
        members = {iri for iri, _ in kinds.get(kind, {})}
        if members:
            title = Node(ONTOLOGY + class_name, names)
            clusters.append(Cluster(kind, title, relation, ordered(members), plural=f"diagram_{kind}"))
    return Model(nodes[next(iter(kinds["division"]))[0]], clusters)
