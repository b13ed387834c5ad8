"""`python -m dashboard <command>`: the command line."""
