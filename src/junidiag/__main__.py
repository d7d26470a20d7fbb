"""`python -m junidiag` runs the command line."""

from junidiag.cli import main

main()
