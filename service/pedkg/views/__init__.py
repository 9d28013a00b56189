"""What people and clients see, as data: entity pages, search, reconciliation, the diagram.

Each module turns store answers into plain dataclasses that templates and serialisers read;
none knows about Flask. Imports ``mapping``, ``ingest``, ``sparql`` and ``store`` below it.
"""
