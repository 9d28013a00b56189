"""Data in: the curated sources checked and built, other graphs imported, vocabularies made.

``sources`` names the files of a build, ``validate`` checks them (SHACL, CURIEs, code lists
from ``codelists``), ``build`` loads them into a fresh store version, ``importer`` brings other
graphs in (``doctype`` checks RDF/XML entities first) and ``vocabularies`` turns packaged code
lists into RDF (``obo`` reads the OBO files, for it and for ``codelists``). Imports
``mapping``, ``sparql`` and ``store`` below it.
"""
