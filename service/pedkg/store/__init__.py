"""The store: the one place pedkg's data lives and the only code that talks to it.

``interface`` is the contract every store satisfies (``Store``); ``embedded`` is the
pyoxigraph store, on disk in versions swapped in whole (``versions``) and copied into memory
for the query processes (``memory``); ``remote`` an external SPARQL 1.1 server standing in
for it; ``backend`` chooses one from the settings. ``dump`` writes and restores the whole
dataset, ``register`` says which graph came from where (``pkg:imports``), ``per_version``
keeps values until the version changes, ``sparql_lexer`` binds values into query text and
``turtle_prefixes`` notes a Turtle file's prefixes. Each version has a search index file:
``search_index`` writes it, ``search_file`` reads it, ``search_versions`` says which file is
whose. Imports nothing above it.
"""
