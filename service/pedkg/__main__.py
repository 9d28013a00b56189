"""``python -m pedkg`` runs the command line."""

from .cli import main

main()
