"""rdflib-endpoint on an rdflib ``Dataset`` (default graph = union of the named graphs) from N-Quads.

    python rdflib_serve.py DATA.nq PORT

The benchmark starts it as one of its peers; the SPARQL endpoint answers on ``/``.
"""

from __future__ import annotations

import sys

import rdflib
import uvicorn
from rdflib_endpoint import SparqlEndpoint


def main() -> None:
    path, port = sys.argv[1], int(sys.argv[2])
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    app = SparqlEndpoint(graph=dataset, cors_enabled=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
