"""``python -m tuntas.cli``."""

from tuntas.cli import main

main()
