"""Why a candidate pair, or a piece of its evidence, is not proposed: the rules against false friends.

- **One ontology**: two distinct classes of one ontology are never proposed as the same,
  whatever their names: both IRIs in one namespace (their Bioregistry prefix, else the IRI
  up to its last ``/`` or ``#`` and an OBO-style ``PREFIX_``), or both named in the source
  graph, or both in the target graph (two graphs that share an ontology). Two IRIs of one
  concept (NCIt's OBO PURL and its Thesaurus.owl IRI) are one class, not two.
- **Names that differ where it matters** (``false_friends.refusal``: a negation or an
  opposite, a number, grade, stage or type letter): a name is evidence only when it is the
  same text, or when the names compared pass the word rules and the two labels do not
  contradict each other (``false_friends.contradiction``: a negation, an opposite, a number
  or letter; a label may have words the other lacks, "Division of ..."). A synonym or a
  folded form shared by two classes the labels tell apart is no evidence.
- **Broad and narrow synonyms** name something wider or narrower: never evidence.
- **Similar names** are evidence only as spelling variants (``false_friends.spelling_variants``:
  tumour/tumor, a plural); a name one letter away is as often another disease (rectal and
  renal, parosteal and periosteal).

A refusal reason is ``"rule: detail"``; a pair is counted under the rule of its first reason.
A shared code is kept whatever the names, but a pair whose names clearly disagree
(``false_friends.disagree`` on every pair of its names in one language) is flagged.
"""

from __future__ import annotations

from collections.abc import Container

from ..folding import fold
from . import codes, false_friends
from .candidates import Entity, Name
from .evidence import UNRELIABLE_FIELDS, Evidence

SAME_NAMESPACE = "same ontology (one namespace)"
SAME_GRAPH = "same ontology (both named in one graph)"
UNRELIABLE_SYNONYM = "broad or narrow synonym"
NOT_A_VARIANT = "similar but not a spelling variant"
#: the names compared for disagreement: what the entity is called, not what it is related to
_OWN_NAMES = frozenset({"label", "synonym"})


def rule(reason: str) -> str:
    """The rule a reason names: its text before the first colon."""
    return reason.split(":", 1)[0].strip()


def one_ontology(
    subject: Entity, obj: Entity, subjects: Container[str], objects: Container[str]
) -> str | None:
    """Why two entities are distinct classes of one ontology (None: they are not)."""
    one, other = codes.of_iri(subject.iri), codes.of_iri(obj.iri)
    if one is not None and other is not None and one.key == other.key:
        return None  # one concept under two IRIs
    if obj.iri in subjects or subject.iri in objects:
        return SAME_GRAPH
    if codes.namespace(subject.iri) == codes.namespace(obj.iri):
        return SAME_NAMESPACE
    return None


def sift(subject: Entity, obj: Entity, evidences: list[Evidence]) -> tuple[list[Evidence], list[str]]:
    """(the evidence kept, the reasons for the rest), reasons most telling first."""
    kept: list[Evidence] = []
    reasons: list[str] = []
    labels: str | None | bool = False  # the labels' refusal, worked out once when needed
    for evidence in evidences:
        if evidence.names is None:
            kept.append(evidence)
            continue
        name, other = evidence.names
        if name.field in UNRELIABLE_FIELDS or other.field in UNRELIABLE_FIELDS:
            reasons.append(f"{UNRELIABLE_SYNONYM}: {name.text!r} and {other.text!r}")
            continue
        reason = false_friends.refusal(name.text, other.text) if name.text != other.text else None
        if reason is None and not (name.field == other.field == "label"):
            if labels is False:
                labels = _labels_refusal(subject, obj)
            reason = labels if isinstance(labels, str) else None
        if (
            reason is None
            and evidence.kind == "similar"
            and not false_friends.spelling_variants(name.text, other.text)
        ):
            reason = f"{NOT_A_VARIANT}: {name.text!r} and {other.text!r}"
        if reason is None:
            kept.append(evidence)
        else:
            reasons.append(reason)
    own = (f"{UNRELIABLE_SYNONYM}:", f"{NOT_A_VARIANT}:")
    return kept, sorted(reasons, key=lambda r: r.startswith(own))


def _labels_refusal(subject: Entity, obj: Entity) -> str | None:
    one, other = subject.label(), obj.label()
    if not one or not other or fold(one) == fold(other):
        return None
    return false_friends.contradiction(one, other)


def disagreement(subject: Entity, obj: Entity) -> str | None:
    """Why the names of a pair linked by a code clearly disagree: no two of them, in one language, agree.

    The labels are asked first (most pairs agree there and nothing else is asked); a pair with
    no names in a common language cannot be told, and is not flagged.
    """
    pairs = [(a, b) for a in _own(subject) for b in _own(obj) if _one_language(a, b)]
    if not pairs:
        return None
    pairs.sort(key=lambda pair: (pair[0].field != "label", pair[1].field != "label"))
    first = None
    for a, b in pairs:
        reason = false_friends.disagree(a.text, b.text) if a.folded != b.folded else None
        if reason is None:
            return None
        first = first or reason
    return first


def _own(entity: Entity) -> list[Name]:
    return [name for name in entity.names if name.field in _OWN_NAMES]


def _one_language(one: Name, other: Name) -> bool:
    if not one.lang or not other.lang:
        return True
    return one.lang.split("-")[0].casefold() == other.lang.split("-")[0].casefold()
