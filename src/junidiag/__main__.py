"""`python -m junidiag` runs the command line."""

from junidiag.launch import main

main()
