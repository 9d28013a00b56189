"""SPARQL as pedkg serves it: reading a request, checking its text, running it, writing the answer.

``protocol`` reads where the query and the dataset come from, ``text`` checks the query before
the engine sees it, ``pool`` runs it in query processes under a time limit (``remote_pool``
on a SPARQL server; ``pool_choice`` picks one from the settings), ``formats``
negotiates and serialises, ``rows`` turns a SELECT answer into rows for the code that reads
one, ``catalogue`` holds the named queries and ``service_description``
describes the endpoint. Imports only ``store`` and the package's leaves (config, errors, namespaces).
"""
