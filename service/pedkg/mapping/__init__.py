"""Mappings: SSSOM files read, checked and written; curated, reviewed and proposed links.

``sssom`` reads every SSSOM file and checks it by one set of rules, ``curated`` adds what
the division's own mapping files must give and turns them into RDF, ``reviewed`` loads the
sets a curator accepted, ``proposals`` finds candidate links between two graphs (``pedkg
link``: ``candidates`` are the named entities, ``codes`` compares codes as Bioregistry
CURIEs, ``similarity`` finds similar names, ``evidence`` scores the evidence, ``refusals``
and ``false_friends`` refuse false friends, comparing names as ``name_reading`` reads them
with the words ``clinical_words`` knows, ``proposal_row`` writes what a reviewer judges),
``stored`` lists every mapping in the store and ``sssom_tsv`` writes SSSOM TSV. Imports
``sparql`` and ``store`` below it (``reviewed`` still describes its graph through
``ingest.importer``).
"""
