"""`python -m commonground.cli`."""

from commonground.cli import main

main()
