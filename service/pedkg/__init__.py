"""pedkg: a knowledge graph of a pediatric hematology-oncology division."""

__version__ = "0.1.0"
