"""Command line of the Great Game model; `python run.py --help` lists the commands."""

import sys

from experiments.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
