"""Data in: the curated sources checked and built, other graphs imported, vocabularies made.

``sources`` names the files of a build, ``validate`` checks them (SHACL, CURIEs, code lists
from ``codelists``), ``build`` loads them into a fresh store version, ``importer`` brings other
graphs in (``detect`` tells a file's format, ``doctype`` checks RDF/XML entities first; files
that are not RDF are ``converted`` by ``mapping_set``: SSSOM TSV, ``obo_flat``: OBO and
``obo_graphs``: OBO Graphs JSON, the last two through ``obo_owl``) and ``vocabularies`` turns
packaged code lists into RDF (``obo`` reads the packaged OBO files, for it and for
``codelists``). Imports ``mapping``, ``sparql`` and ``store`` below it.
"""
