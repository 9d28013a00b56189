"""The W3C Entity Reconciliation Service API over pedkg's entities, as OpenRefine uses it.

The library behind ``/reconcile`` (its web view is ``pedkg.web.reconcile``), one module per noun:

- ``queries``: the API's questions and answers as dataclasses (``Query`` of ``Condition``,
  ``Candidate`` with its ``Feature`` scores) and the limits and languages they may carry;
- ``properties``: what a query may match on (the code properties) and what data extension
  may fetch, with their names in English and Korean;
- ``facts``: what reconciliation knows beyond the search index, read once per store
  version: codes, definitions, the class hierarchy and the names of other graphs' classes;
- ``reconciler``: ``Reconciler`` finds and scores the candidates of a query, suggests
  entities, types and properties, and gives an entity's values for data extension;
- ``documents``: the JSON documents of the two dialects (0.2, which OpenRefine speaks, and
  the 1.0 draft) read into queries, and candidates and extension answers written back;
- ``manifest``: the service manifests of the two dialects.

Identifiers: an entity's id is its local name (``neuroblastoma`` for
``https://w3id.org/pedkg/neuroblastoma``), the identifier space is the namespace, so
``identifierSpace + id`` is the IRI and a view template can insert the id as a URI
component, as clients do. Entities are the IRIs minted directly under the namespace;
ontology terms, graphs and build activities live in sub-namespaces and are not candidates.
Types are CURIEs (``pko:Disease``); a query may name a type by CURIE, IRI or local name,
and a superclass (``schema:MedicalOrganization``) selects its subclasses' entities.
"""
