"""`python -m playground` is the `playground` console command."""

from playground.cli import entry

if __name__ == "__main__":
    entry()
