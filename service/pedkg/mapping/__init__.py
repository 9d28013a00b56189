"""Mappings: SSSOM files read, checked and written; curated, reviewed and proposed links.

``curated`` reads the division's own mapping files, ``reviewed`` loads the sets a curator
accepted, ``proposals`` finds candidate links between two graphs (``pedkg link``), ``stored``
lists every mapping in the store and ``sssom_tsv`` writes SSSOM TSV. Imports ``sparql`` and
``store`` below it.
"""
