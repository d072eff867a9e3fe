"""`python -m playground` is the `playground` console command."""

import sys

from playground.cli import main

if __name__ == "__main__":
    sys.exit(main())
