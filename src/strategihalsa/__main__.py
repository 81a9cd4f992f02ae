"""`python -m strategihalsa` runs the `sfh` command line."""

from strategihalsa.cli import main

main()
