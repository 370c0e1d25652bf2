"""``python -m smartmap`` runs the command line."""

from smartmap.cli import main

main()
