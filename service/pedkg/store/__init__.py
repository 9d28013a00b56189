"""The store: the one place pedkg's data lives and the only code that talks to it.

``embedded`` is the pyoxigraph store on disk (versions swapped in whole), ``remote`` an
external SPARQL 1.1 server standing in for it; ``backend`` chooses one from the settings,
and ``dump`` writes and restores the whole dataset. Imports nothing above it.
"""
